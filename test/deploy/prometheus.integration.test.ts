import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIO_DIR, MODEL_DIR, REPO } from "../support/runCli.js";
import { freePort, startPrometheus } from "./startPrometheus.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-prom-it-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** session-dictation.wav twice over (76 s), so the 1-minute rates have data. */
function longSession(): string {
  const wav = readFileSync(path.join(AUDIO_DIR, "session-dictation.wav"));
  let at = 12;
  while (wav.toString("ascii", at, at + 4) !== "data") at += 8 + wav.readUInt32LE(at + 4);
  const pcm = wav.subarray(at + 8, at + 8 + wav.readUInt32LE(at + 4));
  const header = Buffer.from(wav.subarray(0, at + 8));
  header.writeUInt32LE(pcm.length * 2, at + 4);
  header.writeUInt32LE(header.length - 8 + pcm.length * 2, 4);
  const file = path.join(tmp, "long.wav");
  writeFileSync(file, Buffer.concat([header, pcm, pcm]));
  return file;
}

describe("Prometheus scraping a live voxtrace", () => {
  it("answers every dashboard query with data and raises the CPU alert during a cpu fire drill", async () => {
    const bin = path.join(tmp, "bin");
    await new Promise((resolve) => spawn("mkdir", ["-p", bin]).on("close", resolve));
    writeFileSync(
      path.join(bin, "nvidia-smi"),
      `#!/bin/sh\ncase "$*" in\n  *query-gpu*) echo "0, Fake GPU, GPU-1, 1024, 8192, 12" ;;\n  *) echo "" ;;\nesac\n`,
    );
    chmodSync(path.join(bin, "nvidia-smi"), 0o755);
    const port = await freePort();
    const prometheus = await startPrometheus([`127.0.0.1:${port}`]);
    const child = spawn(
      process.execPath,
      [
        "bin/voxtrace.js",
        "transcribe",
        longSession(),
        "--model",
        MODEL_DIR,
        "--realtime",
        "--prometheus-port",
        String(port),
        "--events",
        path.join(tmp, "events.ndjson"),
        "--fault",
        "cpu=1",
      ],
      {
        cwd: REPO,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, XDG_STATE_HOME: tmp },
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await new Promise((resolve) => setTimeout(resolve, 66_000));
      const dashboard = JSON.parse(
        readFileSync(path.join(REPO, "deploy/grafana/dashboards/voxtrace.json"), "utf8"),
      ) as {
        panels: { title: string; targets: { expr: string }[] }[];
      };
      const empty: string[] = [];
      for (const panel of dashboard.panels) {
        for (const { expr } of panel.targets) {
          const result = await prometheus.query(expr);
          expect(result.status, expr).toBe("success");
          if (result.data.result.length === 0) empty.push(`${panel.title}: ${expr}`);
        }
      }
      expect(empty, stderr).toEqual([]);
      const rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; state: string }[] }[] };
      };
      const cpu = rules.data.groups
        .flatMap((g) => g.rules)
        .find((r) => r.name === "VoxtraceCpuHigh");
      expect(["pending", "firing"]).toContain(cpu?.state);
    } finally {
      child.kill("SIGINT");
      await new Promise((resolve) => child.on("close", resolve));
      await prometheus.stop();
    }
  });
});
