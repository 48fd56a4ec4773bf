// Appends each utterance's text as a line to a file, created private (mode 0600).

import { open, type FileHandle } from "node:fs/promises";
import { VoxtraceError } from "../../errors.js";
import type { Utterance } from "../Utterance.js";
import type { Sink } from "./Sink.js";

export class FileSink implements Sink {
  readonly #path: string;
  #file: FileHandle | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  async open(): Promise<void> {
    try {
      this.#file = await open(this.#path, "a", 0o600);
    } catch (error) {
      throw new VoxtraceError(
        "bad_input",
        `${this.#path}: cannot open for writing (${(error as NodeJS.ErrnoException).code ?? String(error)}) - choose another --output path`,
      );
    }
  }

  async write(utterance: Utterance): Promise<void> {
    await this.#file?.appendFile(`${utterance.text}\n`);
  }

  async close(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (!file) return;
    await file.sync();
    await file.close();
  }
}
