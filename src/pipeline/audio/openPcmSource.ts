// Raw PCM from a stream (stdin) as an AudioSource: little-endian s16 or f32 at a given
// rate and channel count, decoded and resampled as it arrives.

import type { Readable } from "node:stream";
import type { AudioSource } from "./AudioSource.js";
import { PcmDecoder } from "./PcmDecoder.js";
import { createResampler } from "./Resampler.js";

/** What a stream of raw PCM holds: little-endian samples, interleaved channels. */
export interface RawPcmFormat {
  format: "s16le" | "f32le";
  rate: number;
  channels: number;
}

export interface PcmSourceOptions extends RawPcmFormat {
  description: string;
}

export async function openPcmSource(
  stream: Readable,
  options: PcmSourceOptions,
): Promise<AudioSource> {
  const resampler = await createResampler(options.rate);
  const decoder = new PcmDecoder(options.format === "s16le" ? "s16" : "f32", options.channels);
  const warnings: string[] = [];
  let closed = false;
  return {
    description: options.description,
    durationSeconds: undefined,
    warnings,
    close() {
      if (!closed) {
        closed = true;
        resampler.close();
        stream.destroy();
      }
      return Promise.resolve();
    },
    async *chunks() {
      for await (const data of stream) {
        if (closed) break;
        const samples = resampler.process(decoder.decode(data as Buffer));
        if (samples.length > 0) yield samples;
      }
      if (decoder.leftoverBytes > 0) {
        warnings.push(
          `${options.description}: ignored ${decoder.leftoverBytes} trailing byte(s) that do not make a whole ${options.format} frame`,
        );
      }
    },
  };
}
