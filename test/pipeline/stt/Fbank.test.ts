import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Fbank } from "../../../src/pipeline/stt/Fbank.js";

const FLOOR = Math.log(1.1920928955078125e-7);

function collect(fbank: Fbank, chunks: Float32Array[], flush: boolean): Float32Array[] {
  const frames: Float32Array[] = [];
  const onFrame = (f: Float32Array): void => void frames.push(f.slice());
  for (const chunk of chunks) fbank.accept(chunk, onFrame);
  if (flush) fbank.flush(onFrame);
  return frames;
}

function tone(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(16000 * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / 16000);
  return out;
}

function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

describe("Fbank", () => {
  it("emits a frame every 10 ms once its 25 ms window is complete, and the tail on flush", () => {
    const samples = new Float32Array(16000);
    // Frame f spans samples [160f - 120, 160f + 280): 99 complete frames in one second.
    expect(collect(new Fbank(), [samples], false)).toHaveLength(99);
    // Kaldi's snip_edges=false count: round(N / shift).
    expect(collect(new Fbank(), [samples], true)).toHaveLength(100);
    expect(collect(new Fbank(), [new Float32Array(279)], false)).toHaveLength(0);
    expect(collect(new Fbank(), [new Float32Array(280)], false)).toHaveLength(1);
  });

  it("gives identical frames whatever the chunking of the input", () => {
    const signal = noise(8000, 7);
    const whole = collect(new Fbank(), [signal], true);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 30 }), (sizes) => {
        const chunks: Float32Array[] = [];
        let at = 0;
        for (const size of sizes) {
          chunks.push(signal.subarray(at, Math.min(at + size, signal.length)));
          at = Math.min(at + size, signal.length);
        }
        chunks.push(signal.subarray(at));
        expect(collect(new Fbank(), chunks, true)).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });

  it("puts a pure tone's energy in the mel bin whose centre is nearest the tone", () => {
    const melLow = mel(20);
    const delta = (mel(7600) - melLow) / 81;
    for (const hz of [300, 1000, 3000, 6000]) {
      const frames = collect(new Fbank(), [tone(hz, 0.5)], false);
      const frame = frames[20]!;
      const loudest = frame.indexOf(Math.max(...frame));
      const expected = Math.round((mel(hz) - melLow) / delta) - 1;
      expect(Math.abs(loudest - expected)).toBeLessThanOrEqual(1);
    }
  });

  it("floors digital silence at log(float epsilon) in every bin", () => {
    const frames = collect(new Fbank(), [new Float32Array(4000)], true);
    for (const frame of frames) for (const v of frame) expect(v).toBeCloseTo(FLOOR, 5);
  });

  it("removes DC offset, so a constant signal also hits the floor", () => {
    const frames = collect(new Fbank(), [new Float32Array(4000).fill(0.3)], false);
    for (const frame of frames) for (const v of frame) expect(v).toBeCloseTo(FLOOR, 5);
  });

  it("produces finite 80-dimensional frames for full-scale noise", () => {
    const frames = collect(new Fbank(), [noise(16000, 3)], true);
    expect(frames[0]).toHaveLength(80);
    for (const frame of frames) for (const v of frame) expect(Number.isFinite(v)).toBe(true);
  });

  it("is louder for a louder signal by the power ratio", () => {
    const quiet = collect(new Fbank(), [tone(1000, 0.3, 0.1)], false)[10]!;
    const loud = collect(new Fbank(), [tone(1000, 0.3, 0.4)], false)[10]!;
    const bin = loud.indexOf(Math.max(...loud));
    expect(loud[bin]! - quiet[bin]!).toBeCloseTo(Math.log(16), 3);
  });
});
