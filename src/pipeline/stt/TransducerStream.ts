// One utterance through a streaming transducer: fbank frames accumulate until an
// encoder chunk is complete, the encoder runs with carried states, and greedy search
// turns its frames into tokens, re-running the decoder only after an emission.

import ort from "onnxruntime-node";
import type { Tensor } from "onnxruntime-node";
import { VoxtraceError } from "../../errors.js";
import { Fbank } from "./Fbank.js";
import { ModifiedBeamSearch } from "./ModifiedBeamSearch.js";
import type { ZipformerModel } from "./ZipformerModel.js";

export type ChunkRunner = <T>(chunkIndex: number, fn: () => Promise<T>) => Promise<T>;

/** How tokens are searched: greedy (one best path) or a beam of hypotheses. */
export type Decoding = { method: "greedy" } | { method: "modified_beam_search"; beam: number };

/**
 * Frame shifts of silence appended at the end beyond the frames the last chunk needs:
 * a frame's 25 ms window reaches 1.5 shifts past its start. The model's README suggests
 * a fixed 0.8 s; that ran one chunk more per utterance than needed (padding only),
 * ~8 % of the encoder's work.
 */
const PADDING_OVERHANG_SHIFTS = 2;

const runDirectly: ChunkRunner = (_chunkIndex, fn) => fn();

export interface StreamOptions {
  runChunk?: ChunkRunner;
  decoding?: Decoding;
  /**
   * Encoder chunks to let pile up before running them back to back. Running the encoder
   * several times in a row, and the VAD many frames in a row in between, keeps each
   * model's weights in cache: 4 cut CPU per audio second by ~13 % (docs/benchmarks.md).
   * Each extra chunk delays partial text by 320 ms and adds one chunk to the work left
   * at finish, so live input keeps 1.
   */
  chunksPerRun?: number;
}

export class TransducerStream {
  #chunksRun = 0;
  #samplesAccepted = 0;
  readonly #model: ZipformerModel;
  readonly #runChunk: ChunkRunner;
  /** Feature frames pending before accept() runs the encoder. */
  readonly #framesToRun: number;
  readonly #fbank: Fbank;
  readonly #onFrame: (frame: Float32Array) => void;
  // Feature frames not yet consumed by a chunk, row-major, from #pendingStart.
  #pending: Float32Array;
  #pendingFrames = 0;
  readonly #x: Tensor;
  readonly #xData: Float32Array;
  #states: Record<string, Tensor>;
  readonly #hyp: number[] = [];
  readonly #context: BigInt64Array;
  readonly #contextTensor: Tensor;
  #decoderOut: Tensor | undefined;
  #encoderRow: Float32Array | undefined;
  #encoderRowTensor: Tensor | undefined;
  #text = "";
  #result: { text: string; tokens: number } | undefined;
  readonly #beamSearch: ModifiedBeamSearch | undefined;

  constructor(model: ZipformerModel, options: StreamOptions = {}) {
    const { runChunk = runDirectly, decoding = { method: "greedy" }, chunksPerRun = 1 } = options;
    if (!(Number.isInteger(chunksPerRun) && chunksPerRun >= 1)) {
      throw new VoxtraceError("usage", `chunksPerRun ${chunksPerRun}: expected an integer >= 1`);
    }
    this.#model = model;
    this.#runChunk = runChunk;
    this.#framesToRun = model.chunkFrames + (chunksPerRun - 1) * model.shiftFrames;
    const dim = model.featureDim;
    this.#fbank = new Fbank({ numBins: dim });
    this.#pending = new Float32Array(2 * model.chunkFrames * dim);
    this.#onFrame = (frame) => this.#pushFrame(frame);
    this.#xData = new Float32Array(model.chunkFrames * dim);
    this.#x = new ort.Tensor("float32", this.#xData, [1, model.chunkFrames, dim]);
    this.#states = model.initialStates();
    // sherpa-onnx starts the context as [-1, ..., -1, blank].
    this.#context = new BigInt64Array(model.contextSize).fill(-1n);
    this.#context[model.contextSize - 1] = BigInt(model.blankId);
    this.#contextTensor = new ort.Tensor("int64", this.#context, [1, model.contextSize]);
    if (decoding.method === "modified_beam_search") {
      this.#beamSearch = new ModifiedBeamSearch(model, decoding.beam);
    }
  }

