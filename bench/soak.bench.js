// Soak of the live daemon: `voxtrace listen` with session-dictation.wav looped as its
// microphone (faster than real time), RSS read over the control socket every couple of
// seconds. Baseline in the same run: RSS right after warm-up; the figure is how far the
// RSS of the last part of the run sits above it. Also counts alerts and dropped audio.
// Options: --audio-seconds N (600), --speed X (4), --json (figures as JSON, for tests).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sendControlCommand } from "../dist/daemon/ControlClient.js";

const { values } = parseArgs({
  options: {
    "audio-seconds": { type: "string", default: "600" },
    speed: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
  },
});
const audioSeconds = Number(values["audio-seconds"]);
const speed = Number(values.speed);
const REPO = fileURLToPath(new URL("../", import.meta.url));
const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const MODEL = path.join(SHARED, "models/zipformer-gigaspeech-3.3m-int8");
const SESSION = path.join(SHARED, "audio/session-dictation.wav");
const SAMPLE_EVERY_MS = 2000;
/** The first quarter of the run warms caches, arenas and the JIT; it is not judged. */
const WARM_UP_SHARE = 0.25;

const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-soak-"));
const socket = path.join(dir, "control.sock");
const events = path.join(dir, "soak.ndjson");
const player = [
  process.execPath,
  path.join(REPO, "test/support/playPcm.mjs"),
  SESSION,
  `--speed ${speed}`,
  `--seconds ${audioSeconds}`,
]
  .map((part) => (part.startsWith("--") ? part : JSON.stringify(part)))
  .join(" ");
const daemon = spawn(
  process.execPath,
  [
    path.join(REPO, "bin/voxtrace.js"),
    "listen",
    "--model",
    MODEL,
    "--socket",
    socket,
    "--input-command",
    // When the loop has played out, the recorder "dies"; stop before that restarts it.
    player,
    "--events",
    events,
    "--prometheus-port",
    "0",
    "--analysis-interval",
    "1000",
    "--report-every",
    "0",
  ],
  { stdio: ["ignore", "ignore", "pipe"] },
);
let stderr = "";
daemon.stderr.on("data", (data) => (stderr += data.toString()));
const exited = new Promise((resolve) => daemon.once("close", resolve));

const samples = [];
const wallSeconds = audioSeconds / speed;
let status;
try {
  const started = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    if (daemon.exitCode !== null) throw new Error(`daemon exited early:\n${stderr}`);
    const answer = await sendControlCommand(socket, "status").catch(() => undefined);
    if (!answer?.ok || !("memory" in answer)) continue; // still loading the model
    status = answer;
    const t = (performance.now() - started) / 1000;
    samples.push({ t, rss: status.memory.rssBytes, heap: status.memory.heapUsedBytes });
    if (status.capture.restarts > 0 || t > wallSeconds + 10) break;
  }
  await sendControlCommand(socket, "shutdown");
  await exited;
} finally {
  daemon.kill("SIGKILL");
}

const log = readFileSync(events, "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line));
rmSync(dir, { recursive: true, force: true });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
};
const judged = samples.filter((s) => s.t >= samples.at(-1).t * WARM_UP_SHARE);
const fifth = Math.max(3, Math.floor(judged.length / 5));
const baseline = median(judged.slice(0, fifth).map((s) => s.rss));
const end = median(judged.slice(-fifth).map((s) => s.rss));
const figures = {
  audioSeconds,
  speed,
  wallSeconds: Math.round(samples.at(-1).t),
  utterances: status.utterances,
  droppedSeconds: status.droppedSeconds,
  latencyP95Ms: status.latencyP95Ms,
  rssWarmMB: baseline / 1e6,
  rssEndMB: end / 1e6,
  rssGrowthMB: (end - baseline) / 1e6,
  rssMaxAfterWarmUpMB: Math.max(...judged.map((s) => s.rss)) / 1e6,
  heapGrowthMB:
    (median(judged.slice(-fifth).map((s) => s.heap)) -
      median(judged.slice(0, fifth).map((s) => s.heap))) /
    1e6,
  alertsFired: log.filter((e) => e.type === "AlertFired").map((e) => e.data.message),
  captureRestarts: status.capture.restarts,
  samples: samples.length,
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const mb = (v) => `${v.toFixed(1)} MB`;
  const rows = [
    ["audio looped", `${audioSeconds} s at ${speed}x (${figures.wallSeconds} s wall)`],
    ["utterances delivered", String(figures.utterances)],
    ["audio dropped", `${figures.droppedSeconds.toFixed(2)} s`],
    ["latency P95 (last 256)", `${figures.latencyP95Ms} ms`],
    ["RSS after warm-up (baseline)", mb(figures.rssWarmMB)],
    ["RSS at the end", mb(figures.rssEndMB)],
    ["RSS growth (target < 10 MB)", mb(figures.rssGrowthMB)],
    ["RSS max after warm-up", mb(figures.rssMaxAfterWarmUpMB)],
    ["V8 heap growth", mb(figures.heapGrowthMB)],
    ["alerts fired", figures.alertsFired.length === 0 ? "none" : figures.alertsFired.join("; ")],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}
