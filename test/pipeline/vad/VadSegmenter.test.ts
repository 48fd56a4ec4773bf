import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import type { SegmentEvent } from "../../../src/pipeline/Recognizer.js";
import { SileroVad } from "../../../src/pipeline/vad/SileroVad.js";
import { VadSegmenter, type VadConfig } from "../../../src/pipeline/vad/VadSegmenter.js";
import { samplesOf } from "../../support/readAudio.js";

let vad: SileroVad;
beforeAll(async () => {
  vad = await SileroVad.load();
});
afterAll(() => vad.release());

async function segment(
  samples: Float32Array,
  chunk: number,
  config: Partial<VadConfig> = {},
): Promise<SegmentEvent[]> {
  vad.reset();
  const segmenter = new VadSegmenter(vad, config);
  const events: SegmentEvent[] = [];
  for (let at = 0; at < samples.length; at += chunk) {
    events.push(...(await segmenter.push(samples.subarray(at, at + chunk))));
  }
  events.push(...segmenter.flush());
  return events;
}

const spans = (events: SegmentEvent[]): [number, number][] => {
  const out: [number, number][] = [];
  let start = 0;
  for (const e of events) {
    if (e.type === "start") start = e.sample;
    if (e.type === "end") out.push([start, e.sample]);
  }
  return out;
};

describe("VadSegmenter with Silero VAD", () => {
  it("sends only the kept tail of the silence that ends an utterance, and all of a pause within one", async () => {
    const samples = await samplesOf("session-dictation.wav");
    const sentAfterEnd = (events: SegmentEvent[]): number[] => {
      const after: number[] = [];
      let sent = 0; // samples sent since the utterance's start, pre-roll included
      let start = 0;
      for (const e of events) {
        if (e.type === "start") [start, sent] = [e.sample, 0];
        else if (e.type === "audio") sent += e.samples.length;
        else after.push(sent - (e.sample - start));
      }
      return after;
    };
    const kept = sentAfterEnd(await segment(samples, 4096, { preRollMs: 0, tailMs: 200 }));
    const all = sentAfterEnd(await segment(samples, 4096, { preRollMs: 0, tailMs: 10_000 }));
    expect(kept).toHaveLength(8);
    for (const [i, extra] of kept.entries()) {
      // The end lands on a 512-sample frame: at most the tail and one frame beyond it.
      expect(extra).toBeGreaterThanOrEqual(0);
      expect(extra).toBeLessThanOrEqual(0.2 * 16000 + 512);
      // With a tail longer than the silence, all of it is sent: min-silence (500 ms).
      expect(all[i]).toBeGreaterThanOrEqual(0.5 * 16000 - 512);
    }
    // The same utterances either way: holding silence back moves no boundary.
    expect(spans(await segment(samples, 4096, { tailMs: 200 }))).toEqual(
      spans(await segment(samples, 4096, { tailMs: 10_000 })),
    );
  });

  it("finds the 8 utterances of the dictation session, in order, separated by their pauses", async () => {
    const found = spans(await segment(await samplesOf("session-dictation.wav"), 4096));
    expect(found).toHaveLength(8);
    for (let i = 1; i < found.length; i++) {
      const gap = (found[i]![0] - found[i - 1]![1]) / 16000;
      expect(gap).toBeGreaterThan(0.3); // manifest pauses are 0.9 to 1.9 s
    }
  });

  it.each(["silence-10s.wav", "noise-10s.wav"])("finds no speech in %s", async (name) => {
    expect(spans(await segment(await samplesOf(name), 4096))).toHaveLength(0);
  });

  it.each(["utt-01.wav", "utt-05.wav", "utt-08.wav"])(
    "finds exactly one utterance in %s",
    async (name) => {
      expect(spans(await segment(await samplesOf(name), 4096))).toHaveLength(1);
    },
  );

  it("gives identical events whatever the chunk size", async () => {
    const samples = await samplesOf("utt-02.wav");
    const small = spans(await segment(samples, 100));
    const large = spans(await segment(samples, 16000));
    expect(small).toEqual(large);
  });

  it("takes a classifier of one frame a call as well, with the same events", async () => {
    const samples = await samplesOf("utt-02.wav");
    vad.reset();
    const oneByOne = new VadSegmenter({ probability: (frame) => vad.probability(frame) });
    const events = [...(await oneByOne.push(samples)), ...oneByOne.flush()];
    expect(spans(events)).toEqual(spans(await segment(samples, 16000)));
    expect(spans(events).length).toBeGreaterThan(0);
  });

  it("gives each run of audio within one push as one array", async () => {
    vad.reset();
    const segmenter = new VadSegmenter(vad);
    const events = await segmenter.push(await samplesOf("utt-02.wav"));
    expect(events.some((e) => e.type === "audio")).toBe(true);
    const adjacent = events.some((e, i) => e.type === "audio" && events[i + 1]?.type === "audio");
    expect(adjacent).toBe(false);
  });

  it("sends pre-roll audio before the speech start and every sample once", async () => {
    const samples = await samplesOf("utt-03.wav");
    const events = await segment(samples, 4096, { preRollMs: 256 });
    const audio = events
      .filter((e) => e.type === "audio")
      .reduce((n, e) => n + e.samples.length, 0);
    const [start, end] = spans(events)[0]!;
    expect(audio).toBeGreaterThanOrEqual(end - start + 256 * 16);
  });

  it("splits speech longer than the maximum utterance length", async () => {
    const events = await segment(await samplesOf("utt-02.wav"), 4096, { maxUtteranceMs: 1000 });
    const ends = events.filter((e) => e.type === "end");
    expect(ends.length).toBeGreaterThanOrEqual(3);
    expect(ends.some((e) => e.type === "end" && e.reason === "max-length")).toBe(true);
  });

  it("rejects an end threshold above the start threshold at construction", () => {
    expect(() => new VadSegmenter(vad, { threshold: 0.3, negThreshold: 0.5 })).toThrow(
      VoxtraceError,
    );
  });
});
