// Streaming Kaldi-compatible log-mel filterbank, the input features of sherpa-onnx
// zipformer transducers. Follows Kaldi's online fbank with snip_edges=false: frame f
// is centred on sample f*shift + shift/2, so frames exist from the first 10 ms on and
// edges are filled by reflecting the signal.

import FFT from "fft.js";
import { VoxtraceError } from "../../errors.js";
import { melBanks, type MelBanks } from "./MelBanks.js";

export interface FbankOptions {
  sampleRate: number;
  numBins: number;
  frameLengthMs: number;
  frameShiftMs: number;
  lowFreq: number;
  /** Upper mel edge; <= 0 means that much below Nyquist (Kaldi's convention). */
  highFreq: number;
  preemphasis: number;
}

export const DEFAULT_FBANK_OPTIONS: FbankOptions = {
  sampleRate: 16000,
  numBins: 80,
  frameLengthMs: 25,
  frameShiftMs: 10,
  lowFreq: 20,
  highFreq: -400,
  preemphasis: 0.97,
};

/** Kaldi floors mel energies at float epsilon before the log. */
const ENERGY_FLOOR = 1.1920928955078125e-7;

export type FrameSink = (features: Float32Array) => void;

/** The window, FFT plan and mel filters of each setting in use (read-only once made). */
const TABLES = new Map<string, { window: Float64Array; fft: FFT; banks: MelBanks }>();

export class Fbank {
  readonly dim: number;
  readonly frameShift: number;
  readonly #length: number;
  readonly #preemphasis: number;
  readonly #window: Float64Array;
  readonly #fft: FFT;
  readonly #frame: Float64Array; // windowed frame, zero-padded to the FFT size
  readonly #spectrum: Float64Array;
  readonly #power: Float64Array;
  readonly #banks: MelBanks;
  readonly #out: Float32Array;
  // Samples from the first one the next frame needs; #bufStart is its absolute index.
  #buf: Float32Array;
  #bufLen = 0;
  #bufStart = 0;
  #received = 0;
  #nextFrame = 0;
  #finished = false;

  constructor(options: Partial<FbankOptions> = {}) {
    const o = { ...DEFAULT_FBANK_OPTIONS, ...options };
    this.dim = o.numBins;
    this.#length = Math.round((o.sampleRate * o.frameLengthMs) / 1000);
    this.frameShift = Math.round((o.sampleRate * o.frameShiftMs) / 1000);
    this.#preemphasis = o.preemphasis;
    let fftSize = 1;
    while (fftSize < this.#length) fftSize *= 2;
    const high = o.highFreq > 0 ? o.highFreq : o.sampleRate / 2 + o.highFreq;
    // Every utterance makes a stream and so an Fbank: the tables are made once per setting.
    const key = [this.#length, fftSize, o.numBins, o.sampleRate, o.lowFreq, high].join(",");
    let tables = TABLES.get(key);
    if (!tables) {
      tables = {
        window: poveyWindow(this.#length),
        fft: new FFT(fftSize),
        banks: melBanks(o.numBins, fftSize, o.sampleRate, o.lowFreq, high),
      };
      TABLES.set(key, tables);
    }
    ({ window: this.#window, fft: this.#fft, banks: this.#banks } = tables);
    this.#frame = new Float64Array(fftSize);
    this.#spectrum = new Float64Array(2 * fftSize);
    this.#power = new Float64Array(fftSize / 2);
    this.#out = new Float32Array(o.numBins);
    this.#buf = new Float32Array(4 * this.#length);
  }

  /** Frames emitted so far. */
  get frames(): number {
    return this.#nextFrame;
  }

  /**
   * Appends samples and calls `onFrame` for each frame that is now complete. The
   * array passed to `onFrame` is reused: copy it before the next call.
   */
  accept(samples: Float32Array, onFrame: FrameSink): void {
    if (this.#finished) throw new VoxtraceError("internal", "Fbank.accept after flush");
    this.#append(samples);
    while (this.#firstSample(this.#nextFrame) + this.#length <= this.#received) {
      this.#emit(onFrame);
    }
    this.#discardConsumed();
  }

  /** End of input: emits the frames Kaldi adds at the end (reflected tail). */
  flush(onFrame: FrameSink): void {
    if (this.#finished) return;
    this.#finished = true;
    const total = Math.floor((this.#received + this.frameShift / 2) / this.frameShift);
    while (this.#nextFrame < total) this.#emit(onFrame);
  }

  #firstSample(frame: number): number {
    return frame * this.frameShift + Math.floor(this.frameShift / 2) - Math.floor(this.#length / 2);
  }

  #append(samples: Float32Array): void {
    const needed = this.#bufLen + samples.length;
    if (needed > this.#buf.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.#buf.length));
      grown.set(this.#buf.subarray(0, this.#bufLen));
      this.#buf = grown;
    }
    this.#buf.set(samples, this.#bufLen);
    this.#bufLen = needed;
    this.#received += samples.length;
  }

  #discardConsumed(): void {
    const drop = Math.min(this.#firstSample(this.#nextFrame) - this.#bufStart, this.#bufLen);
    if (drop <= 0) return;
    this.#buf.copyWithin(0, drop, this.#bufLen);
    this.#bufLen -= drop;
    this.#bufStart += drop;
  }

  #emit(onFrame: FrameSink): void {
    const frame = this.#frame;
    const buf = this.#buf;
    const len = this.#length;
    const n = this.#bufLen;
    const start = this.#firstSample(this.#nextFrame) - this.#bufStart;
    if (start >= 0 && start + len <= n) frame.set(buf.subarray(start, start + len));
    else {
      for (let i = 0; i < len; i++) {
        let s = start + i;
        // Reflect at the edges of the kept samples, as Kaldi's ExtractWindow does.
        while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
        frame[i] = buf[s]!;
      }
    }
    let mean = 0;
    for (let i = 0; i < len; i++) mean += frame[i]!;
    mean /= len;
    // Mean removal, pre-emphasis and the window in one pass from the end: each sample
    // takes k times its (mean-removed) predecessor, which is not yet overwritten.
    const k = this.#preemphasis;
    const window = this.#window;
    let next = frame[len - 1]! - mean;
    for (let i = len - 1; i > 0; i--) {
      const previous = frame[i - 1]! - mean;
      frame[i] = (next - k * previous) * window[i]!;
      next = previous;
    }
    frame[0] = (next - k * next) * window[0]!;
    // frame[len..] stays zero: nothing ever writes there.
    this.#fft.realTransform(this.#spectrum, frame);
    const spectrum = this.#spectrum;
    const power = this.#power;
    for (let b = 0; b < power.length; b++) {
      const re = spectrum[2 * b]!;
      const im = spectrum[2 * b + 1]!;
      power[b] = re * re + im * im;
    }
    const { offsets, weights } = this.#banks;
    const out = this.#out;
    for (let m = 0; m < out.length; m++) {
      const w = weights[m]!;
      const offset = offsets[m]!;
      let energy = 0;
      for (let j = 0; j < w.length; j++) energy += w[j]! * power[offset + j]!;
      out[m] = Math.log(energy > ENERGY_FLOOR ? energy : ENERGY_FLOOR);
    }
    this.#nextFrame += 1;
    onFrame(out);
  }
}

function poveyWindow(length: number): Float64Array {
  const window = new Float64Array(length);
  const a = (2 * Math.PI) / (length - 1);
  for (let i = 0; i < length; i++) window[i] = Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
  return window;
}
