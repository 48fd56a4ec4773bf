// Appends each utterance's text as a line to a file, private (mode 0600), never through a
// symbolic link (openPrivateFile).

import { closeSync, fsyncSync, writeSync } from "node:fs";
import { openPrivateFile } from "../../files/openPrivateFile.js";
import type { Utterance } from "../Utterance.js";
import type { Sink } from "./Sink.js";

export class FileSink implements Sink {
  readonly #path: string;
  #fd: number | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  open(): Promise<void> {
    return settle(() => {
      this.#fd = openPrivateFile(this.#path, "append", "choose another --output path");
    });
  }

  write(utterance: Utterance): Promise<void> {
    // One short line per utterance: a synchronous append is one write(2), in order.
    return settle(() => {
      if (this.#fd !== undefined) writeSync(this.#fd, `${utterance.text}\n`);
    });
  }

  close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    return settle(() => {
      if (fd === undefined) return;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }
}

/** Runs synchronous file work, turning a throw into a rejection as callers of a Sink expect. */
function settle(work: () => void): Promise<void> {
  return new Promise((resolve) => {
    work();
    resolve();
  });
}
