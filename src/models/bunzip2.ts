// Decompresses bzip2 one block at a time as an async generator, so a pipeline pulls
// output only as fast as it is written: unbzip2-stream's own stream decodes everything
// left at end of input at once, into per-byte arrays, and a tiny archive that expands to
// gigabytes took gigabytes of memory. At most one block (< 50 MB) is held here.

import bzip2 from "unbzip2-stream/lib/bzip2.js";
import bitIterator from "unbzip2-stream/lib/bit_iterator.js";
import { VoxtraceError } from "../errors.js";

/** A compressed block is at most 100 kB per level plus headers; the decoder needs it whole. */
const blockInputBytes = (level: number): number => 25_000 + 100_000 * level;
const OUTPUT_CHUNK_BYTES = 64 * 1024;

export function bunzip2(what: string): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* decompress(source) {
    const queue: Buffer[] = [];
    let received = 0;
    // The bit reader takes its first buffer when made, so it is made on the first data.
    let reader: ReturnType<typeof bitIterator> | undefined;
    const bits = (n: number | null): number => reader!(n);
    const consumed = (): number => reader?.bytesRead ?? 0;
    let level = 0; // block size of the current stream; 0 before its header
    let crc: number | null = null;
    let streams = 0;

    /** Decodes the next header or block; returns the output chunks and whether input remains. */
    const step = (): Buffer[] => {
      const out: Buffer[] = [];
      let chunk = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES);
      let used = 0;
      try {
        if (level === 0) {
          level = bzip2.header(bits);
          crc = 0;
          streams++;
          return out;
        }
        const size = 100_000 * level;
        crc = bzip2.decompress(
          bits,
          (byte) => {
            chunk[used++] = byte;
            if (used === OUTPUT_CHUNK_BYTES) {
              out.push(chunk);
              chunk = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES);
              used = 0;
            }
          },
          new Int32Array(size),
          size,
          crc,
        );
      } catch (error) {
        throw corrupt(what, error);
      }
      if (crc === null) level = 0; // end of one bzip2 stream; another may follow
      if (used > 0) out.push(chunk.subarray(0, used));
      return out;
    };

    for await (const data of source) {
      if (data.length === 0) continue;
      queue.push(data);
      received += data.length;
      reader ??= bitIterator(() => queue.shift());
      while (received - consumed() + 1 >= blockInputBytes(level)) yield* step();
    }
    while (received > consumed()) yield* step();
    if (streams === 0) throw corrupt(what, new Error("empty file"));
    if (level !== 0) throw corrupt(what, new Error("it ends in the middle of a block"));
  };
}

function corrupt(what: string, error: unknown): VoxtraceError {
  const reason = error instanceof Error ? error.message : String(error);
  return new VoxtraceError(
    "bad_input",
    `${what}: not a readable bzip2 archive (${reason.slice(0, 80)}) - it is corrupt or not a .tar.bz2; download it again`,
    { cause: error },
  );
}
