// Telemetry faults never hurt transcription: the same 18 s of speech (five utterances with
// pauses) is transcribed --realtime against an OTLP collector that is healthy, refuses,
// hangs, answers 500 or answers slowly. Each faulty run's utterance latency P95 must stay
// within 10 % of the healthy run's, its peak RSS close to it, and its export failures must
// be counted on /metrics. Runs are sequential: two at once would measure each other.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { quantile } from "simple-statistics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWavSource } from "../../src/pipeline/audio/openWavSource.js";
import { writeWav } from "../support/makeWav.js";
import { freePort } from "../support/freePort.js";
import { AUDIO_DIR, MODEL_DIR, parseJsonLines, REPO, runCli } from "../support/runCli.js";

type Mode = "healthy" | "refused" | "hangs" | "fails" | "slow";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-telfault-"));
const speech = path.join(tmp, "five.wav");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Five shared utterances with 0.8 s of silence after each: 18.5 s, five latencies. */
beforeAll(async () => {
  const samples: number[] = [];
  for (const name of ["utt-01", "utt-03", "utt-04", "utt-05", "utt-07"]) {
    const source = await openWavSource(path.join(AUDIO_DIR, `${name}.wav`));
    for await (const chunk of source.chunks()) for (const v of chunk) samples.push(v);
    await source.close();
    for (let i = 0; i < 12_800; i++) samples.push(0);
  }
  writeWav(speech, { rate: 16000, channels: 1, encoding: "s16", samples });
});

/** A stand-in OTLP/HTTP collector behaving as `mode` says; undefined port for "refused". */
async function collector(mode: Mode): Promise<{ endpoint: string; close: () => void }> {
  if (mode === "refused") return { endpoint: `http://127.0.0.1:${await freePort()}`, close() {} };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (mode === "fails") response.writeHead(500).end("boom");
      else if (mode === "healthy")
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      else if (mode === "slow")
        setTimeout(
          () => response.writeHead(200, { "content-type": "application/json" }).end("{}"),
          700,
        );
      // "hangs": read the request, never answer
    });
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

interface Run {
  mode: Mode;
  code: number | null;
  latencyP95: number;
  finalizeP95: number;
  utterances: number;
  peakRssBytes: number;
  exportFailures: number;
}

const sumOf = (text: string, name: string): number =>
  text
    .split("\n")
    .filter((l) => l.startsWith(name))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);

async function transcribe(mode: Mode): Promise<Run> {
  const otlp = await collector(mode);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "bin/voxtrace.js",
      "transcribe",
      speech,
      "--model",
      MODEL_DIR,
      "--realtime",
      "--json",
      "--no-progress",
      "--prometheus-port",
      String(port),
    ],
    {
      cwd: REPO,
      env: {
        ...process.env,
        XDG_STATE_HOME: path.join(tmp, "state"),
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
        // Export every second so every fault is hit many times during the run.
        OTEL_METRIC_EXPORT_INTERVAL: "1000",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        OTEL_BLRP_SCHEDULE_DELAY: "100",
      },
    },
  );
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.resume();
  let peakRssBytes = 0;
  let exportFailures = 0;
  // VmHWM is the kernel's own peak RSS; the last reading before exit is the run's peak.
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakRssBytes = Math.max(peakRssBytes, Number(hwm[1]) * 1024);
    } catch {
      // the process has exited
    }
    fetch(`http://127.0.0.1:${port}/metrics`)
      .then((r) => r.text())
      .then((text) => {
        exportFailures = Math.max(
          exportFailures,
          sumOf(text, "voxtrace_telemetry_export_failures"),
        );
      })
      .catch(() => {}); // not up yet, or gone
  }, 250);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(watch);
  otlp.close();
  const utterances = parseJsonLines(stdout) as unknown as {
    latency_ms: number;
    finalize_ms: number;
  }[];
  return {
    mode,
    code,
    utterances: utterances.length,
    latencyP95: quantile(
      utterances.map((u) => u.latency_ms),
      0.95,
    ),
    finalizeP95: quantile(
      utterances.map((u) => u.finalize_ms),
      0.95,
    ),
    peakRssBytes,
    exportFailures,
  };
}

describe("telemetry faults during a --realtime transcription", () => {
  it("keep latency P95 within 10 % of a healthy run, memory bounded, and failures counted", async () => {
    const runs: Run[] = [];
    for (const mode of ["healthy", "refused", "hangs", "fails", "slow"] as const)
      runs.push(await transcribe(mode));
    console.table(
      runs.map((r) => ({
        mode: r.mode,
        "latency P95 ms": r.latencyP95.toFixed(1),
        "finalize P95 ms": r.finalizeP95.toFixed(1),
        "peak RSS MB": (r.peakRssBytes / 1e6).toFixed(0),
        "export failures": r.exportFailures,
      })),
    );
    const healthy = runs[0]!;
    expect(healthy.code).toBe(0);
    expect(healthy.utterances).toBe(5);
    expect(healthy.exportFailures).toBe(0);
    for (const run of runs.slice(1)) {
      expect(run.code, run.mode).toBe(0);
      expect(run.utterances, run.mode).toBe(5);
      // Realtime latency includes the VAD's ~0.5 s wait for silence, so 10 % is ~55 ms;
      // the 10 ms floor only matters if that wait is ever configured much shorter.
      expect(run.latencyP95, run.mode).toBeLessThanOrEqual(
        healthy.latencyP95 + Math.max(0.1 * healthy.latencyP95, 10),
      );
      // Unsent telemetry sits in bounded SDK queues: a few MB, never growth with time.
      expect(run.peakRssBytes, run.mode).toBeLessThan(healthy.peakRssBytes + 40e6);
      if (run.mode !== "slow") expect(run.exportFailures, run.mode).toBeGreaterThan(0);
    }
  }, 240_000);
});

describe("bad telemetry settings", () => {
  it("never stop a transcription: OTEL_METRIC_EXPORT_INTERVAL=-5 and TIMEOUT=-1 warn once each", async () => {
    const result = await runCli(
      ["transcribe", path.join(AUDIO_DIR, "utt-01.wav"), "--model", MODEL_DIR],
      {
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
          OTEL_METRIC_EXPORT_INTERVAL: "-5",
          OTEL_METRIC_EXPORT_TIMEOUT: "-1",
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).not.toBe("");
    const warnings = result.stderr.split("\n").filter((l) => l.includes("OTEL_"));
    expect(warnings).toEqual([
      "voxtrace: warning: OTEL_METRIC_EXPORT_INTERVAL='-5' is not milliseconds from 1; using the default",
      "voxtrace: warning: OTEL_METRIC_EXPORT_TIMEOUT='-1' is not milliseconds from 1; using the default",
    ]);
  }, 60_000);
});
