#!/usr/bin/env node
// Stands in for a microphone in tests and benchmarks: decodes a WAV file (with the
// built voxtrace reader) and writes it to stdout as 16 kHz mono s16le at real-time pace
// (or `--speed` times faster), looping until `--seconds` of audio have gone out.
// Usage: node playPcm.mjs FILE.wav [--speed X] [--seconds N] [--pid-file PATH]

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openWavSource } from "../../dist/pipeline/audio/openWavSource.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    speed: { type: "string", default: "1" },
    seconds: { type: "string" },
    "pid-file": { type: "string" },
  },
});
const pcm = await decode(positionals[0]);
const speed = Number(values.speed);
const bytesPerSecond = 16_000 * 2;
const total =
  values.seconds === undefined ? pcm.length : Math.round(Number(values.seconds) * bytesPerSecond);
if (values["pid-file"]) writeFileSync(values["pid-file"], `${process.pid}\n`);
process.stdout.on("error", () => process.exit(0));

const chunkBytes = Math.round(bytesPerSecond * 0.02) & ~1;
const started = performance.now();
let sent = 0;
function tick() {
  const due = ((sent / bytesPerSecond) * 1000) / speed;
  while (sent < total && performance.now() - started >= due - 1) {
    const at = sent % pcm.length;
    const chunk = pcm.subarray(at, Math.min(at + chunkBytes, pcm.length, at + total - sent));
    sent += chunk.length;
    if (!process.stdout.write(chunk)) {
      process.stdout.once("drain", tick);
      return;
    }
    break;
  }
  if (sent >= total) return;
  const next = ((sent / bytesPerSecond) * 1000) / speed - (performance.now() - started);
  setTimeout(tick, Math.max(0, next));
}
tick();

async function decode(file) {
  const source = await openWavSource(file);
  const parts = [];
  for await (const chunk of source.chunks()) {
    const pcm = new Int16Array(chunk.length);
    for (let i = 0; i < chunk.length; i++)
      pcm[i] = Math.round(Math.max(-1, Math.min(1, chunk[i])) * 32767);
    parts.push(Buffer.from(pcm.buffer));
  }
  await source.close();
  return Buffer.concat(parts);
}
