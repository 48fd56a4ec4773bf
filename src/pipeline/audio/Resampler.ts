// Streaming band-limited resampling to the pipeline rate with libsamplerate (sinc), its
// filter state carried across chunks so chunk boundaries leave no clicks.

import libsamplerate from "@alexanderolsen/libsamplerate-js";
import { VoxtraceError } from "../../errors.js";
import { PIPELINE_SAMPLE_RATE } from "./AudioSource.js";

// A CommonJS package: named imports do not resolve under Node ESM.
const { ConverterType, create } = libsamplerate;
type SrcInstance = Awaited<ReturnType<typeof create>>;

export interface Resampler {
  process(samples: Float32Array): Float32Array;
  close(): void;
}

/** libsamplerate-js refuses higher input rates, by throwing a bare string. */
export const MAX_INPUT_SAMPLE_RATE = 192_000;

const IDENTITY: Resampler = {
  process: (samples) => samples,
  close() {},
};

/**
 * A resampler from `inputRate` to 16 kHz mono. SRC_SINC_MEDIUM_QUALITY keeps aliasing
 * far below what the recogniser can hear at a small fraction of the pipeline's time.
 */
export async function createResampler(inputRate: number): Promise<Resampler> {
  if (inputRate === PIPELINE_SAMPLE_RATE) return IDENTITY;
  if (!(inputRate >= 1 && inputRate <= MAX_INPUT_SAMPLE_RATE)) {
    throw new VoxtraceError(
      "bad_input",
      `sample rate ${inputRate} Hz is outside 1-${MAX_INPUT_SAMPLE_RATE} Hz, what the resampler takes - resample the audio first, e.g. sox IN.wav -r 48000 OUT.wav`,
    );
  }
  const src: SrcInstance = await create(1, inputRate, PIPELINE_SAMPLE_RATE, {
    converterType: ConverterType.SRC_SINC_MEDIUM_QUALITY,
  });
  let closed = false;
  return {
    process(samples) {
      if (samples.length === 0) return samples;
      const out = src.full(samples);
      // A band-limited filter rings past full scale on steep edges (a square wave at
      // 44.1 kHz overshoots to about 1.19); the pipeline promises samples in [-1, 1].
      for (let i = 0; i < out.length; i++) {
        const v = out[i]!;
        if (v > 1) out[i] = 1;
        else if (v < -1) out[i] = -1;
      }
      return out;
    },
    close() {
      if (closed) return;
      closed = true;
      src.destroy();
    },
  };
}