  /** Feeds 16 kHz mono samples in [-1, 1]; runs every encoder chunk now complete. */
  async accept(samples: Float32Array): Promise<void> {
    if (this.#result) throw new VoxtraceError("internal", "TransducerStream.accept after finish");
    this.#samplesAccepted += samples.length;
    this.#fbank.accept(samples, this.#onFrame);
    if (this.#pendingFrames >= this.#framesToRun) await this.#runReadyChunks();
  }

  /** Encoder chunks run so far. */
  get chunksRun(): number {
    return this.#chunksRun;
  }

  partialText(): string {
    return this.#text;
  }

  /** Pads trailing silence, runs the last chunks and returns the final text. */
  async finish(): Promise<{ text: string; tokens: number }> {
    if (this.#result) return this.#result;
    const { chunkFrames, shiftFrames } = this.#model;
    // Frames the audio itself makes (Kaldi's count for the samples accepted); chunk k
    // decodes frames [k * shift, (k + 1) * shift), so this many chunks cover them all.
    const shift = this.#fbank.frameShift;
    const realFrames = Math.floor((this.#samplesAccepted + shift / 2) / shift);
    const chunksNeeded = Math.ceil(realFrames / shiftFrames);
    const framesNeeded = (chunksNeeded - 1) * shiftFrames + chunkFrames;
    const missing = framesNeeded - this.#fbank.frames;
    if (this.#chunksRun < chunksNeeded && missing > 0) {
      const padding = new Float32Array((missing + PADDING_OVERHANG_SHIFTS) * shift);
      this.#fbank.accept(padding, this.#onFrame);
    }
    await this.#runReadyChunks(chunksNeeded);
    const tokens = this.#beamSearch ? this.#beamSearch.best().length : this.#hyp.length;
    this.#result = { text: this.#text, tokens };
    return this.#result;
  }

  #pushFrame(frame: Float32Array): void {
    const dim = frame.length;
    const needed = (this.#pendingFrames + 1) * dim;
    if (needed > this.#pending.length) {
      const grown = new Float32Array(2 * this.#pending.length);
      grown.set(this.#pending.subarray(0, this.#pendingFrames * dim));
      this.#pending = grown;
    }
    this.#pending.set(frame, this.#pendingFrames * dim);
    this.#pendingFrames += 1;
  }

  async #runReadyChunks(limit = Infinity): Promise<void> {
    const { chunkFrames, shiftFrames, featureDim } = this.#model;
    let start = 0;
    while (this.#pendingFrames - start >= chunkFrames && this.#chunksRun < limit) {
      this.#xData.set(
        this.#pending.subarray(start * featureDim, (start + chunkFrames) * featureDim),
      );
      await this.#runChunk(this.#chunksRun, () => this.#decodeChunk());
      this.#chunksRun += 1;
      start += shiftFrames;
    }
    if (start > 0) {
      this.#pending.copyWithin(0, start * featureDim, this.#pendingFrames * featureDim);
      this.#pendingFrames -= start;
    }
  }

  async #decodeChunk(): Promise<void> {
    const model = this.#model;
    const outputs = await model.encoder.run({ ...this.#states, x: this.#x });
    for (const name of model.stateNames) this.#states[name] = outputs[`new_${name}`]!;
    const encoderOut = outputs.encoder_out!;
    const [, frames = 1, dim = encoderOut.size] = encoderOut.dims;
    if (this.#beamSearch) {
      await this.#beamSearch.decode(encoderOut.data as Float32Array, frames, dim);
      this.#text = model.tokens.textOf(this.#beamSearch.best());
    } else {
      await this.#greedySearch(encoderOut.data as Float32Array, frames, dim);
    }
  }

  async #greedySearch(encoderOut: Float32Array, frames: number, dim: number): Promise<void> {
    const model = this.#model;
    if (!this.#encoderRow || this.#encoderRow.length !== dim) {
      this.#encoderRow = new Float32Array(dim);
      this.#encoderRowTensor = new ort.Tensor("float32", this.#encoderRow, [1, dim]);
    }
    this.#decoderOut ??= await this.#runDecoder();
    const [encoderName, decoderName] = model.joiner.inputNames as [string, string];
    const [logitName] = model.joiner.outputNames as [string];
    let emitted = false;
    for (let t = 0; t < frames; t++) {
      this.#encoderRow.set(encoderOut.subarray(t * dim, (t + 1) * dim));
      const joined = await model.joiner.run({
        [encoderName]: this.#encoderRowTensor!,
        [decoderName]: this.#decoderOut,
      });
      const token = argmax(joined[logitName]!.data as Float32Array);
      if (token === model.blankId || token === model.unkId) continue;
      this.#hyp.push(token);
      this.#context.copyWithin(0, 1);
      this.#context[this.#context.length - 1] = BigInt(token);
      this.#decoderOut = await this.#runDecoder();
      emitted = true;
    }
    if (emitted) this.#text = model.tokens.textOf(this.#hyp);
  }

  async #runDecoder(): Promise<Tensor> {
    const decoder = this.#model.decoder;
    const outputs = await decoder.run({ [decoder.inputNames[0]!]: this.#contextTensor });
    return outputs[decoder.outputNames[0]!]!;
  }
}

function argmax(values: Float32Array): number {
  let best = 0;
  let bestValue = values[0]!;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > bestValue) {
      bestValue = values[i]!;
      best = i;
    }
  }
  return best;
}
