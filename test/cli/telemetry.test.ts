import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIO_DIR, MODEL_DIR, parseJsonLines, REPO, runCli } from "../support/runCli.js";
import { freePort } from "../support/freePort.js";

const audio = (name: string): string => path.join(AUDIO_DIR, name);

/** Parses Prometheus text exposition into name{labels} -> value. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const sum = (metrics: Map<string, number>, prefix: string): number =>
  [...metrics].filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);

describe("telemetry through the command line", () => {
  it("serves every metric of the table on /metrics during a --realtime run", async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        "bin/voxtrace.js",
        "transcribe",
        audio("session-dictation.wav"),
        "--model",
        MODEL_DIR,
        "--realtime",
        "--json",
        "--prometheus-port",
        String(port),
      ],
      { cwd: REPO },
    );
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    try {
      // Once the third sentence has been delivered (it ends at 14.1 s of audio).
      const deadline = Date.now() + 60_000;
      while (parseJsonLines(stdout).length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // One more collection so the counters include the third utterance.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      const metrics = parseMetrics(await response.text());
      const delivered = parseJsonLines(stdout).length;
      expect(delivered).toBeGreaterThanOrEqual(3);
      for (const name of [
        "voxtrace_stage_duration_bucket",
        "voxtrace_utterance_latency_bucket",
        "voxtrace_utterances_total",
        "voxtrace_audio_processed_total",
        "voxtrace_real_time_factor_bucket",
        "voxtrace_queue_depth",
        "process_cpu_utilization",
        "process_memory_usage",
        "v8js_memory_heap_used",
        "nodejs_eventloop_delay_p99",
        "system_cpu_utilization",
      ]) {
        expect(
          [...metrics.keys()].some((k) => k.startsWith(name)),
          name,
        ).toBe(true);
      }
      const injectCount = [...metrics].find(([k]) =>
        k.startsWith('voxtrace_stage_duration_count{voxtrace_stage="inject"'),
      );
      expect(injectCount?.[1]).toBe(sum(metrics, "voxtrace_utterances_total"));
      expect(sum(metrics, "voxtrace_utterances_total")).toBeGreaterThanOrEqual(3);
      expect(sum(metrics, "voxtrace_audio_processed_total")).toBeGreaterThan(14);
      expect(sum(metrics, "voxtrace_audio_processed_total")).toBeLessThan(20);
      expect(sum(metrics, "process_memory_usage")).toBeGreaterThan(50e6);
      const cpu = sum(metrics, "process_cpu_utilization");
      expect(cpu).toBeGreaterThanOrEqual(0);
      expect(cpu).toBeLessThanOrEqual(1);
      expect([...metrics.keys()].some((k) => /^(hw|process)_gpu/.test(k))).toBe(false);
    } finally {
      child.kill("SIGINT");
      await new Promise((resolve) => child.on("close", resolve));
    }
  });

  it("refuses a busy metrics port with exit 2 and a way out", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runCli([
        "transcribe",
        audio("utt-01.wav"),
        "--model",
        MODEL_DIR,
        "--prometheus-port",
        String(port),
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`127\\.0\\.0\\.1:${port} is in use - pass --prometheus-port`),
      );
    } finally {
      blocker.close();
    }
  });

  it.each([
    ["refuses connections", "refused"],
    ["never answers", "hangs"],
    ["answers 500", "fails"],
  ])("leaves transcript and exit code unchanged when the OTLP endpoint %s", async (_what, mode) => {
    const sockets = new Set<net.Socket>();
    const server = http.createServer((_request, response) => {
      if (mode === "fails") response.writeHead(500).end("boom");
      // "hangs": accept and never answer
    });
    server.on("connection", (socket) => sockets.add(socket));
    let endpoint = `http://127.0.0.1:${await freePort()}`;
    if (mode !== "refused") {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    };
    try {
      const healthy = await runCli(["transcribe", audio("utt-03.wav"), "--model", MODEL_DIR]);
      const result = await runCli(["transcribe", audio("utt-03.wav"), "--model", MODEL_DIR], {
        env,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(healthy.stdout);
      const reports = result.stderr
        .split("\n")
        .filter((l) => l.includes("telemetry export failed"));
      expect(reports.length, result.stderr).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
