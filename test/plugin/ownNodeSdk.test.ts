// voxtrace as a plugin in a user's own NodeSDK: the app builds its SDK with voxtrace's
// instrumentation, analyzer reader and resource detector, burns CPU past a lowered
// threshold, and finds the alert in the event log, in its own log exporter and in its own
// span exporter, the samplers' series in its own metrics, the inventory in its resource —
// with no Prometheus port opened and no second SDK. OTEL_SDK_DISABLED turns it all off.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-plugin-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface AppReport {
  eventsPath: string | null;
  firing: boolean;
  sameProviders: boolean;
  alertLogRecords: string[];
  alertSpans: string[];
  metricNames: string[];
  resource: string[];
}

function runApp(
  eventsPath: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ report: AppReport; listening: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "test/plugin/app.mjs"), eventsPath], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    // While it runs: is anything of ours listening? (Prometheus is not asked for here.)
    let listening = "";
    setTimeout(() => {
      try {
        listening = readFileSync("/proc/net/tcp", "utf8")
          .split("\n")
          .filter((line) => line.includes(":24F8 ")) // 9464
          .join("\n");
      } catch {
        listening = "";
      }
    }, 1500);
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`app exited ${code}: ${err}`));
      resolve({ report: JSON.parse(out.trim().split("\n").pop()!) as AppReport, listening });
    });
  });
}

const events = (file: string): { type: string; data: { rule?: string; reason?: string } }[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; data: { rule?: string } });

describe("voxtrace in the user's own NodeSDK", () => {
  it("raises the CPU alert through the app's own SDK, with one SDK and no port opened", async () => {
    const file = path.join(tmp, "app.ndjson");
    const { report, listening } = await runApp(file);
    expect(report.eventsPath).toBe(file);
    expect(report.sameProviders).toBe(true);
    expect(listening).toBe("");
    const log = events(file);
    expect(log[0]?.type).toBe("SessionStarted");
    expect(log.some((e) => e.type === "AlertFired" && e.data.rule === "cpu")).toBe(true);
    expect(log.at(-1)).toMatchObject({ type: "SessionEnded", data: { reason: "shutdown" } });
    expect(report.alertLogRecords).toContain("voxtrace.alert.fired");
    expect(report.alertSpans).toContain("voxtrace.alert.fired");
    for (const name of [
      "process.cpu.utilization",
      "process.memory.usage",
      "v8js.memory.heap.used",
      "voxtrace.alerts.active",
    ])
      expect(report.metricNames).toContain(name);
    // The machine's CPU model is visible here (the GPU inventory is not: no GPU).
    expect(report.resource).toContain("host.cpu.model.name");
  });

  it("turns everything off with OTEL_SDK_DISABLED=true: no log, no alert", async () => {
    const file = path.join(tmp, "disabled.ndjson");
    const { report } = await runApp(file, { OTEL_SDK_DISABLED: "true" });
    expect(report.eventsPath).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(report.alertLogRecords).toEqual([]);
    expect(report.metricNames).toEqual([]);
  });
});
