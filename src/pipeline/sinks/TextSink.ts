// Plain text: one line per utterance, to stdout by default.

import type { Writable } from "node:stream";
import type { Utterance } from "../Utterance.js";
import type { Sink } from "./Sink.js";
import { writeLine } from "./writeLine.js";

export class TextSink implements Sink {
  readonly #out: Writable;

  constructor(out: Writable = process.stdout) {
    this.#out = out;
  }

  async open(): Promise<void> {}

  write(utterance: Utterance): Promise<void> {
    return writeLine(this.#out, utterance.text);
  }

  async close(): Promise<void> {}
}
