// What the pipeline delivers for one utterance.

export interface Utterance {
  /** 0-based index of the utterance within the session. */
  index: number;
  /** Start and end of speech in seconds of source audio (sample-accurate / 16 kHz). */
  start: number;
  end: number;
  /** Final recognised text (may be empty when the recogniser emitted no tokens). */
  text: string;
  /** Number of tokens the recogniser emitted. */
  tokens: number;
  /**
   * Wall-clock milliseconds from the moment the last speech sample entered the
   * pipeline to the moment the text was handed to the sinks. Includes the VAD's
   * trailing-silence wait when audio arrives in real time.
   */
  latencyMs: number;
  /**
   * Wall-clock milliseconds from the VAD's end-of-speech decision (when it finished the
   * chunk that ended the utterance, on whichever thread it runs) to final text.
   */
  finalizeMs: number;
}
