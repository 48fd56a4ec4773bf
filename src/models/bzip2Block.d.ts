// Types for the block decoder inside unbzip2-stream, which bunzip2.ts drives itself so
// that decompression follows the consumer's pace (the package's stream does not).
declare module "unbzip2-stream/lib/bzip2.js" {
  type BitReader = (n: number | null) => number;
  const bzip2: {
    /** Reads the stream header; returns the block size in 100 kB units (1-9). */
    header(bits: BitReader): number;
    /** Decodes one block into `write`; returns the running CRC, or null at end of stream. */
    decompress(
      bits: BitReader,
      write: (byte: number) => void,
      buf: Int32Array,
      bufsize: number,
      streamCRC: number | null,
    ): number | null;
  };
  export default bzip2;
}
declare module "unbzip2-stream/lib/bit_iterator.js" {
  type BitReader = ((n: number | null) => number) & { bytesRead: number };
  export default function bitIterator(next: () => Buffer | undefined): BitReader;
}
