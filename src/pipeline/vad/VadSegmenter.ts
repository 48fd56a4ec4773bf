// Turns a stream of samples into speech segments with a VAD: start and end thresholds
// with hysteresis, minimum speech and silence durations, pre-roll, and a maximum
// utterance length that forces a split. Times are 16 kHz sample indices.

import { VoxtraceError } from "../../errors.js";
import { joinSamples } from "../audio/joinSamples.js";
import type { SegmentEvent } from "../Recognizer.js";
import { VAD_FRAME_SAMPLES } from "./SileroVad.js";

export interface VadConfig {
  /** Probability at or above which speech starts (and a silence run is broken). */
  threshold: number;
  /** Probability below which a frame counts as silence; lower than threshold. */
  negThreshold: number;
  /** Shorter bursts are ignored. */
  minSpeechMs: number;
  /** Silence this long ends an utterance. */
  minSilenceMs: number;
  /** Audio kept from before the detected start and sent with it. */
  preRollMs: number;
  /**
   * Silence after the last speech still sent to the recognizer. The rest of the silence
   * that ends an utterance is held back and, once the utterance ends, never encoded.
   */
  tailMs: number;
  /** An utterance this long is split, so text keeps flowing in a monologue. */
  maxUtteranceMs: number;
}

export const DEFAULT_VAD_CONFIG: Readonly<VadConfig> = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechMs: 250,
  minSilenceMs: 500,
  preRollMs: 300,
  tailMs: 200,
  maxUtteranceMs: 30_000,
};

/**
 * What the segmenter asks of a VAD: the speech probability of each 512-sample frame of a
 * run of whole frames, in order (SileroVad); or, from a classifier written for one frame
 * a call, each frame's probability in turn.
 */
export type FrameClassifier =
  | { probabilities(frames: Float32Array): Promise<Float32Array> }
  | { probability(frame: Float32Array): Promise<number> };

/** The probabilities of a run of whole frames, from either kind of classifier. */
async function probabilitiesOf(vad: FrameClassifier, run: Float32Array): Promise<Float32Array> {
  if ("probabilities" in vad) return vad.probabilities(run);
  const out = new Float32Array(run.length / VAD_FRAME_SAMPLES);
  for (let i = 0; i < out.length; i++)
    out[i] = await vad.probability(
      run.subarray(i * VAD_FRAME_SAMPLES, (i + 1) * VAD_FRAME_SAMPLES),
    );
  return out;
}

const msToSamples = (ms: number): number => Math.round((ms * 16000) / 1000);

type Phase = "idle" | "candidate" | "speech";

export class VadSegmenter {
  readonly #vad: FrameClassifier;
  readonly #config: VadConfig;
  readonly #frame = new Float32Array(VAD_FRAME_SAMPLES);
  #filled = 0;
  #position = 0; // sample index of the frame being filled
  #phase: Phase = "idle";
  #start = 0;
  #silenceStart: number | undefined;
  /** Recent frames before speech (pre-roll) and frames of an unconfirmed candidate. */
  #held: Float32Array[] = [];
  /** Frames of a silence run, beyond the tail, not yet sent (speech may resume). */
  #silence: Float32Array[] = [];
  readonly #preRollFrames: number;
  readonly #tailSamples: number;

  constructor(vad: FrameClassifier, config: Partial<VadConfig> = {}) {
    this.#vad = vad;
    this.#config = vadSettings(config);
    this.#preRollFrames = Math.ceil(msToSamples(this.#config.preRollMs) / VAD_FRAME_SAMPLES);
    this.#tailSamples = msToSamples(this.#config.tailMs);
  }

  get config(): Readonly<VadConfig> {
    return this.#config;
  }

