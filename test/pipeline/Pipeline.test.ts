import { describe, expect, it } from "vitest";
import type { AudioSource } from "../../src/pipeline/audio/AudioSource.js";
import { runPipeline } from "../../src/pipeline/Pipeline.js";
import { NOOP_OBSERVER, type PipelineObserver } from "../../src/pipeline/PipelineObserver.js";
import type {
  RecognizerModel,
  SegmentEvent,
  SpeechSegmenter,
} from "../../src/pipeline/Recognizer.js";
import type { Utterance } from "../../src/pipeline/Utterance.js";

/** A source of `seconds` of silence in 100 ms chunks. */
function silence(seconds: number): AudioSource {
  return {
    description: "silence",
    durationSeconds: seconds,
    warnings: [],
    close: () => Promise.resolve(),
    async *chunks() {
      for (let i = 0; i < seconds * 10; i++) yield await Promise.resolve(new Float32Array(1600));
    },
  };
}

/** A segmenter that takes `ms` per chunk: a pipeline slower than real time. */
function slowSegmenter(ms: number): SpeechSegmenter {
  return {
    push: (): Promise<SegmentEvent[]> =>
      new Promise((resolve) => setTimeout(() => resolve([]), ms)),
    flush: () => [],
  };
}

const unusedModel: RecognizerModel = {
  createStream() {
    throw new Error("no speech expected");
  },
};

/** A segmenter that records the sample values it is given, push by push. */
function recordingSegmenter(pushes: Float32Array[], ms = 0): SpeechSegmenter {
  return {
    push: (samples): Promise<SegmentEvent[]> => {
      pushes.push(samples.slice());
      return new Promise((resolve) => setTimeout(() => resolve([]), ms));
    },
    flush: () => [],
  };
}

/** `chunks` chunks of 1600 samples numbered 0, 1, 2, ... across the whole source. */
function counting(chunks: number): AudioSource {
  return {
    description: "counting",
    durationSeconds: chunks / 10,
    warnings: [],
    close: () => Promise.resolve(),
    async *chunks() {
      for (let c = 0; c < chunks; c++)
        yield await Promise.resolve(Float32Array.from({ length: 1600 }, (_, i) => c * 1600 + i));
    },
  };
}

describe("runPipeline", () => {
  it("gives a file's VAD its chunks joined into runs of 4 s, in order, none lost", async () => {
    const pushes: Float32Array[] = [];
    await runPipeline({
      source: counting(300),
      segmenter: recordingSegmenter(pushes, 2),
      model: unusedModel,
      sinks: [],
    });
    const joined = pushes.flatMap((p) => Array.from(p));
    expect(joined).toEqual(Array.from({ length: 300 * 1600 }, (_, i) => i));
    expect(Math.max(...pushes.map((p) => p.length))).toBeGreaterThan(1600);
    expect(Math.max(...pushes.map((p) => p.length))).toBeLessThan(65536 + 1600);
    // A file's chunks come faster than they are joined: nearly every run is a full 4 s.
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil((300 * 1600) / 65536) + 2);
  });

  it("holds input that comes at the pace it is spoken back by 20 ms at most (a piped microphone)", async () => {
    const pushes: { at: number; length: number }[] = [];
    const arrived: number[] = [];
    const paced: AudioSource = {
      ...counting(6),
      async *chunks() {
        for (let c = 0; c < 6; c++) {
          await new Promise((resolve) => setTimeout(resolve, 60));
          arrived.push(performance.now());
          yield new Float32Array(1600);
        }
      },
    };
    await runPipeline({
      source: paced,
      segmenter: {
        push: (samples) => {
          pushes.push({ at: performance.now(), length: samples.length });
          return Promise.resolve([]);
        },
        flush: () => [],
      },
      model: unusedModel,
      sinks: [],
    });
    expect(pushes.map((p) => p.length)).toEqual(Array(6).fill(1600));
    // Each chunk reaches the VAD within the join wait (20 ms) and timer slack.
    for (const [i, p] of pushes.entries()) expect(p.at - arrived[i]!).toBeLessThan(45);
  });

  it("gives live audio to the VAD chunk by chunk, as it arrives", async () => {
    const pushes: Float32Array[] = [];
    await runPipeline({
      source: counting(20),
      segmenter: recordingSegmenter(pushes),
      model: unusedModel,
      sinks: [],
      live: true,
    });
    expect(pushes.every((p) => p.length === 1600)).toBe(true);
  });

  it("with a live source never blocks capture: audio it cannot take is dropped and counted", async () => {
    let dropped = 0;
    const observer: PipelineObserver = {
      ...NOOP_OBSERVER,
      audioDropped: (s) => void (dropped += s),
    };
    const result = await runPipeline({
      source: silence(2),
      segmenter: slowSegmenter(40),
      model: unusedModel,
      sinks: [],
      observer,
      live: true,
      queueCapacity: 2,
    });
    expect(result.droppedSeconds).toBeGreaterThan(1);
    expect(dropped).toBeCloseTo(result.droppedSeconds);
    expect(result.audioSeconds).toBeCloseTo(2);
  });

  it("with a file applies back-pressure instead: the reader waits for a slow stage and all audio is processed", async () => {
    let produced = 0;
    let consumed = 0;
    let largestLead = 0;
    const source: AudioSource = {
      ...silence(1),
      async *chunks() {
        for (let i = 0; i < 20; i++) {
          largestLead = Math.max(largestLead, produced - consumed);
          produced++;
          yield await Promise.resolve(new Float32Array(16000));
        }
      },
    };
    const slow = slowSegmenter(5);
    const result = await runPipeline({
      source,
      segmenter: {
        ...slow,
        push: (chunk) => ((consumed += chunk.length / 16000), slow.push(chunk)),
      },
      model: unusedModel,
      sinks: [],
      queueCapacity: 2,
    });
    expect(result.droppedSeconds).toBe(0);
    expect(consumed).toBe(20);
    expect(result.audioSeconds).toBeCloseTo(20);
    // Unbounded reading would run all 20 chunks ahead of the 5 ms stage; back-pressure
    // holds the reader to the queue's 2 slots, the chunk in its hand, and the chunks the
    // VAD stage joins into one 4 s run (5 of 1 s).
    expect(largestLead).toBeLessThanOrEqual(8);
  });

  it("stops the other stages and reports the error when a sink fails", async () => {
    const segmenter: SpeechSegmenter = {
      push: () =>
        Promise.resolve([
          { type: "start", sample: 0 },
          { type: "end", sample: 1600, reason: "silence" },
        ]),
      flush: () => [],
    };
    const model: RecognizerModel = {
      createStream: () => ({
        accept: () => Promise.resolve(),
        partialText: () => "",
        finish: () => Promise.resolve({ text: "hello", tokens: 1 }),
        chunksRun: 0,
      }),
    };
    const failing = {
      open: () => Promise.resolve(),
      close: () => Promise.resolve(),
      write: (_u: Utterance) => Promise.reject(new Error("disk full")),
    };
    await expect(
      runPipeline({ source: silence(5), segmenter, model, sinks: [failing] }),
    ).rejects.toThrow("disk full");
  });
});
