// JSON lines: one object per utterance with its times, text and latency.

import type { Writable } from "node:stream";
import type { Utterance } from "../Utterance.js";
import type { Sink } from "./Sink.js";
import { writeLine } from "./writeLine.js";

export interface UtteranceJson {
  index: number;
  start: number;
  end: number;
  text: string;
  tokens: number;
  latency_ms: number;
  finalize_ms: number;
}

export function toJson(u: Utterance): UtteranceJson {
  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  return {
    index: u.index,
    start: round(u.start, 3),
    end: round(u.end, 3),
    text: u.text,
    tokens: u.tokens,
    latency_ms: round(u.latencyMs, 1),
    finalize_ms: round(u.finalizeMs, 1),
  };
}

export class JsonSink implements Sink {
  readonly #out: Writable;

  constructor(out: Writable = process.stdout) {
    this.#out = out;
  }

  async open(): Promise<void> {}

  write(utterance: Utterance): Promise<void> {
    return writeLine(this.#out, JSON.stringify(toJson(utterance)));
  }

  async close(): Promise<void> {}
}
