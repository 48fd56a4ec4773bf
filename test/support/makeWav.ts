// Writes small WAV files of any encoding for tests, with optional extra chunks.

import { writeFileSync } from "node:fs";

export interface WavSpec {
  rate: number;
  channels: number;
  /** Interleaved sample values in [-1, 1]. */
  samples: Float64Array | number[];
  encoding: "u8" | "s16" | "s24" | "s32" | "f32" | "f64";
  extensible?: boolean;
  /** Chunks inserted before fmt (e.g. LIST). */
  before?: { id: string; data: Buffer }[];
  /** Override the data chunk's declared size. */
  declaredDataBytes?: number;
}

const WIDTH = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 } as const;

export function makeWav(spec: WavSpec): Buffer {
  const width = WIDTH[spec.encoding];
  const data = Buffer.alloc(spec.samples.length * width);
  Array.from(spec.samples).forEach((v, i) => {
    const o = i * width;
    switch (spec.encoding) {
      case "u8":
        data.writeUInt8(Math.round(v * 127 + 128), o);
        break;
      case "s16":
        data.writeInt16LE(Math.round(v * 32767), o);
        break;
      case "s24":
        data.writeIntLE(Math.round(v * 8388607), o, 3);
        break;
      case "s32":
        data.writeInt32LE(Math.round(v * 2147483647), o);
        break;
      case "f32":
        data.writeFloatLE(v, o);
        break;
      case "f64":
        data.writeDoubleLE(v, o);
        break;
    }
  });
  const float = spec.encoding === "f32" || spec.encoding === "f64";
  const tag = spec.extensible ? 0xfffe : float ? 3 : 1;
  const fmt = Buffer.alloc(spec.extensible ? 40 : 16);
  fmt.writeUInt16LE(tag, 0);
  fmt.writeUInt16LE(spec.channels, 2);
  fmt.writeUInt32LE(spec.rate, 4);
  fmt.writeUInt32LE(spec.rate * spec.channels * width, 8);
  fmt.writeUInt16LE(spec.channels * width, 12);
  fmt.writeUInt16LE(width * 8, 14);
  if (spec.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(width * 8, 18);
    fmt.writeUInt16LE(float ? 3 : 1, 24); // sub-format GUID starts with the format tag
  }
  const chunk = (id: string, body: Buffer, declared = body.length): Buffer => {
    const header = Buffer.alloc(8);
    header.write(id, 0, "ascii");
    header.writeUInt32LE(declared, 4);
    return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([
    Buffer.from("WAVE"),
    ...(spec.before ?? []).map((c) => chunk(c.id, c.data)),
    chunk("fmt ", fmt),
    chunk("data", data, spec.declaredDataBytes ?? data.length),
  ]);
  const riff = Buffer.alloc(8);
  riff.write("RIFF", 0, "ascii");
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

export function writeWav(path: string, spec: WavSpec): void {
  writeFileSync(path, makeWav(spec));
}

export function sine(freq: number, rate: number, seconds: number, amplitude = 0.5): Float64Array {
  const out = new Float64Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}
