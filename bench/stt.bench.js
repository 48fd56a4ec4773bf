// STT stage speed: fbank + encoder + greedy search through the streaming API on
// utt-01..08 concatenated (CPU, 1 thread), against a baseline measured in the same
// run: the encoder's session.run calls alone on the same features. The difference is
// what our feature and search code costs on top of the model itself.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import ort from "onnxruntime-node";
import { Fbank } from "../dist/pipeline/stt/Fbank.js";
import { ZipformerModel } from "../dist/pipeline/stt/ZipformerModel.js";

const SHARED = new URL("../../shared/", import.meta.url);
const MODEL_DIR = new URL("models/zipformer-gigaspeech-3.3m-int8/", SHARED).pathname;
const RUNS = 5;
const FEED_SAMPLES = 1600; // 100 ms pieces, as a live source delivers them

function readPcm16(name) {
  const bytes = readFileSync(new URL(`audio/${name}`, SHARED));
  let at = 12;
  while (bytes.toString("ascii", at, at + 4) !== "data") at += 8 + bytes.readUInt32LE(at + 4);
  const count = bytes.readUInt32LE(at + 4) / 2;
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(at + 8 + 2 * i) / 32768;
  return samples;
}

function concatenate(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const audio = concatenate([1, 2, 3, 4, 5, 6, 7, 8].map((i) => readPcm16(`utt-0${i}.wav`)));
const seconds = audio.length / 16000;
const model = await ZipformerModel.load(MODEL_DIR, { provider: "cpu", threads: 1 });

async function fullStage() {
  const stream = model.createStream();
  const started = performance.now();
  for (let at = 0; at < audio.length; at += FEED_SAMPLES) {
    await stream.accept(audio.subarray(at, at + FEED_SAMPLES));
  }
  await stream.finish();
  return { ms: performance.now() - started, chunks: stream.chunksRun };
}

function featuresOnly() {
  const fbank = new Fbank({ numBins: model.featureDim });
  const frames = [];
  const started = performance.now();
  const keep = (frame) => frames.push(frame.slice());
  fbank.accept(audio, keep);
  fbank.accept(new Float32Array(12800), keep);
  fbank.flush(keep);
  return { ms: performance.now() - started, frames };
}

async function encoderOnly(frames) {
  const { chunkFrames, shiftFrames, featureDim } = model;
  const x = new Float32Array(chunkFrames * featureDim);
  const xTensor = new ort.Tensor("float32", x, [1, chunkFrames, featureDim]);
  let states = model.initialStates();
  let ms = 0;
  let chunks = 0;
  for (let start = 0; start + chunkFrames <= frames.length; start += shiftFrames) {
    for (let f = 0; f < chunkFrames; f++) x.set(frames[start + f], f * featureDim);
    const started = performance.now();
    const out = await model.encoder.run({ ...states, x: xTensor });
    ms += performance.now() - started;
    chunks++;
    states = Object.fromEntries(model.stateNames.map((name) => [name, out[`new_${name}`]]));
  }
  return { ms, chunks };
}

await fullStage(); // warm-up: first runs pay for lazy kernel setup
const { frames } = featuresOnly();
await encoderOnly(frames);

const full = [];
const encoder = [];
const features = [];
let chunks = 0;
for (let run = 0; run < RUNS; run++) {
  const f = await fullStage();
  full.push(f.ms);
  chunks = f.chunks;
  features.push(featuresOnly().ms);
  encoder.push((await encoderOnly(frames)).ms);
}
await model.release();

const rows = [
  ["encoder session.run only (baseline)", median(encoder)],
  ["fbank only", median(features)],
  ["stt stage: fbank + encoder + search", median(full)],
];
console.log(
  `audio ${seconds.toFixed(2)} s (utt-01..08), ${chunks} encoder chunks, CPU 1 thread, median of ${RUNS}; model load ${model.loadMs.toFixed(0)} ms`,
);
console.log("| scenario | ms | ms/chunk | RTF | x real time |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, ms] of rows) {
  console.log(
    `| ${name} | ${ms.toFixed(1)} | ${(ms / chunks).toFixed(2)} | ${(ms / 1000 / seconds).toFixed(4)} | ${((seconds * 1000) / ms).toFixed(1)} |`,
  );
}
const overhead = median(full) - median(encoder);
console.log(
  `overhead over the encoder: ${overhead.toFixed(1)} ms (${((overhead / median(encoder)) * 100).toFixed(0)} %), ${(overhead / chunks).toFixed(2)} ms per chunk`,
);
