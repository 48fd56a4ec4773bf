// Fuzzes the WAV reader with fast-check: random bytes, mutated and truncated valid files,
// absurd chunk sizes. Whatever the bytes, a file either streams finite samples in [-1, 1]
// or fails with a one-line bad_input VoxtraceError; nothing hangs and nothing allocates
// what a header merely claims. Run counts are fixed so the file takes a few seconds;
// a failure prints fast-check's seed and the shrunk input.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { openWavSource } from "../../../src/pipeline/audio/openWavSource.js";
import { makeWav, type WavSpec } from "../../support/makeWav.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-wavfuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Longest one small file may take to open and stream before we call it a hang. */
const CASE_TIMEOUT_MS = 2000;

async function streamAll(file: string): Promise<number> {
  const source = await openWavSource(file, { blockFrames: 64 });
  let count = 0;
  try {
    for await (const chunk of source.chunks()) {
      for (const v of chunk) {
        if (!Number.isFinite(v) || v < -1 || v > 1) throw new Error(`sample ${v} out of range`);
      }
      count += chunk.length;
    }
  } finally {
    await source.close();
  }
  return count;
}

/** The contract: samples in range, or a one-line bad_input error; within the timeout. */
async function readsSafely(bytes: Uint8Array): Promise<void> {
  const file = path.join(tmp, `case-${++n}.wav`);
  writeFileSync(file, bytes);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out: hang")), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([streamAll(file), timeout]);
  } catch (error) {
    if (!(error instanceof VoxtraceError)) throw error;
    expect(error.code).toBe("bad_input");
    expect(error.message).toMatch(/^[^\n]+ - [^\n]+$/);
    expect(error.message.startsWith(file)).toBe(true);
  } finally {
    clearTimeout(timer);
    rmSync(file, { force: true });
  }
}

const spec: fc.Arbitrary<WavSpec> = fc.record({
  rate: fc.constantFrom(8000, 16000, 22050, 44100, 48000),
  channels: fc.integer({ min: 1, max: 3 }),
  encoding: fc.constantFrom("u8", "s16", "s24", "s32", "f32", "f64" as const),
  samples: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 300 }),
  extensible: fc.boolean(),
});
const validWav = spec.map((s) => makeWav(s));

/** Float files whose samples include what damaged float data holds. */
const oddFloatWav = fc
  .record({
    rate: fc.constantFrom(16000, 44100),
    channels: fc.integer({ min: 1, max: 2 }),
    encoding: fc.constantFrom("f32", "f64" as const),
    samples: fc.array(
      fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 1e30, -1e30, 5e-324)),
      { maxLength: 300 },
    ),
  })
  .map((s) => makeWav(s));

/** uint32 values that break size arithmetic: zero, odd, near and at 4 GB, sign bit. */
const absurd = fc.oneof(
  fc.constantFrom(0, 1, 7, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff),
  fc.nat({ max: 0xffffffff }),
);

type Mutation =
  | { kind: "byte"; at: number; value: number }
  | { kind: "u32"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.nat(255) }),
  // Mostly in the first 80 bytes: RIFF, fmt and data headers live there.
  fc.record({ kind: fc.constant("u32" as const), at: fc.nat(80), value: absurd }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 24 }),
  }),
);

function mutate(wav: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(wav);
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === "byte") out[at] = m.value;
    else if (m.kind === "u32" && at + 4 <= out.length) out.writeUInt32LE(m.value, at);
    else if (m.kind === "truncate") out = out.subarray(0, at);
    else if (m.kind === "insert")
      out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
  }
  return out;
}

/** A RIFF/WAVE file of arbitrary chunks with arbitrary declared sizes. */
const chunky = fc
  .array(
    fc.record({
      id: fc.constantFrom("fmt ", "data", "LIST", "fact", "JUNK", "\0\0\0\0"),
      declared: absurd,
      body: fc.uint8Array({ maxLength: 48 }),
    }),
    { maxLength: 6 },
  )
  .map((chunks) => {
    const parts = chunks.map(({ id, declared, body }) => {
      const header = Buffer.alloc(8);
      header.write(id, 0, "latin1");
      header.writeUInt32LE(declared, 4);
      return Buffer.concat([header, body]);
    });
    const head = Buffer.from("RIFF\0\0\0\0WAVE", "latin1");
    return Buffer.concat([head, ...parts]);
  });

describe("openWavSource under fuzzing", () => {
  it("streams valid files of every encoding to samples in [-1, 1]", async () => {
    await fc.assert(
      fc.asyncProperty(validWav, (wav) => readsSafely(wav)),
      { numRuns: 150 },
    );
  });

  it("streams float files holding NaN, infinities and huge values to samples in [-1, 1]", async () => {
    await fc.assert(
      fc.asyncProperty(oddFloatWav, (wav) => readsSafely(wav)),
      { numRuns: 100 },
    );
  });

  it("reads random bytes, with or without a RIFF/WAVE head, to samples or a one-line bad_input error", async () => {
    const head = Buffer.from("RIFF\0\0\0\0WAVE", "latin1");
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, riff) =>
        readsSafely(riff ? Buffer.concat([head, bytes]) : bytes),
      ),
      { numRuns: 300 },
    );
  });

  it("reads mutated, truncated and padded valid files to samples or a one-line bad_input error", async () => {
    await fc.assert(
      fc.asyncProperty(validWav, fc.array(mutation, { minLength: 1, maxLength: 4 }), (wav, ms) =>
        readsSafely(mutate(wav, ms)),
      ),
      { numRuns: 600 },
    );
  });

  it("walks chunk lists with absurd declared sizes without hanging", async () => {
    await fc.assert(
      fc.asyncProperty(chunky, (bytes) => readsSafely(bytes)),
      { numRuns: 300 },
    );
  });

  it("does not allocate what a header claiming 4 GB of data says, through the resampler", async () => {
    const file = path.join(tmp, "claims-4gb.wav");
    const wav = makeWav({
      rate: 48000,
      channels: 2,
      encoding: "f64",
      samples: new Float64Array(4800),
      declaredDataBytes: 0xfffffff0,
    });
    writeFileSync(file, wav);
    gc(); // the properties above leave garbage whose collection would blur the reading
    const before = process.memoryUsage();
    const source = await openWavSource(file);
    let frames = 0;
    for await (const chunk of source.chunks()) frames += chunk.length;
    await source.close();
    const after = process.memoryUsage();
    expect(source.warnings[0]).toMatch(/data chunk is shorter than its header says/);
    expect(frames).toBeGreaterThan(700); // 2400 frames at 48 kHz is 800 at 16 kHz
    // The claim is 4 GB; anything near it would fail far beyond these bounds, which only
    // leave room for the resampler and the garbage collector's timing on a loaded machine.
    expect(after.rss - before.rss).toBeLessThan(64e6);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64e6);
  });
});
