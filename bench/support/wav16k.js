// Looping a 16 kHz mono s16 WAV for benchmarks that need long inputs: its PCM, and the
// 44-byte header of a file holding `dataBytes` of such PCM.

import { readFileSync } from "node:fs";

export function pcmOf(file) {
  const wav = readFileSync(file);
  let at = 12;
  while (wav.toString("ascii", at, at + 4) !== "data") at += 8 + wav.readUInt32LE(at + 4);
  return wav.subarray(at + 8, at + 8 + wav.readUInt32LE(at + 4));
}

export function wavHeader16k(dataBytes) {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
