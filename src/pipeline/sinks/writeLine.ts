// Writes one line and resolves once the stream has taken it, so back-pressure from a
// slow consumer (a pipe, a file) reaches the pipeline instead of piling up in memory.

import type { Writable } from "node:stream";

export function writeLine(out: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
  });
}
