// Reads a whole audio source, or a corpus file, into one array of 16 kHz samples.

import path from "node:path";
import type { AudioSource } from "../../src/pipeline/audio/AudioSource.js";
import { openWavSource } from "../../src/pipeline/audio/openWavSource.js";
import { AUDIO_DIR } from "./runCli.js";

/** Every chunk of `source`, joined; the source is closed. */
export async function readAll(source: AudioSource): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  try {
    for await (const chunk of source.chunks()) parts.push(chunk);
  } finally {
    await source.close();
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The samples of `name` in ../shared/audio. */
export async function samplesOf(name: string): Promise<Float32Array> {
  return readAll(await openWavSource(path.join(AUDIO_DIR, name)));
}
