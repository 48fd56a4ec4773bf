// Replay speed from disk: read + parse + fold + decide, against the baseline of reading
// and JSON.parse-ing the same lines alone, in the same run. Target: >= 500,000 events/s.

import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { readEventLog } from "../dist/analysis/readEventLog.js";
import { replay } from "../dist/analysis/replay.js";
import { DEFAULT_RULES } from "../dist/analysis/RulesConfig.js";
import { DURATION_BUCKETS_S } from "../dist/semconv.js";

const INTERVALS = 100_000; // 5 s each: ~139 hours of a busy session
const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-replay-"));
const file = path.join(dir, "session.ndjson");
const lines = [];
let seq = 0;
const line = (time, type, data) => JSON.stringify({ seq: ++seq, time, type, data });
lines.push(
  line(0, "SessionStarted", {
    sessionId: "bench",
    version: "0",
    rules: DEFAULT_RULES,
    intervalMs: 5000,
  }),
);
const counts = DURATION_BUCKETS_S.map(() => 0).concat(0);
for (let i = 0; i < INTERVALS; i++) {
  const t = i * 5000;
  lines.push(
    line(t, "GaugeObserved", { metric: "process.cpu.utilization", value: 0.2 + (i % 10) / 100 }),
  );
  lines.push(
    line(t, "GaugeObserved", { metric: "process.memory.usage", value: 3e8 + (i % 6) * 1e7 }),
  );
  lines.push(line(t, "GaugeObserved", { metric: "v8js.memory.heap.used", value: 5e7 }));
  for (const stage of ["vad", "stt", "inject"]) {
    const c = counts.slice();
    c[3] = 4;
    lines.push(
      line(t, "HistogramObserved", {
        metric: "voxtrace.stage.duration",
        attributes: { "voxtrace.stage": stage },
        count: 4,
        sum: 0.03,
        buckets: { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts: c },
      }),
    );
  }
  const l = counts.slice();
  l[6] = 1;
  lines.push(
    line(t, "HistogramObserved", {
      metric: "voxtrace.utterance.latency",
      count: 1,
      sum: 0.08,
      buckets: { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts: l },
    }),
  );
}
writeFileSync(file, lines.join("\n") + "\n");
const events = lines.length;
const megabytes = (lines.join("\n").length / 1e6).toFixed(0);
lines.length = 0; // keep the generator's strings out of the measured runs' heap

async function baseline() {
  let n = 0;
  for await (const l of createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Infinity,
  })) {
    if (l) {
      JSON.parse(l);
      n++;
    }
  }
  return n;
}

async function full() {
  const { events: read } = await readEventLog(file);
  return replay(read).alerts.length;
}

const time = async (fn) => {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
};
const b = Math.min(await time(baseline), await time(baseline));
const f = Math.min(await time(full), await time(full));
console.log(`${events.toLocaleString("en")} events (${megabytes} MB), best of 2`);
console.log("| scenario | s | events/s |");
console.log("|---|---:|---:|");
console.log(
  `| baseline: read lines + JSON.parse | ${b.toFixed(2)} | ${Math.round(events / b).toLocaleString("en")} |`,
);
console.log(
  `| replay: read + parse + fold + decide | ${f.toFixed(2)} | ${Math.round(events / f).toLocaleString("en")} |`,
);
console.log(`target >= 500,000 events/s: ${events / f >= 500_000 ? "met" : "NOT met"}`);
rmSync(dir, { recursive: true, force: true });
