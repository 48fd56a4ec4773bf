// Decoding PCM must give the same samples however the bytes are cut and wherever they
// sit in memory: mono 16-bit takes a fast path through a typed-array view, checked
// here against reading each sample on its own.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PcmDecoder } from "../../../src/pipeline/audio/PcmDecoder.js";

/** Each little-endian 16-bit sample of `bytes` (whole ones only), scaled to [-1, 1). */
const reference = (bytes: Uint8Array): number[] =>
  Array.from(
    { length: Math.floor(bytes.length / 2) },
    (_, i) => Buffer.from(bytes).readInt16LE(2 * i) / 32768,
  );

describe("PcmDecoder", () => {
  it("decodes mono s16 cut anywhere, at any alignment, as sample-by-sample reading does (fuzzed)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 6 }),
        fc.boolean(),
        (bytes, cuts, misalign) => {
          const decoder = new PcmDecoder("s16", 1);
          const points = [...new Set([0, ...cuts.filter((c) => c <= bytes.length), bytes.length])];
          points.sort((a, b) => a - b);
          const out: number[] = [];
          for (let i = 1; i < points.length; i++) {
            const part = bytes.subarray(points[i - 1], points[i]);
            // A buffer starting at an odd byte cannot be viewed as Int16Array.
            const backing = Buffer.alloc(part.length + 1);
            backing.set(part, misalign ? 1 : 0);
            const piece = backing.subarray(misalign ? 1 : 0, (misalign ? 1 : 0) + part.length);
            out.push(...decoder.decode(piece));
          }
          expect(out).toEqual(reference(bytes).map((v) => Math.fround(v)));
          expect(decoder.leftoverBytes).toBe(bytes.length % 2);
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it("averages stereo s16 channels and keeps the extremes in range", () => {
    const bytes = Buffer.alloc(8);
    bytes.writeInt16LE(-32768, 0);
    bytes.writeInt16LE(-32768, 2);
    bytes.writeInt16LE(32767, 4);
    bytes.writeInt16LE(-32767, 6);
    expect(Array.from(new PcmDecoder("s16", 2).decode(bytes))).toEqual([-1, 0]);
  });
});
