import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { openPcmSource } from "../../../src/pipeline/audio/openPcmSource.js";
import { openWavSource } from "../../../src/pipeline/audio/openWavSource.js";
import { makeWav, sine, writeWav, type WavSpec } from "../../support/makeWav.js";
import { readAll } from "../../support/readAudio.js";
import { AUDIO_DIR } from "../../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-wav-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function decodeSpec(name: string, spec: WavSpec): Promise<Float32Array> {
  const file = path.join(tmp, name);
  writeWav(file, spec);
  return readAll(await openWavSource(file));
}

/** Dominant frequency by counting zero crossings, enough for a pure tone. */
function toneFrequency(samples: Float32Array, rate = 16000): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return (crossings / 2) * (rate / samples.length);
}

const rms = (samples: Float32Array): number =>
  Math.sqrt(samples.reduce((s, v) => s + v * v, 0) / samples.length);

describe("openWavSource", () => {
  it.each(["u8", "s16", "s24", "s32", "f32", "f64"] as const)(
    "decodes %s samples to the values written",
    async (encoding) => {
      const values = [0, 0.5, -0.5, 0.25, -0.25, 0.75];
      const out = await decodeSpec(`v-${encoding}.wav`, {
        rate: 16000,
        channels: 1,
        samples: values,
        encoding,
      });
      expect(out).toHaveLength(values.length);
      values.forEach((v, i) => expect(out[i]).toBeCloseTo(v, encoding === "u8" ? 1 : 3));
    },
  );

  it("averages channels, reads the extensible header and skips chunks before fmt", async () => {
    const frames = [0.5, -0.5, 0.2, 0.4, 0.6, 0.8]; // 6 channels, one frame
    const out = await decodeSpec("six.wav", {
      rate: 16000,
      channels: 6,
      samples: frames,
      encoding: "s16",
      extensible: true,
      before: [{ id: "LIST", data: Buffer.from("INFOsome tag!") }],
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toBeCloseTo(2 / 6, 3);
  });

  it("resamples 44.1 kHz to 16 kHz keeping a 1 kHz tone and the duration", async () => {
    const out = await decodeSpec("tone.wav", {
      rate: 44100,
      channels: 1,
      samples: sine(1000, 44100, 1),
      encoding: "s16",
    });
    // The sinc filter's delay (a few ms) stays inside libsamplerate at end of stream.
    expect(Math.abs(out.length - 16000)).toBeLessThan(80);
    expect(toneFrequency(out.subarray(2000, 14000))).toBeCloseTo(1000, -1);
    expect(rms(out.subarray(2000, 14000))).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it("band-limits: a 10 kHz tone at 44.1 kHz is removed, not aliased", async () => {
    const out = await decodeSpec("high.wav", {
      rate: 44100,
      channels: 1,
      samples: sine(10000, 44100, 1),
      encoding: "f32",
    });
    expect(rms(out.subarray(2000, 14000))).toBeLessThan(0.01);
  });

  it("gives the same samples in small and large read blocks (state carried across chunks)", async () => {
    const file = path.join(tmp, "blocks.wav");
    writeWav(file, { rate: 22050, channels: 2, samples: sine(440, 22050, 2), encoding: "s16" });
    const small = await readAll(await openWavSource(file, { blockFrames: 37 }));
    const large = await readAll(await openWavSource(file, { blockFrames: 100000 }));
    expect(small.length).toBe(large.length);
    let maxDiff = 0;
    for (let i = 0; i < small.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(small[i]! - large[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it.each([
    ["utt-01-8k.wav", 2.965],
    ["utt-01-44k1-stereo.wav", 2.965],
    ["utt-01-48k-f32.wav", 2.965],
    ["utt-01-24bit.wav", 2.965],
  ])("decodes the shared %s to 16 kHz mono of the right length", async (name, seconds) => {
    const out = await readAll(await openWavSource(path.join(AUDIO_DIR, name)));
    expect(Math.abs(out.length / 16000 - seconds) / seconds).toBeLessThan(0.01);
  });

  it.each([
    ["bad-empty.wav", /empty file/],
    ["bad-not-audio.wav", /not a RIFF\/WAVE file/],
  ])("refuses %s with a bad_input error naming the file", async (name, problem) => {
    const error = await openWavSource(path.join(AUDIO_DIR, name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as VoxtraceError).message).toContain(name);
    expect((error as VoxtraceError).message).toMatch(problem);
  });

  it("decodes a truncated file with a warning", async () => {
    const source = await openWavSource(path.join(AUDIO_DIR, "bad-truncated.wav"));
    const out = await readAll(source);
    expect(out.length).toBeGreaterThan(0);
    expect(source.warnings.join()).toMatch(/bad-truncated\.wav.*shorter than its header/);
  });

  it("does not allocate what an absurd header claims", async () => {
    const file = path.join(tmp, "absurd.wav");
    writeFileSync(
      file,
      makeWav({
        rate: 16000,
        channels: 1,
        samples: [0.1, 0.2],
        encoding: "s16",
        declaredDataBytes: 0xfffffff0,
      }),
    );
    const before = process.memoryUsage().rss;
    const source = await openWavSource(file);
    const out = await readAll(source);
    expect(out).toHaveLength(2);
    expect(process.memoryUsage().rss - before).toBeLessThan(50e6);
  });

  it("decodes NaN in a float file as silence and infinities as full scale", async () => {
    const out = await decodeSpec("nan.wav", {
      rate: 16000,
      channels: 2,
      samples: [0.5, NaN, Infinity, 0.5, -Infinity, -Infinity, 0.25, 0.25],
      encoding: "f32",
    });
    expect([...out]).toEqual([0, 1, -1, 0.25]);
  });

  it("keeps a NaN in a 44.1 kHz float file from spreading through the resampler", async () => {
    const samples = new Float64Array(4410).fill(0.1);
    samples[2000] = NaN;
    const out = await decodeSpec("nan44.wav", {
      rate: 44100,
      channels: 1,
      samples,
      encoding: "f64",
    });
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
  });

  it("keeps resampled full-scale square waves within [-1, 1] (the filter rings past it)", async () => {
    const samples = Float64Array.from({ length: 44100 }, (_, i) =>
      Math.floor(i / 20) % 2 ? 1 : -1,
    );
    const out = await decodeSpec("square.wav", {
      rate: 44100,
      channels: 1,
      samples,
      encoding: "f32",
    });
    expect(Math.max(...out.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(Math.max(...out.map(Math.abs))).toBeGreaterThan(0.99);
  });

  it("refuses sample rates above what the resampler takes with a bad_input error naming the file", async () => {
    const file = path.join(tmp, "dxd.wav");
    writeWav(file, { rate: 352800, channels: 1, samples: [0, 0], encoding: "f32" });
    const error = await openWavSource(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).message).toBe(
      `${file}: unsupported sample rate 352800 Hz (1000-192000) - resample it, e.g. sox IN.wav -r 48000 OUT.wav`,
    );
  });

  it("decodes 192 kHz, the highest rate the resampler takes", async () => {
    const out = await decodeSpec("r192k.wav", {
      rate: 192000,
      channels: 1,
      samples: sine(1000, 192000, 0.5),
      encoding: "s16",
    });
    expect(Math.abs(out.length - 8000)).toBeLessThan(80); // 1 %: the filter holds back its delay
  });

  it("refuses a file with two fmt chunks as bad input instead of picking one", async () => {
    const file = path.join(tmp, "two-fmt.wav");
    const first = Buffer.alloc(16);
    first.writeUInt16LE(1, 0); // PCM
    first.writeUInt16LE(2, 2); // stereo
    first.writeUInt32LE(8000, 4);
    first.writeUInt32LE(32000, 8);
    first.writeUInt16LE(4, 12);
    first.writeUInt16LE(16, 14);
    const wav = makeWav({
      rate: 16000,
      channels: 1,
      samples: [0, 0],
      encoding: "s16",
      before: [{ id: "fmt ", data: first }],
    });
    writeFileSync(file, wav);
    const error = await openWavSource(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(/two-fmt\.wav: a second fmt chunk at byte \d+ - /);
  });

  it("names unsupported encodings and what to do", async () => {
    const file = path.join(tmp, "mulaw.wav");
    const wav = makeWav({ rate: 8000, channels: 1, samples: [0, 0], encoding: "s16" });
    wav.writeUInt16LE(7, 20); // mu-law format tag
    writeFileSync(file, wav);
    await expect(openWavSource(file)).rejects.toThrow(/mu-law.*sox/);
  });
});

describe("openPcmSource", () => {
  it("decodes s16le and f32le from a stream, across arbitrary byte splits", async () => {
    const s16 = Buffer.alloc(8);
    [0.5, -0.5, 0.25, 0].forEach((v, i) => s16.writeInt16LE(Math.round(v * 32767), i * 2));
    const stream = new PassThrough();
    const source = await openPcmSource(stream, {
      format: "s16le",
      rate: 16000,
      channels: 1,
      description: "stdin",
    });
    stream.write(s16.subarray(0, 3));
    stream.end(s16.subarray(3));
    const out = await readAll(source);
    expect(Array.from(out).map((v) => Number(v.toFixed(3)))).toEqual([0.5, -0.5, 0.25, 0]);

    const f32 = Buffer.alloc(8);
    f32.writeFloatLE(0.125, 0);
    f32.writeFloatLE(-0.125, 4);
    const stereo = new PassThrough();
    const source2 = await openPcmSource(stereo, {
      format: "f32le",
      rate: 16000,
      channels: 2,
      description: "stdin",
    });
    stereo.end(f32);
    expect(Array.from(await readAll(source2))).toEqual([0]);
  });
});