  async push(samples: Float32Array): Promise<SegmentEvent[]> {
    const events: SegmentEvent[] = [];
    let rest = samples;
    const whole = Math.floor((this.#filled + samples.length) / VAD_FRAME_SAMPLES);
    if (whole > 0) {
      // Every whole frame the held part and these samples make goes to the VAD in one
      // call: the model runs them as one batch (batchVadFrames).
      const run = new Float32Array(whole * VAD_FRAME_SAMPLES);
      run.set(this.#frame.subarray(0, this.#filled));
      const used = run.length - this.#filled;
      run.set(samples.subarray(0, used), this.#filled);
      const probabilities = await probabilitiesOf(this.#vad, run);
      for (let i = 0; i < whole; i++) {
        // A view: what is sent is copied out by joinAudio, and what is held keeps `run`.
        const frame = run.subarray(i * VAD_FRAME_SAMPLES, (i + 1) * VAD_FRAME_SAMPLES);
        this.#step(frame, probabilities[i]!, events);
        this.#position += VAD_FRAME_SAMPLES;
      }
      this.#filled = 0;
      rest = samples.subarray(used);
    }
    this.#frame.set(rest, this.#filled);
    this.#filled += rest.length;
    return joinAudio(events);
  }

  /** End of input: closes an open utterance with the audio that is left. */
  flush(): SegmentEvent[] {
    const events: SegmentEvent[] = [];
    if (this.#phase === "speech") {
      if (this.#filled > 0 && this.#withinTail(this.#position))
        events.push({ type: "audio", samples: this.#frame.slice(0, this.#filled) });
      const end = this.#silenceStart ?? this.#position + this.#filled;
      events.push({ type: "end", sample: end, reason: "eof" });
    }
    this.#phase = "idle";
    this.#held = [];
    this.#silence = [];
    this.#filled = 0;
    return joinAudio(events);
  }

  #step(frame: Float32Array, probability: number, events: SegmentEvent[]): void {
    const c = this.#config;
    const frameEnd = this.#position + VAD_FRAME_SAMPLES;
    const speechy = probability >= c.threshold;
    const silent = probability < c.negThreshold;
    switch (this.#phase) {
      case "idle":
        this.#hold(frame, this.#preRollFrames);
        if (speechy) {
          this.#phase = "candidate";
          this.#start = this.#position;
          this.#silenceStart = undefined;
        }
        return;
      case "candidate":
        this.#held.push(frame);
        this.#trackSilence(speechy, silent);
        if (
          this.#silenceStart !== undefined &&
          frameEnd - this.#silenceStart >= msToSamples(c.minSilenceMs)
        ) {
          this.#phase = "idle"; // too short to be speech: forget it, keep pre-roll only
          this.#held = this.#held.slice(-this.#preRollFrames);
          return;
        }
        if (
          frameEnd - this.#start >= msToSamples(c.minSpeechMs) &&
          this.#silenceStart === undefined
        ) {
          this.#phase = "speech";
          events.push({ type: "start", sample: this.#start });
          for (const held of this.#held) events.push({ type: "audio", samples: held });
          this.#held = [];
        }
        return;
      case "speech":
        this.#trackSilence(speechy, silent);
        if (this.#withinTail(this.#position)) {
          // Speech goes on (or the tail does): silence held back was a pause inside it.
          this.#sendSilence(events);
          events.push({ type: "audio", samples: frame });
        } else {
          this.#silence.push(frame);
        }
        if (
          this.#silenceStart !== undefined &&
          frameEnd - this.#silenceStart >= msToSamples(c.minSilenceMs)
        ) {
          events.push({ type: "end", sample: this.#silenceStart, reason: "silence" });
          this.#phase = "idle";
          this.#held = [];
          this.#silence = [];
        } else if (frameEnd - this.#start >= msToSamples(c.maxUtteranceMs)) {
          this.#sendSilence(events);
          events.push({ type: "end", sample: frameEnd, reason: "max-length" });
          // Speech goes on: the next utterance starts right here, with no pre-roll,
          // since that audio has already been recognised.
          this.#start = frameEnd;
          this.#silenceStart = undefined;
          events.push({ type: "start", sample: frameEnd });
        }
        return;
      default: {
        const unexpected: never = this.#phase;
        throw new Error(`unknown VAD phase ${String(unexpected)}`);
      }
    }
  }

  /**
   * Whether a frame starting at `position` is sent: speech, or silence still within the
   * tail. Positions only grow, so once a frame is held back every later one of the same
   * silence is too.
   */
  #withinTail(position: number): boolean {
    return this.#silenceStart === undefined || position - this.#silenceStart < this.#tailSamples;
  }

  /** Sends the silence held back, which turned out to lie inside the utterance. */
  #sendSilence(events: SegmentEvent[]): void {
    if (this.#silence.length === 0) return;
    for (const held of this.#silence) events.push({ type: "audio", samples: held });
    this.#silence = [];
  }

  #trackSilence(speechy: boolean, silent: boolean): void {
    if (speechy) this.#silenceStart = undefined;
    else if (silent && this.#silenceStart === undefined) this.#silenceStart = this.#position;
  }

  #hold(frame: Float32Array, limit: number): void {
    this.#held.push(frame);
    if (this.#held.length > limit) this.#held.shift();
  }
}

/** The defaults with `overrides` applied, checked; a usage error names a bad setting. */
export function vadSettings(overrides: Partial<VadConfig> = {}): VadConfig {
  const config = { ...DEFAULT_VAD_CONFIG, ...overrides };
  const bad = (what: string): never => {
    throw new VoxtraceError("usage", `VAD setting ${what}`);
  };
  if (!(config.threshold > 0 && config.threshold < 1))
    bad(`threshold ${config.threshold}: expected 0 < p < 1`);
  if (!(config.negThreshold > 0 && config.negThreshold <= config.threshold)) {
    bad(
      `end threshold ${config.negThreshold}: expected 0 < p <= start threshold ${config.threshold}`,
    );
  }
  for (const key of ["minSpeechMs", "minSilenceMs", "preRollMs", "tailMs"] as const) {
    if (!(config[key] >= 0)) bad(`${key} ${config[key]}: expected a duration >= 0`);
  }
  if (!(config.maxUtteranceMs >= 1000))
    bad(`maxUtteranceMs ${config.maxUtteranceMs}: expected at least 1000 ms`);
  return config;
}

/**
 * The events with each run of consecutive audio events joined into one new array: the
 * recogniser then computes features and runs encoder chunks for all of it in one go
 * (its result does not depend on how its audio is cut), and the VAD thread sends one
 * array per run instead of one per 512-sample frame.
 */
export function joinAudio(events: readonly SegmentEvent[]): SegmentEvent[] {
  const joined: SegmentEvent[] = [];
  let run: Float32Array[] = [];
  const close = (): void => {
    if (run.length === 0) return;
    joined.push({ type: "audio", samples: joinSamples(run) });
    run = [];
  };
  for (const event of events) {
    if (event.type === "audio") run.push(event.samples);
    else {
      close();
      joined.push(event);
    }
  }
  close();
  return joined;
}
