// A WAV file as an AudioSource: the header is checked before any audio flows, then the
// data chunk is read in blocks, decoded, down-mixed and resampled as it streams.

import { open, type FileHandle } from "node:fs/promises";
import { VoxtraceError } from "../../errors.js";
import type { AudioSource } from "./AudioSource.js";
import { BYTES_PER_SAMPLE, PcmDecoder } from "./PcmDecoder.js";
import { createResampler } from "./Resampler.js";
import { readWavHeader } from "./WavHeader.js";

/** Frames read per block: about 0.25 s at 16 kHz, bounded memory at any rate. */
const DEFAULT_BLOCK_FRAMES = 4096;

export async function openWavSource(
  path: string,
  options: { blockFrames?: number } = {},
): Promise<AudioSource> {
  let file: FileHandle;
  try {
    file = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory"
            : `cannot open (${code ?? String(error)})`;
    throw new VoxtraceError("bad_input", `${path}: ${problem} - check the path`);
  }
  try {
    const { size } = await file.stat();
    const header = await readWavHeader(file, path, size);
    const resampler = await createResampler(header.sampleRate);
    const frameBytes = header.channels * BYTES_PER_SAMPLE[header.encoding];
    const warnings: string[] = [];
    if (header.truncated) {
      warnings.push(
        `${path}: the data chunk is shorter than its header says (interrupted recording?); decoded the ${Math.floor(header.dataBytes / frameBytes)} frames present`,
      );
    }
    const blockBytes = (options.blockFrames ?? DEFAULT_BLOCK_FRAMES) * frameBytes;
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      resampler.close();
      await file.close();
    };
    return {
      description: path,
      durationSeconds: header.dataBytes / frameBytes / header.sampleRate,
      warnings,
      close,
      async *chunks() {
        const decoder = new PcmDecoder(header.encoding, header.channels);
        const block = Buffer.alloc(blockBytes);
        const end = header.dataOffset + header.dataBytes;
        for (let at = header.dataOffset; at < end && !closed;) {
          const { bytesRead } = await file.read(block, 0, Math.min(blockBytes, end - at), at);
          if (bytesRead === 0) break;
          at += bytesRead;
          const samples = resampler.process(decoder.decode(block.subarray(0, bytesRead)));
          if (samples.length > 0) yield samples;
        }
      },
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}
