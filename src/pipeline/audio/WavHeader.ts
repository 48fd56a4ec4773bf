// Reads a RIFF/WAVE header from an open file without loading the file: walks the chunk
// list to `fmt ` and `data`, validates the format, and notes a data chunk that claims
// more bytes than the file holds (an interrupted recording).

import type { FileHandle } from "node:fs/promises";
import { VoxtraceError } from "../../errors.js";
import type { PcmEncoding } from "./PcmDecoder.js";
import { MAX_INPUT_SAMPLE_RATE } from "./Resampler.js";

export interface WavHeader {
  encoding: PcmEncoding;
  sampleRate: number;
  channels: number;
  dataOffset: number;
  /** Bytes of audio actually present in the file. */
  dataBytes: number;
  /** The header claimed more data than the file holds. */
  truncated: boolean;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  2: "ADPCM",
  6: "A-law",
  7: "mu-law",
  0x55: "MP3",
};

export async function readWavHeader(
  file: FileHandle,
  path: string,
  size: number,
): Promise<WavHeader> {
  const fail = (
    problem: string,
    hint = "check the file or convert it to PCM WAV, e.g. with sox",
  ): never => {
    throw new VoxtraceError("bad_input", `${path}: ${problem} - ${hint}`);
  };
  if (size === 0) fail("empty file", "record or export the audio again");
  const head = Buffer.alloc(12);
  const { bytesRead } = await file.read(head, 0, 12, 0);
  if (
    bytesRead < 12 ||
    head.toString("ascii", 0, 4) !== "RIFF" ||
    head.toString("ascii", 8, 12) !== "WAVE"
  ) {
    fail("not a RIFF/WAVE file", "give a .wav file, or raw PCM on stdin with '-' and --rate");
  }
  let format: Omit<WavHeader, "dataOffset" | "dataBytes" | "truncated"> | undefined;
  const chunkHeader = Buffer.alloc(8);
  for (let at = 12; at + 8 <= size;) {
    await file.read(chunkHeader, 0, 8, at);
    const id = chunkHeader.toString("ascii", 0, 4);
    const length = chunkHeader.readUInt32LE(4);
    const body = at + 8;
    if (id === "fmt ") {
      // Two formats leave the file's meaning undecided; guessing one plays noise.
      if (format)
        fail(`a second fmt chunk at byte ${at}`, "the file is malformed; export it again");
      // fmt is at most 40 bytes; a larger claim is ignored beyond what we need.
      const fmt = Buffer.alloc(Math.min(length, 40));
      await file.read(fmt, 0, fmt.length, body);
      format = parseFormat(fmt, fail);
    } else if (id === "data") {
      if (!format) fail("the data chunk comes before the fmt chunk");
      const present = size - body;
      return {
        ...format!,
        dataOffset: body,
        dataBytes: Math.min(length, present),
        truncated: length > present && length !== 0xffffffff,
      };
    }
    at = body + length + (length % 2); // chunks are word-aligned
  }
  return fail(format ? "no data chunk" : "no fmt chunk", "the file is incomplete or not audio");
}

function parseFormat(
  fmt: Buffer,
  fail: (problem: string, hint?: string) => never,
): Omit<WavHeader, "dataOffset" | "dataBytes" | "truncated"> {
  if (fmt.length < 16) fail("fmt chunk too short");
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const bits = fmt.readUInt16LE(14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 26) fail("extensible fmt chunk too short");
    tag = fmt.readUInt16LE(24); // first two bytes of the sub-format GUID
  }
  if (channels < 1 || channels > 64) fail(`unsupported channel count ${channels}`);
  if (sampleRate < 1000 || sampleRate > MAX_INPUT_SAMPLE_RATE) {
    fail(
      `unsupported sample rate ${sampleRate} Hz (1000-${MAX_INPUT_SAMPLE_RATE})`,
      "resample it, e.g. sox IN.wav -r 48000 OUT.wav",
    );
  }
  let encoding: PcmEncoding | undefined;
  if (tag === WAVE_FORMAT_PCM) {
    encoding = ({ 8: "u8", 16: "s16", 24: "s24", 32: "s32" } as const)[bits as 8 | 16 | 24 | 32];
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    encoding = ({ 32: "f32", 64: "f64" } as const)[bits as 32 | 64];
  } else {
    fail(
      `unsupported encoding ${FORMAT_NAMES[tag] ?? `format tag ${tag}`}`,
      "convert it to PCM, e.g. sox IN.wav -e signed -b 16 OUT.wav",
    );
  }
  if (!encoding)
    fail(`unsupported sample size of ${bits} bits`, "convert it to 16-bit PCM, e.g. with sox");
  return { encoding, sampleRate, channels };
}
