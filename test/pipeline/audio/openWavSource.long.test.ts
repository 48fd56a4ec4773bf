// Long inputs stream in bounded memory. The files are sparse (a real header, then a hole
// the size of the audio) so the test writes a few bytes, not 230 MB; the reader still
// reads and decodes every sample. Two hours through the reader take ~5 s; the resampler
// runs ~125x real time, so it gets 20 minutes here, and the full pipeline over two hours
// (minutes) is measured in bench/long-input.bench.js.

import { closeSync, mkdtempSync, openSync, rmSync, writeSync, ftruncateSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { openWavSource } from "../../../src/pipeline/audio/openWavSource.js";
import { makeWav } from "../../support/makeWav.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-long-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TWO_HOURS = 2 * 3600;

// The JS heap after a full collection: what is still reachable, told apart from garbage
// not yet collected. Buffer memory is left to the RSS reading: the collector frees it
// on a background thread, so right after gc() it still counts dead buffers.
v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const retained = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** A WAV header declaring `seconds` of s16 mono at `rate`, the data a hole of zeros. */
function sparseWav(name: string, rate: number, seconds: number): string {
  const dataBytes = rate * seconds * 2;
  const header = makeWav({
    rate,
    channels: 1,
    encoding: "s16",
    samples: [],
    declaredDataBytes: dataBytes,
  });
  header.writeUInt32LE(header.length - 8 + dataBytes, 4); // RIFF size, for tidiness
  const file = path.join(tmp, name);
  const fd = openSync(file, "w");
  writeSync(fd, header);
  ftruncateSync(fd, header.length + dataBytes);
  closeSync(fd);
  return file;
}

interface Measured {
  seconds: number;
  /** Peak RSS over the run minus RSS after the first chunks (just after a full GC). */
  rssGrowth: number;
  /** Most JS heap ever reachable (read after a full GC) minus at the start. */
  retainedGrowth: number;
}

async function streamMeasured(file: string): Promise<Measured> {
  const source = await openWavSource(file);
  let samples = 0;
  let chunks = 0;
  let baseRss = 0;
  let baseRetained = 0;
  let rssPeak = 0;
  let retainedPeak = 0;
  for await (const chunk of source.chunks()) {
    samples += chunk.length;
    // RSS every ~16 s of audio; what is still reachable every ~2 min (a full GC is
    // dearer). Peak RSS moves by tens of MB with the collector's timing; a leak of
    // objects shows in what is reachable, a leak of buffers in RSS (all the chunks of
    // two hours are 460 MB).
    if (++chunks % 64 !== 0) continue;
    if (baseRss === 0) {
      baseRetained = retained();
      baseRss = process.memoryUsage().rss;
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (chunks % 512 === 0) retainedPeak = Math.max(retainedPeak, retained());
  }
  retainedPeak = Math.max(retainedPeak, retained());
  await source.close();
  return {
    seconds: samples / 16000,
    rssGrowth: rssPeak - baseRss,
    retainedGrowth: retainedPeak - baseRetained,
  };
}

const mb = (bytes: number): string => `${bytes < 0 ? "" : "+"}${(bytes / 1e6).toFixed(1)} MB`;

describe("openWavSource over long inputs", () => {
  it("streams a two-hour 16 kHz file (230 MB) with peak RSS under +50 MB and nothing retained", async () => {
    const file = sparseWav("two-hours-16k.wav", 16000, TWO_HOURS);
    const result = await streamMeasured(file);
    console.log(
      `2 h at 16 kHz: peak RSS ${mb(result.rssGrowth)}, most retained ${mb(result.retainedGrowth)}`,
    );
    expect(result.seconds).toBe(TWO_HOURS);
    expect(result.rssGrowth).toBeLessThan(50e6);
    // Any per-chunk object kept (28k chunks over 2 h) would pass this well before the end.
    expect(result.retainedGrowth).toBeLessThan(5e6);
  });

  it("streams 20 minutes of 8 kHz audio through the resampler with peak RSS under +50 MB and nothing retained", async () => {
    const file = sparseWav("twenty-minutes-8k.wav", 8000, 1200);
    const result = await streamMeasured(file);
    console.log(
      `20 min at 8 kHz, resampled: peak RSS ${mb(result.rssGrowth)}, most retained ${mb(result.retainedGrowth)}`,
    );
    expect(Math.abs(result.seconds - 1200)).toBeLessThan(1);
    expect(result.rssGrowth).toBeLessThan(50e6);
    // Any per-chunk object kept (28k chunks over 2 h) would pass this well before the end.
    expect(result.retainedGrowth).toBeLessThan(5e6);
  });
});
