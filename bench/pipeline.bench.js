// Whole pipeline on session-dictation.wav looped to 10 minutes, CPU, one intra-op thread:
// decode + resample + VAD + features + encoder + search. Baseline in the same run: the
// same audio through the raw ONNX sessions alone (VAD frames + STT chunks), so the table
// shows what the pipeline adds on top of the models.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openWavSource } from "../dist/pipeline/audio/openWavSource.js";
import { runPipeline } from "../dist/pipeline/Pipeline.js";
import { ZipformerModel } from "../dist/pipeline/stt/ZipformerModel.js";
import { SileroVad } from "../dist/pipeline/vad/SileroVad.js";
import { VadSegmenter } from "../dist/pipeline/vad/VadSegmenter.js";
import { pcmOf, wavHeader16k } from "./support/wav16k.js";

const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const MODEL = path.join(SHARED, "models/zipformer-gigaspeech-3.3m-int8");
const SESSION = path.join(SHARED, "audio/session-dictation.wav");
const TARGET_SECONDS = 600;

function loopWav(source, seconds) {
  const pcm = pcmOf(source);
  const copies = Math.ceil((seconds * 32000) / pcm.length);
  const data = Buffer.concat(Array.from({ length: copies }, () => pcm));
  const header = wavHeader16k(data.length);
  return { bytes: Buffer.concat([header, data]), copies };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-bench-"));
const file = path.join(dir, "session-10min.wav");
const { bytes, copies } = loopWav(SESSION, TARGET_SECONDS);
writeFileSync(file, bytes);

const loadStart = performance.now();
const model = await ZipformerModel.load(MODEL, { provider: "cpu", threads: 1 });
const vad = await SileroVad.load({ threads: 1 });
const loadMs = performance.now() - loadStart;

const finalize = [];
let speechSeconds = 0;
const sink = {
  open: async () => {},
  write: async (u) => {
    finalize.push(u.finalizeMs);
    speechSeconds += u.end - u.start;
  },
  close: async () => {},
};
const source = await openWavSource(file);
const cpuStart = process.cpuUsage();
const result = await runPipeline({
  source,
  segmenter: new VadSegmenter(vad),
  model,
  sinks: [sink],
});
const cpu = process.cpuUsage(cpuStart);
await source.close();

// Baseline: only the model sessions over the same number of VAD frames and STT chunks.
const baselineStart = performance.now();
const frames = Math.floor((result.audioSeconds * 16000) / 512);
// The pipeline hands the VAD up to 4 s of file audio a call (125 frames); so does this.
const run = new Float32Array(125 * 512);
for (let done = 0; done < frames; done += 125)
  await vad.probabilities(run.subarray(0, Math.min(125, frames - done) * 512));
const speechStream = model.createStream();
const second = new Float32Array(16000);
// The recogniser sees each utterance's speech (plus pre-roll and trailing silence, left
// out here, so the baseline is if anything too cheap).
for (let s = 0; s < speechSeconds; s++) await speechStream.accept(second);
const baselineMs = performance.now() - baselineStart;

const wallMs = result.wallSeconds * 1000;
const rows = [
  ["audio (s)", result.audioSeconds.toFixed(1)],
  ["utterances", `${result.utterances} (expected ${copies * 8})`],
  ["model load (ms)", loadMs.toFixed(0)],
  ["pipeline wall (ms)", wallMs.toFixed(0)],
  ["pipeline CPU (ms)", ((cpu.user + cpu.system) / 1000).toFixed(0)],
  ["speed (x real time, wall)", (result.audioSeconds / result.wallSeconds).toFixed(1)],
  ["baseline: raw model sessions (ms)", baselineMs.toFixed(0)],
  ["pipeline / baseline", (wallMs / baselineMs).toFixed(2)],
  ["end of speech to final text P50 (ms)", percentile(finalize, 50).toFixed(1)],
  ["end of speech to final text P95 (ms)", percentile(finalize, 95).toFixed(1)],
  ["peak RSS (MB)", (process.resourceUsage().maxRSS / 1024).toFixed(0)],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log("whole pipeline, session-dictation.wav looped to 10 min, CPU, 1 thread");
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(
  `target: >= 30x real time -> ${result.audioSeconds / result.wallSeconds >= 30 ? "met" : "NOT met"}; ` +
    `P95 <= 100 ms -> ${percentile(finalize, 95) <= 100 ? "met" : "NOT met"}`,
);
await model.release();
await vad.release();
rmSync(dir, { recursive: true, force: true });
