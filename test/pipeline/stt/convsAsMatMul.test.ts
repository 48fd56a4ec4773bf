// A convolution rewritten as a matrix product must compute what the convolution does, for
// any 1-D shape, stride, padding and batch (fuzzed against ONNX Runtime's own Conv); the
// shapes are measured on a one-item run; convolutions it does not handle are kept.

import fc from "fast-check";
import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { convShapes, convsAsMatMul } from "../../../src/pipeline/stt/convsAsMatMul.js";
import {
  GRAPH_INPUT,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  MODEL_GRAPH,
  NODE_ATTRIBUTE,
  ONNX_FLOAT,
  fieldsOf,
  int,
  intAttribute,
  message,
  node,
  text,
  textsOf,
  valueInfo,
} from "../../../src/pipeline/stt/OnnxProto.js";
import { openOnnxSession } from "../../../src/pipeline/stt/OnnxSession.js";
import { CPU_ONE_THREAD, floatTensor, modelOf } from "../../support/onnxGraphs.js";

interface Case {
  batch: number;
  channels: number;
  outputs: number;
  kernel: number;
  stride: number;
  pads: [number, number];
  length: number;
  bias: boolean;
  group?: number;
}

const ints = (name: string, values: number[]) =>
  message(NODE_ATTRIBUTE, text(1, name), ...values.map((v) => int(8, v)), int(20, 7));

const noise = (n: number, seed: number): Float32Array => {
  let s = seed * 7919 + 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    return s / 2 ** 31;
  });
};

/** y = Relu(Conv(x, W, b)): the convolution followed by something, as in the VAD. */
function convModel(c: Case): Uint8Array {
  const group = c.group ?? 1;
  const weights = [c.outputs, c.channels / group, c.kernel];
  return modelOf(
    text(2, "conv"),
    message(
      GRAPH_NODE,
      text(1, "x"),
      text(1, "w"),
      ...(c.bias ? [text(1, "b")] : []),
      text(2, "c"),
      text(4, "Conv"),
      ints("kernel_shape", [c.kernel]),
      ints("strides", [c.stride]),
      ints("pads", c.pads),
      ...(group > 1 ? [intAttribute("group", group)] : []),
    ),
    node(["c"], ["y"], "Relu"),
    floatTensor(
      "w",
      noise(
        weights.reduce((a, b) => a * b),
        1,
      ),
      weights,
    ),
    ...(c.bias ? [floatTensor("b", noise(c.outputs, 2), [c.outputs])] : []),
    valueInfo(GRAPH_INPUT, "x", ONNX_FLOAT),
    valueInfo(GRAPH_OUTPUT, "y", ONNX_FLOAT),
  );
}

async function run(model: Uint8Array, x: ort.Tensor): Promise<ort.Tensor> {
  const session = await openOnnxSession(model, CPU_ONE_THREAD);
  try {
    return (await session.run({ x })).y!;
  } finally {
    await session.release();
  }
}

const ops = (model: Uint8Array): string[] =>
  fieldsOf(fieldsOf(model).find((f) => f.field === MODEL_GRAPH)!.payload!)
    .filter((f) => f.field === GRAPH_NODE)
    .map((f) => textsOf(f.payload!, 4)[0]!);

async function rewrite(c: Case): Promise<{ model: Uint8Array; rewritten?: Uint8Array }> {
  const model = convModel(c);
  const one = new ort.Tensor("float32", new Float32Array(c.channels * c.length), [
    1,
    c.channels,
    c.length,
  ]);
  const shapes = await convShapes(model, model, { x: one });
  return { model, rewritten: convsAsMatMul(model, shapes) };
}

describe("convsAsMatMul", () => {
  it("computes what the convolution does, for any 1-D shape, stride, padding and batch (fuzzed)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          batch: fc.integer({ min: 1, max: 40 }),
          channels: fc.integer({ min: 1, max: 40 }),
          outputs: fc.integer({ min: 1, max: 40 }),
          kernel: fc.integer({ min: 1, max: 5 }),
          stride: fc.integer({ min: 1, max: 3 }),
          pads: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
          length: fc.integer({ min: 5, max: 20 }),
          bias: fc.boolean(),
        }),
        async (c) => {
          const { model, rewritten } = await rewrite(c);
          expect(rewritten).toBeDefined();
          expect(ops(rewritten!)).not.toContain("Conv");
          expect(ops(rewritten!)).toContain("MatMul");
          const x = new ort.Tensor("float32", noise(c.batch * c.channels * c.length, 3), [
            c.batch,
            c.channels,
            c.length,
          ]);
          const [want, got] = [await run(model, x), await run(rewritten!, x)];
          expect(got.dims).toEqual(want.dims);
          const a = want.data as Float32Array;
          const b = got.data as Float32Array;
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it("keeps a grouped convolution as it was, and declines a graph with nothing to rewrite", async () => {
    const grouped = await rewrite({
      batch: 2,
      channels: 4,
      outputs: 4,
      kernel: 3,
      stride: 1,
      pads: [1, 1],
      length: 8,
      bias: true,
      group: 2,
    });
    expect(grouped.rewritten).toBeUndefined();
    expect(convsAsMatMul(new Uint8Array(0), new Map())).toBeUndefined();
  });
});
