// Rewrites each one-dimensional convolution of a graph run on a batch of short inputs
// (the batched Silero VAD: 125 frames a call, each convolved over 1 to 4 steps) as one
// matrix product over the whole batch. ONNX Runtime's Conv multiplies one batch item at
// a time, a product only as wide as that item's few output steps; as a MatMul, the
// batch and the steps form one tall product, which its GEMM runs several times faster.
// Each output is the same dot product of the same weights and inputs (input channel,
// then kernel tap) as the convolution's im2col product; the GEMM may block the sum
// differently, so results can differ in the last bits (9e-7 at most on the VAD).
//
// A convolution is rewritten when it is 1-D (rank-3 weights), ungrouped, undilated, with
// explicit pads, and its input's length is known (measured by the caller on a one-item
// run); every other node is kept as it was.

import type ort from "onnxruntime-node";
import { parseNode, type GraphNode } from "./foldStaticIfs.js";
import {
  GRAPH_INITIALIZER,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  NODE_ATTRIBUTE,
  ONNX_FLOAT,
  concat,
  fieldsOf,
  int,
  int64Tensor,
  intAttribute,
  intsOf,
  message,
  modelGraph,
  node,
  text,
  textsOf,
  valueInfo,
  type Field,
  type ModelGraph,
} from "./OnnxProto.js";
import { openOnnxSession } from "./OnnxSession.js";

export interface ConvShape {
  /** The convolution input's length (its last dimension). */
  length: number;
  /** Its channels and the weights' output channels and kernel size. */
  channels: number;
  outputs: number;
  kernel: number;
}

interface ConvAttributes {
  stride: number;
  pads: [number, number];
  plain: boolean;
}

const PREFIX = "voxtrace_mm_";

/**
 * The model with each convolution `shapes` describes (by its output's name) replaced by
 * a MatMul; undefined when none could be.
 */
export function convsAsMatMul(
  bytes: Uint8Array,
  shapes: ReadonlyMap<string, ConvShape>,
): Uint8Array | undefined {
  const model = modelGraph(bytes);
  if (!model) return undefined;
  let count = 0;
  const rewritten = model.fields.flatMap((field): Field[] => {
    if (field.field !== GRAPH_NODE || !field.payload) return [field];
    const conv = parseNode(field);
    if (conv.op !== "Conv" || conv.domain !== "") return [field];
    const shape = shapes.get(conv.outputs[0]!);
    const attributes = attributesOf(field.payload);
    if (!shape || !attributes.plain || conv.inputs.length < 2) return [field];
    count += 1;
    return fieldsOf(asMatMul(conv, shape, attributes, `${PREFIX}${count}_`));
  });
  return count > 0 ? model.withGraph(rewritten) : undefined;
}

/**
 * The shapes of the convolutions of `bytes` that `probe` (the same graph run on one item,
 * where the values keep their names) also computes: its inputs and weights are read by
 * running `probe` once on `feeds`, with them as extra outputs.
 */
