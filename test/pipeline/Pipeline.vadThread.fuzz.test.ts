// With the VAD on its own thread, pushes run ahead of recognition, so a failure anywhere
// (the source, the model, a sink) meets VAD answers still in flight. Fuzzed: wherever a
// run fails, it fails with that error, promptly, and the next run on the same thread
// gives the text a clean run gives. The thread runs from the build, so this test uses
// dist/ throughout (npm test builds first).

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../dist/pipeline/Pipeline.js";
import { ZipformerModel } from "../../dist/pipeline/stt/ZipformerModel.js";
import { VadThread } from "../../dist/pipeline/vad/VadThread.js";
import type { AudioSource } from "../../src/pipeline/audio/AudioSource.js";
import type { RecognizerModel } from "../../src/pipeline/Recognizer.js";
import type { Sink } from "../../src/pipeline/sinks/Sink.js";
import { samplesOf } from "../support/readAudio.js";
import { MODEL_DIR } from "../support/runCli.js";

/** Longer than any one run of a few seconds of audio takes: past it, a run has hung. */
const RUN_TIMEOUT_MS = 20_000;

let model: ZipformerModel;
let thread: VadThread;
let speech: Float32Array;
beforeAll(async () => {
  model = await ZipformerModel.load(MODEL_DIR, { provider: "cpu", threads: 1 });
  thread = await VadThread.start();
  const all = await samplesOf("session-dictation.wav");
  // The first sentences: enough for utterances to open and close mid-run.
  speech = all.subarray(0, 12 * 16000);
}, 60_000);
afterAll(async () => {
  await thread.release();
  await model.release();
});

type Where = "source" | "model" | "sink";

/** A source of `speech` in chunks of `size`, failing before chunk `failAt` if asked. */
function sourceOf(size: number, failAt: number | undefined): AudioSource {
  return {
    description: "fuzz",
    durationSeconds: speech.length / 16000,
    warnings: [],
    close: () => Promise.resolve(),
    async *chunks() {
      for (let at = 0, i = 0; at < speech.length; at += size, i++) {
        if (i === failAt) throw new Error("source failed");
        yield await Promise.resolve(speech.slice(at, at + size));
      }
    },
  };
}

/** The model, failing on its `failAt`-th accepted piece of audio. */
function failingModel(failAt: number): RecognizerModel {
  let calls = 0;
  return {
    createStream(...args: Parameters<RecognizerModel["createStream"]>) {
      const stream = model.createStream(...args);
      const accept = stream.accept.bind(stream);
      stream.accept = (samples: Float32Array) => {
        if (++calls === failAt) return Promise.reject(new Error("model failed"));
        return accept(samples);
      };
      return stream;
    },
  };
}

function sinkOf(texts: string[], failAt?: number): Sink {
  return {
    open: () => Promise.resolve(),
    write: (u) => {
      if (texts.length + 1 === failAt) return Promise.reject(new Error("sink failed"));
      texts.push(u.text);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

async function run(size: number, where?: Where, failAt = 0): Promise<string[]> {
  const texts: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the run hung")), RUN_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      runPipeline({
        source: sourceOf(size, where === "source" ? failAt : undefined),
        segmenter: thread.segmenter(),
        model: where === "model" ? failingModel(failAt) : model,
        sinks: [sinkOf(texts, where === "sink" ? failAt : undefined)],
      }),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return texts;
}

describe("runPipeline with the VAD on its own thread", () => {
  it("fails with the failure's own error wherever it happens, and the next run is clean", async () => {
    const clean = await run(4096);
    expect(clean.length).toBeGreaterThanOrEqual(2);
    const failed: Record<Where, number> = { source: 0, model: 0, sink: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Where>("source", "model", "sink"),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(512, 1600, 4096, 7000),
        async (where, failAt, size) => {
          // The model accepts each run of speech in one piece: a few pieces per run.
          const at = where === "source" ? failAt : 1 + (failAt % (where === "sink" ? 2 : 3));
          const failure = await run(size, where, at).then(
            () => undefined,
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          );
          // A source failing past its end, or a model failing past its last call, is a
          // clean run; any other outcome is that stage's error.
          if (failure !== undefined) {
            expect(failure.message).toMatch(new RegExp(`${where} failed`));
            failed[where] += 1;
          }
          expect(await run(size)).toEqual(clean);
        },
      ),
      { numRuns: 30 },
    );
    // Most cases fail, from every stage: the property is not met by clean runs alone.
    for (const count of Object.values(failed)) expect(count).toBeGreaterThan(0);
  }, 240_000);
});
