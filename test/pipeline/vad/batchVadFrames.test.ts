// The batched Silero VAD graph must give the numbers of the original file run frame by
// frame, whatever runs of frames it is handed; and graphs it does not know are left
// alone, so the VAD falls back to one frame a call.

import { rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GRAPH_INPUT,
  GRAPH_OUTPUT,
  ONNX_FLOAT,
  ONNX_INT64,
  node,
  text,
  valueInfo,
} from "../../../src/pipeline/stt/OnnxProto.js";
import { openOnnxSession, type OnnxSession } from "../../../src/pipeline/stt/OnnxSession.js";
import { batchVadFrames } from "../../../src/pipeline/vad/batchVadFrames.js";
import { SileroVad, defaultVadModelPath } from "../../../src/pipeline/vad/SileroVad.js";
import { CPU_ONE_THREAD, modelOf } from "../../support/onnxGraphs.js";
import { samplesOf } from "../../support/readAudio.js";

const NAMES = { frameInput: "input", stateOutput: "stateN", hop: 512, context: 64 };

let original: OnnxSession;
let vad: SileroVad;
let speech: Float32Array;
/** The original file's probability of each whole frame of `speech`, frame by frame. */
let reference: number[];

beforeAll(async () => {
  original = await openOnnxSession(await readFile(defaultVadModelPath()), CPU_ONE_THREAD);
  vad = await SileroVad.load();
  speech = await samplesOf("session-dictation.wav");
  const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
  let state: ort.Tensor = new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]);
  const input = new Float32Array(576);
  reference = [];
  for (let at = 0; at + 512 <= speech.length; at += 512) {
    input.copyWithin(0, 512);
    input.set(speech.subarray(at, at + 512), 64);
    const out = await original.run({
      input: new ort.Tensor("float32", input, [1, 576]),
      state,
      sr,
    });
    state = out.stateN!;
    reference.push((out.output!.data as Float32Array)[0]!);
  }
});
afterAll(async () => {
  await original.release();
  await vad.release();
});

/** The VAD's probabilities over `speech`, handed over in runs of `sizes` frames (cycled). */
async function inRuns(sizes: readonly number[]): Promise<number[]> {
  vad.reset();
  const out: number[] = [];
  for (let frame = 0, i = 0; frame < reference.length; i++) {
    const take = Math.min(sizes[i % sizes.length]!, reference.length - frame);
    out.push(...(await vad.probabilities(speech.subarray(frame * 512, (frame + take) * 512))));
    frame += take;
  }
  return out;
}

describe("batchVadFrames", () => {
  it("loads the shipped Silero VAD batched", () => {
    expect(vad.batched).toBe(true);
  });

  it("gives the original file's probabilities over real speech, in one run or in many", async () => {
    expect(reference.length).toBeGreaterThan(1000);
    const close = (got: number[]): void => {
      expect(got).toHaveLength(reference.length);
      const worst = Math.max(...got.map((p, i) => Math.abs(p - reference[i]!)));
      expect(worst).toBeLessThan(1e-5);
    };
    close(await inRuns([reference.length]));
    close(await inRuns([1]));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }),
        async (sizes) => close(await inRuns(sizes)),
      ),
      { numRuns: 5, seed: 15 },
    );
  });

  it("declines a graph it does not know: the file as shipped, with its If nodes", async () => {
    const bytes = new Uint8Array(await readFile(defaultVadModelPath()));
    expect(batchVadFrames(bytes, NAMES)).toBeUndefined();
    expect(batchVadFrames(new Uint8Array(0), NAMES)).toBeUndefined();
  });

  it("falls back to one frame a call for a VAD file it cannot batch, context carried", async () => {
    // A stand-in VAD with Silero's inputs and outputs: the mean of its 576-sample input
    // (64 samples of context, then the frame) as the probability, the state passed on.
    const file = path.join(os.tmpdir(), `voxtrace-mean-vad-${process.pid}.onnx`);
    writeFileSync(
      file,
      modelOf(
        text(2, "mean_vad"),
        node(["input"], ["output"], "ReduceMean"),
        node(["state"], ["stateN"], "Identity"),
        valueInfo(GRAPH_INPUT, "input", ONNX_FLOAT, [1, 576]),
        valueInfo(GRAPH_INPUT, "state", ONNX_FLOAT, [2, 1, 128]),
        valueInfo(GRAPH_INPUT, "sr", ONNX_INT64, []),
        valueInfo(GRAPH_OUTPUT, "output", ONNX_FLOAT),
        valueInfo(GRAPH_OUTPUT, "stateN", ONNX_FLOAT),
      ),
    );
    const stand = await SileroVad.load({ modelPath: file });
    try {
      expect(stand.batched).toBe(false);
      const frames = Float32Array.from({ length: 3 * 512 }, (_, i) => Math.floor(i / 512) + 1);
      const got = await stand.probabilities(frames);
      // Frame 1 sees 64 zeros of context, frames 2 and 3 the end of the frame before.
      expect(Array.from(got)).toEqual(
        [512 / 576, (64 + 2 * 512) / 576, (2 * 64 + 3 * 512) / 576].map((v) => Math.fround(v)),
      );
      expect(await stand.probability(new Float32Array(512).fill(1))).toBeCloseTo(
        (3 * 64 + 512) / 576,
        6,
      );
    } finally {
      await stand.release();
      rmSync(file, { force: true });
    }
  });

  it("refuses a run that is not a whole number of frames, and takes an empty one", async () => {
    await expect(vad.probabilities(new Float32Array(700))).rejects.toThrow(
      /whole number of VAD frames/,
    );
    expect(await vad.probabilities(new Float32Array(0))).toHaveLength(0);
  });
});
