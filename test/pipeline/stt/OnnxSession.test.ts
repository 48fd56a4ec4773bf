import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  DirectSession,
  directRunAvailable,
  openOnnxSession,
} from "../../../src/pipeline/stt/OnnxSession.js";
import { defaultVadModelPath } from "../../../src/pipeline/vad/SileroVad.js";

const MODEL_DIR = new URL(
  "../../../../shared/models/zipformer-gigaspeech-3.3m-int8/",
  import.meta.url,
).pathname;
const OPTIONS = { intraOpNumThreads: 1, executionProviders: ["cpu"] };

describe("openOnnxSession", () => {
  it("runs CPU models on onnxruntime-node's native binding in this install", async () => {
    expect(directRunAvailable()).toBe(true);
    const session = await openOnnxSession(defaultVadModelPath(), OPTIONS);
    expect(session).toBeInstanceOf(DirectSession);
    await session.release();
    await session.release(); // idempotent
  });

  it("reports the same inputs and outputs and computes the same values as InferenceSession", async () => {
    for (const file of [defaultVadModelPath(), `${MODEL_DIR}decoder.onnx`]) {
      const direct = await openOnnxSession(file, OPTIONS);
      const reference = await ort.InferenceSession.create(file, OPTIONS);
      expect(direct.inputNames).toEqual(reference.inputNames);
      expect(direct.outputNames).toEqual(reference.outputNames);
      expect(direct.inputMetadata).toEqual(reference.inputMetadata);
      const feeds: Record<string, ort.Tensor> =
        file === `${MODEL_DIR}decoder.onnx`
          ? { y: new ort.Tensor("int64", BigInt64Array.from([-1n, 0n, 5n, 7n]), [2, 2]) }
          : {
              input: new ort.Tensor(
                "float32",
                new Float32Array(576).map((_, i) => Math.sin(i / 7) / 4),
                [1, 576],
              ),
              state: new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]),
              sr: new ort.Tensor("int64", BigInt64Array.from([16000n]), []),
            };
      const a = await direct.run(feeds);
      const b = await reference.run(feeds);
      for (const name of reference.outputNames) {
        expect(a[name]).toBeInstanceOf(ort.Tensor);
        expect(a[name]!.dims).toEqual(b[name]!.dims);
        expect(Array.from(a[name]!.data as Float32Array)).toEqual(
          Array.from(b[name]!.data as Float32Array),
        );
      }
      await direct.release();
      await reference.release();
    }
  });

  it("fails to open a file that is not a model, like InferenceSession does", async () => {
    await expect(openOnnxSession(`${MODEL_DIR}tokens.txt`, OPTIONS)).rejects.toThrow();
  });
});
