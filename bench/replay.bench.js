// Replay speed from disk: `voxtrace analyze --json` on a million-event log shaped like a busy
// daemon's (4 gauges and 4 histograms per 5 s interval), against the parse floor measured in
// the same run: reading the same lines and JSON.parse-ing each, with node:readline (what a
// user would write), with a 64 KiB read stream, and with the plain 64 KiB reads analyze itself
// uses (the last is the real floor of its own loop: what is left over is checking and
// folding). Each scenario runs in its own process, alternating, best of REPLAY_ROUNDS (3);
// peak RSS (VmHWM) shows whether memory stays flat. Target: analyze at >= 80 % of readline.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RULES } from "../dist/analysis/RulesConfig.js";
import { DURATION_BUCKETS_S } from "../dist/semconv.js";

const EVENTS = Number(process.env.REPLAY_EVENTS ?? 1_000_000);
const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-replay-"));

async function writeLog(file, intervals) {
  const out = createWriteStream(file);
  let seq = 0;
  const line = (time, type, data) =>
    out.write(`${JSON.stringify({ seq: ++seq, time, type, data })}\n`);
  const t0 = 1_700_000_000_000;
  line(t0, "SessionStarted", {
    sessionId: "bench",
    version: "0",
    rules: DEFAULT_RULES,
    intervalMs: 5000,
  });
  const counts = DURATION_BUCKETS_S.map(() => 0).concat(0);
  for (let i = 0; i < intervals; i++) {
    const t = t0 + i * 5000;
    line(t, "GaugeObserved", { metric: "process.cpu.utilization", value: 0.2 + (i % 10) / 100 });
    line(t, "GaugeObserved", { metric: "process.memory.usage", value: 3e8 + (i % 6) * 1e7 });
    line(t, "GaugeObserved", { metric: "v8js.memory.heap.used", value: 5e7 + (i % 4) * 1e6 });
    line(t, "GaugeObserved", {
      metric: "hw.gpu.memory.usage",
      value: 1e9,
      attributes: { "hw.id": "gpu-0" },
    });
    for (const stage of ["vad", "stt", "inject"]) {
      const c = counts.slice();
      c[3] = 4;
      line(t, "HistogramObserved", {
        metric: "voxtrace.stage.duration",
        attributes: { "voxtrace.stage": stage },
        count: 4,
        sum: 0.03,
        buckets: { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts: c },
      });
    }
    // Latency as the analysis reader records it now: base-2 exponential buckets.
    line(t, "HistogramObserved", {
      metric: "voxtrace.utterance.latency",
      count: 3,
      sum: 0.25,
      min: 0.07,
      max: 0.1,
      buckets: {
        kind: "exponential",
        scale: 5,
        zeroCount: 0,
        positive: { offset: -123, counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1] },
        negative: { offset: 0, counts: [] },
      },
    });
  }
  await new Promise((resolve) => out.end(resolve));
  return seq;
}

const file = path.join(dir, "session.ndjson");
const events = await writeLog(file, Math.ceil((EVENTS - 1) / 8));

// Each scenario prints {"s": seconds, "rss": peak RSS in kB} from its own process. The peak is
// VmHWM from /proc: resourceUsage().maxRSS carries the parent's peak over fork and exec.
const peakRss = `Number(/VmHWM:\\s+(\\d+)/.exec((await import("node:fs")).readFileSync("/proc/self/status", "utf8"))[1])`;
const floorReadline = `
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
const t = performance.now();
let n = 0;
for await (const l of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
  if (l) { JSON.parse(l); n++; }
}
console.log(JSON.stringify({ s: (performance.now() - t) / 1000, rss: ${peakRss}, n }));`;
const floorChunked = `
import { createReadStream } from "node:fs";
const t = performance.now();
let n = 0, rest = "";
for await (const chunk of createReadStream(process.argv[1], { encoding: "utf8", highWaterMark: 1 << 16 })) {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const l of lines) { JSON.parse(l); n++; }
}
console.log(JSON.stringify({ s: (performance.now() - t) / 1000, rss: ${peakRss}, n }));`;

// What analyze itself reads with: plain 64 KiB reads, no read stream.
const floorReads = `
import { openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
const t = performance.now();
const fd = openSync(process.argv[1], "r"), buffer = Buffer.allocUnsafe(1 << 16), decoder = new StringDecoder("utf8");
let n = 0, rest = "", got;
while ((got = readSync(fd, buffer, 0, 1 << 16, null)) > 0) {
  const lines = (rest + decoder.write(buffer.subarray(0, got))).split("\\n");
  rest = lines.pop();
  for (const l of lines) { JSON.parse(l); n++; }
}
console.log(JSON.stringify({ s: (performance.now() - t) / 1000, rss: ${peakRss}, n }));`;

function runScript(source) {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", source, file], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** The real command, timed from inside its own process (no Node start-up in the figure). */
function runAnalyze() {
  const source = `
import { analyzeCommand } from ${JSON.stringify(path.join(root, "dist/cli/analyzeCommand.js"))};
const write = process.stdout.write.bind(process.stdout);
let out = "";
process.stdout.write = (chunk) => { out += chunk; return true; };
const t = performance.now();
await analyzeCommand().parseAsync(["node", "analyze", process.argv[1], "--json"]);
const s = (performance.now() - t) / 1000;
process.stdout.write = write;
const alerts = JSON.parse(out).alerts.length;
console.log(JSON.stringify({ s, rss: ${peakRss}, alerts }));`;
  return runScript(source);
}

const results = { readline: [], chunked: [], reads: [], analyze: [] };
for (let round = 0; round < Number(process.env.REPLAY_ROUNDS ?? 3); round++) {
  results.readline.push(runScript(floorReadline));
  results.chunked.push(runScript(floorChunked));
  results.reads.push(runScript(floorReads));
  results.analyze.push(runAnalyze());
}
const best = (runs) => runs.reduce((a, b) => (b.s < a.s ? b : a));
const rate = (r) => Math.round(events / r.s);
const rows = [
  ["floor: node:readline + JSON.parse", best(results.readline)],
  ["floor: 64 KiB read stream, split + JSON.parse", best(results.chunked)],
  ["floor: 64 KiB plain reads (as analyze reads), split + JSON.parse", best(results.reads)],
  ["voxtrace analyze --json (check, fold, decide, summarize)", best(results.analyze)],
];
console.log(
  `${events.toLocaleString("en")} events, best of ${results.analyze.length} alternating runs, each in its own process`,
);
console.log("| scenario | s | events/s | peak RSS MB |");
console.log("|---|---:|---:|---:|");
for (const [name, r] of rows)
  console.log(
    `| ${name} | ${r.s.toFixed(2)} | ${rate(r).toLocaleString("en")} | ${(r.rss / 1024).toFixed(0)} |`,
  );
const share = rate(best(results.analyze)) / rate(best(results.readline));
const shareReads = rate(best(results.analyze)) / rate(best(results.reads));
console.log(
  `analyze at ${(share * 100).toFixed(0)} % of the readline floor (target >= 80 %: ${share >= 0.8 ? "met" : "NOT met"}), ${(shareReads * 100).toFixed(0)} % of its own reading + JSON.parse`,
);
if (!process.env.REPLAY_KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(file);
