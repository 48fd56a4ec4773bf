import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZipformerModel } from "../../../src/pipeline/stt/ZipformerModel.js";
import { wordErrorRate } from "../../helpers/wer.js";

const SHARED = new URL("../../../../shared/", import.meta.url);
const MODEL_DIR = new URL("models/zipformer-gigaspeech-3.3m-int8/", SHARED).pathname;
const AUDIO = new URL("audio/", SHARED);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", AUDIO), "utf8")) as {
  files: Record<string, { text: string }>;
};
const FILES = Object.keys(manifest.files)
  .filter((name) => /^utt-0\d\.wav$/.test(name))
  .sort();

/** 16-bit mono PCM of a WAV file as floats; the real reader lives in pipeline/audio. */
function readPcm16(name: string): Float32Array {
  const bytes = readFileSync(new URL(name, AUDIO));
  let at = 12;
  while (bytes.toString("ascii", at, at + 4) !== "data") at += 8 + bytes.readUInt32LE(at + 4);
  const count = bytes.readUInt32LE(at + 4) / 2;
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(at + 8 + 2 * i) / 32768;
  return samples;
}

/** Splits samples at seeded random points (1..4000 samples), like a live source. */
function randomChunks(samples: Float32Array, seed: number): Float32Array[] {
  const chunks: Float32Array[] = [];
  let state = seed;
  for (let at = 0; at < samples.length;) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const size = 1 + (state % 4000);
    chunks.push(samples.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("TransducerStream", () => {
  let model: ZipformerModel;

  beforeAll(async () => {
    model = await ZipformerModel.load(MODEL_DIR);
  });

  afterAll(async () => {
    await model.release();
  });

  async function decode(chunks: Float32Array[]): Promise<{ text: string; tokens: number }> {
    const stream = model.createStream();
    for (const chunk of chunks) await stream.accept(chunk);
    return stream.finish();
  }

  it("transcribes the test utterances fed in random chunks with mean WER <= 0.45", async () => {
    const rates: number[] = [];
    for (const [index, name] of FILES.entries()) {
      const result = await decode(randomChunks(readPcm16(name), index + 1));
      const rate = wordErrorRate(manifest.files[name]!.text, result.text);
      rates.push(rate);
      console.log(`${name}  WER ${rate.toFixed(3)}  "${result.text}"`);
    }
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    console.log(`mean WER ${mean.toFixed(3)} over ${rates.length} files`);
    expect(FILES).toHaveLength(8);
    expect(mean).toBeLessThanOrEqual(0.45);
  });

  it("gives the same text for one big chunk as for many small ones", async () => {
    for (const name of ["utt-01.wav", "utt-06.wav"]) {
      const samples = readPcm16(name);
      const whole = await decode([samples]);
      const pieces = await decode(randomChunks(samples, 99));
      const tiny = await decode(
        Array.from({ length: Math.ceil(samples.length / 37) }, (_, i) =>
          samples.subarray(i * 37, (i + 1) * 37),
        ),
      );
      expect(pieces).toEqual(whole);
      expect(tiny).toEqual(whole);
    }
  });

  it("shows growing partial text before finish and counts the encoder chunks it ran", async () => {
    const samples = readPcm16("utt-03.wav");
    const stream = model.createStream();
    const partials: string[] = [];
    for (const chunk of randomChunks(samples, 5)) {
      await stream.accept(chunk);
      partials.push(stream.partialText());
    }
    const before = stream.chunksRun;
    const result = await stream.finish();
    expect(partials.at(-1)!.length).toBeGreaterThan(0);
    expect(result.text.startsWith(partials.at(-1)!)).toBe(true);
    expect(result.tokens).toBeGreaterThan(0);
    // Chunk k decodes frames [32k, 32k + 32): just enough chunks to cover the real
    // frames, none of padding only.
    expect(stream.chunksRun).toBe(Math.ceil(Math.floor((samples.length + 80) / 160) / 32));
    expect(stream.chunksRun).toBeGreaterThan(before);
  });

  it("pads just enough: 0.8 s more silence before finish changes no utterance's text", async () => {
    for (const name of FILES) {
      const samples = readPcm16(name);
      const padded = model.createStream();
      await padded.accept(samples);
      await padded.accept(new Float32Array(0.8 * 16000));
      const extra = await padded.finish();
      const minimal = await decode([samples]);
      expect(minimal.text).toBe(extra.text);
      expect(minimal.tokens).toBe(extra.tokens);
    }
  });

  it("with chunksPerRun 4 runs the encoder only in bursts of 4 or more and finds the same text", async () => {
    const samples = readPcm16("utt-02.wav");
    const bursty = model.createStream({ chunksPerRun: 4 });
    const bursts: number[] = [];
    for (const chunk of randomChunks(samples, 3)) {
      const before = bursty.chunksRun;
      await bursty.accept(chunk);
      if (bursty.chunksRun > before) bursts.push(bursty.chunksRun - before);
    }
    const result = await bursty.finish();
    expect(bursts.length).toBeGreaterThan(0);
    expect(Math.min(...bursts)).toBeGreaterThanOrEqual(4);
    const reference = await decode([samples]);
    expect(result.text).toBe(reference.text);
  });

  it("refuses a chunksPerRun that is not a positive integer", () => {
    expect(() => model.createStream({ chunksPerRun: 0 })).toThrow(/chunksPerRun 0/);
  });

  it("wraps every encoder chunk in the caller's runChunk with consecutive indices", async () => {
    const seen: number[] = [];
    const stream = model.createStream({
      runChunk: (chunkIndex, fn) => {
        seen.push(chunkIndex);
        return fn();
      },
    });
    await stream.accept(readPcm16("utt-05.wav"));
    await stream.finish();
    expect(seen).toEqual(Array.from({ length: stream.chunksRun }, (_, i) => i));
  });

  it("returns the same result from a repeated finish and yields no text for silence", async () => {
    const stream = model.createStream();
    await stream.accept(new Float32Array(16000));
    const first = await stream.finish();
    expect(await stream.finish()).toBe(first);
    expect(first).toEqual({ text: "", tokens: 0 });
  });
});
