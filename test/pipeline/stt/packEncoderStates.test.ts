// The encoder with its states packed into one tensor must compute exactly what the
// original computes, chunk after chunk with the states carried, and the model must use it.

import { readFile } from "node:fs/promises";
import path from "node:path";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOnnxSession, type OnnxSession } from "../../../src/pipeline/stt/OnnxSession.js";
import {
  PACKED_STATES,
  encoderStateSpecs,
  packEncoderStates,
  packedStateSpecs,
} from "../../../src/pipeline/stt/packEncoderStates.js";
import { zeroStates, type StateSpec } from "../../../src/pipeline/stt/TransducerLayout.js";
import { ZipformerModel } from "../../../src/pipeline/stt/ZipformerModel.js";
import { MODEL_DIR } from "../../support/runCli.js";
import { CPU_ONE_THREAD } from "../../support/onnxGraphs.js";

const ENCODER = path.join(MODEL_DIR, "encoder.int8.onnx");

let original: OnnxSession;
let specs: StateSpec[];
beforeAll(async () => {
  original = await openOnnxSession(ENCODER, CPU_ONE_THREAD);
  specs = original.inputMetadata.flatMap((m) =>
    m.isTensor && m.name !== "x"
      ? [{ name: m.name, type: m.type === "int64" ? "int64" : "float32", dims: dimsOf(m.shape) }]
      : [],
  );
});
afterAll(() => original.release());

/** Symbolic dimensions are the batch axis: one stream per run. */
const dimsOf = (shape: readonly (number | string)[]): number[] =>
  shape.map((d) => (typeof d === "number" ? d : 1));

describe("packEncoderStates", () => {
  it("gives the same encoder output and states as the original, over chunks with the states carried", async () => {
    const bytes = packEncoderStates(await readFile(ENCODER), specs);
    expect(bytes).toBeDefined();
    const packed = await openOnnxSession(bytes!, CPU_ONE_THREAD);
    try {
      expect(packed.inputNames).toHaveLength(3);
      const x = original.inputMetadata.find((m) => m.name === "x");
      const xDims = x?.isTensor ? dimsOf(x.shape) : [];
      const xSize = xDims.reduce((a, b) => a * b, 1);
      let a: Record<string, ort.Tensor> = zeroStates(specs);
      let b: Record<string, ort.Tensor> = zeroStates(packedStateSpecs(specs));
      // Deterministic features that vary from chunk to chunk, like speech.
      for (let chunk = 0; chunk < 12; chunk++) {
        const features = Float32Array.from({ length: xSize }, (_, i) =>
          Math.sin(i * 0.37 + chunk * 1.7),
        );
        const feed = new ort.Tensor("float32", features, xDims);
        const outA = await original.run({ ...a, x: feed });
        const outB = await packed.run({ ...b, x: feed });
        expect(Array.from(outB.encoder_out!.data as Float32Array)).toEqual(
          Array.from(outA.encoder_out!.data as Float32Array),
        );
        // The packed new states are the original new states, flattened, in order.
        const flat = specs
          .filter((s) => s.type === "float32")
          .flatMap((s) => Array.from(outA[`new_${s.name}`]!.data as Float32Array));
        expect(Array.from(outB[`new_${PACKED_STATES}`]!.data as Float32Array)).toEqual(flat);
        a = Object.fromEntries(specs.map((s) => [s.name, outA[`new_${s.name}`]!]));
        b = Object.fromEntries(
          packedStateSpecs(specs).map((s) => [s.name, outB[`new_${s.name}`]!]),
        );
      }
    } finally {
      await packed.release();
    }
  });

  it("reads the state inputs from the graph as the session declares them", async () => {
    expect(encoderStateSpecs(await readFile(ENCODER))).toEqual(specs);
  });

  it("leaves a graph alone when it has under two float states or does not declare them", async () => {
    const bytes = await readFile(ENCODER);
    expect(packEncoderStates(bytes, specs.slice(0, 1))).toBeUndefined();
    const missing = specs.map((s) => ({ ...s, name: `${s.name}_missing` }));
    expect(packEncoderStates(bytes, missing)).toBeUndefined();
    expect(() => packEncoderStates(new Uint8Array([0x0f]), specs)).toThrow(RangeError);
  });

  it("is what ZipformerModel runs: three encoder inputs instead of thirty-nine", async () => {
    const model = await ZipformerModel.load(MODEL_DIR, { provider: "cpu", threads: 1 });
    try {
      expect(model.encoder.inputNames).toEqual(expect.arrayContaining(["x", PACKED_STATES]));
      expect(model.encoder.inputNames.length).toBeLessThan(specs.length);
    } finally {
      await model.release();
    }
  });
});