export async function convShapes(
  bytes: Uint8Array,
  probe: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<Map<string, ConvShape>> {
  const convs = nodesOf(modelGraph(bytes)).filter((n) => n.op === "Conv" && n.domain === "");
  const probeModel = modelGraph(probe);
  const shapes = new Map<string, ConvShape>();
  if (!probeModel) return shapes;
  // Dimensions known without a run: the feeds' and the initializers'.
  const dims = new Map<string, readonly number[]>(
    Object.entries(feeds).map(([name, tensor]) => [name, tensor.dims]),
  );
  for (const f of probeModel.fields)
    if (f.field === GRAPH_INITIALIZER && f.payload) {
      const parts = fieldsOf(f.payload);
      const name = textsOf(f.payload, 8)[0] ?? "";
      dims.set(
        name,
        parts.filter((p) => p.field === 1 && p.value !== undefined).map((p) => p.value!),
      );
    }
  const computed = new Set(nodesOf(probeModel).flatMap((n) => n.outputs));
  const wanted = [...new Set(convs.flatMap((c) => c.inputs.slice(0, 2)))].filter(
    (name) => !dims.has(name) && computed.has(name),
  );
  if (wanted.length > 0) {
    const extra = fieldsOf(concat(wanted.map((name) => valueInfo(GRAPH_OUTPUT, name, ONNX_FLOAT))));
    // Opened for one run: not worth optimising.
    const session = await openOnnxSession(probeModel.withGraph([...probeModel.fields, ...extra]), {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "disabled",
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    try {
      const values = await session.run(feeds);
      for (const name of wanted) if (values[name]) dims.set(name, values[name].dims);
    } finally {
      await session.release();
    }
  }
  for (const conv of convs) {
    const [x, w] = [dims.get(conv.inputs[0]!), dims.get(conv.inputs[1]!)];
    if (x?.length !== 3 || w?.length !== 3 || x[1] !== w[1]) continue;
    shapes.set(conv.outputs[0]!, { length: x[2]!, channels: x[1]!, outputs: w[0]!, kernel: w[2]! });
  }
  return shapes;
}

function nodesOf(model: ModelGraph | undefined): GraphNode[] {
  return (model?.fields ?? []).filter((f) => f.field === GRAPH_NODE && f.payload).map(parseNode);
}

/**
 * Conv(x [N, C, L], W [O, C, K], b) as: x padded, its T output windows cut out and laid
 * side by side as rows [N, T, C*K], times W as [C*K, O], plus b, turned back to [N, O, T].
 */
function asMatMul(
  conv: GraphNode,
  { length, channels, outputs, kernel }: ConvShape,
  { stride, pads }: ConvAttributes,
  prefix: string,
): Uint8Array {
  const n = (name: string): string => `${prefix}${name}`;
  const [x, weights, bias] = conv.inputs as [string, string, string | undefined];
  const steps = Math.floor((length + pads[0] + pads[1] - kernel) / stride) + 1;
  const padded = pads[0] + pads[1] > 0 ? n("padded") : x;
  const parts: Uint8Array[] = [];
  if (padded !== x) {
    parts.push(
      node([x, n("pads")], [padded], "Pad"),
      int64Tensor(n("pads"), [0, 0, pads[0], 0, 0, pads[1]]),
    );
  }
  const windows: string[] = [];
  for (let t = 0; t < steps; t++) {
    const from = t * stride;
    parts.push(
      node([padded, n(`from${t}`), n(`to${t}`), n("axis2")], [n(`window${t}`)], "Slice"),
      node([n(`window${t}`), n("row")], [n(`row${t}`)], "Reshape"),
      int64Tensor(n(`from${t}`), [from]),
      int64Tensor(n(`to${t}`), [from + kernel]),
    );
    windows.push(n(`row${t}`));
  }
  const product = bias ? n("product") : n("sum");
  parts.push(
    int64Tensor(n("axis2"), [2]),
    int64Tensor(n("row"), [-1, 1, channels * kernel]),
    int64Tensor(n("flat"), [outputs, channels * kernel]),
    node(windows, [n("rows")], "Concat", intAttribute("axis", 1)),
    node([weights, n("flat")], [n("flat_weights")], "Reshape"),
    node([n("flat_weights")], [n("weights_t")], "Transpose"),
    node([n("rows"), n("weights_t")], [product], "MatMul"),
    ...(bias ? [node([product, bias], [n("sum")], "Add")] : []),
    message(
      GRAPH_NODE,
      text(1, n("sum")),
      text(2, conv.outputs[0]!),
      text(4, "Transpose"),
      message(NODE_ATTRIBUTE, text(1, "perm"), int(8, 0), int(8, 2), int(8, 1), int(20, 7)),
    ),
  );
  return concat(parts);
}

/** A Conv node's stride and pads, and whether it is one this rewrite handles. */
function attributesOf(payload: Uint8Array): ConvAttributes {
  const result: ConvAttributes = { stride: 1, pads: [0, 0], plain: true };
  for (const f of fieldsOf(payload)) {
    if (f.field !== NODE_ATTRIBUTE || !f.payload) continue;
    const name = textsOf(f.payload, 1)[0];
    const single = fieldsOf(f.payload).find((a) => a.field === 3)?.value;
    const list = intsOf(f.payload, 8);
    if (name === "strides") result.stride = list[0] ?? 1;
    else if (name === "pads") result.pads = [list[0] ?? 0, list[1] ?? 0];
    else if (name === "group") result.plain &&= (single ?? 1) === 1;
    else if (name === "dilations") result.plain &&= list.every((d) => d === 1);
    else if (name === "kernel_shape") result.plain &&= list.length === 1;
    else if (name === "auto_pad")
      result.plain &&= (textsOf(f.payload, 4)[0] ?? "NOTSET") === "NOTSET";
    else result.plain = false;
    if ((name === "strides" || name === "pads") && list.length !== (name === "pads" ? 2 : 1))
      result.plain = false;
  }
  return result;
}
