// Rewrites a streaming encoder so its float32 state tensors travel as one: onnxruntime-node
// spends ~7 us per tensor a call moves (one OrtValue in, one JS tensor out), and the
// zipformer encoder moves 37 states in and out per chunk. The rewritten graph splits one
// flat input "states" back into the original state inputs and concatenates the new states
// into one flat output "new_states"; the rest of the model is kept byte for byte. Measured
// in docs/benchmarks.md: about 7 % of an encoder call.
// Only the protobuf fields this needs are read: ModelProto.graph, and in the graph its
// inputs and outputs (by name); everything else is copied as it was.

import {
  GRAPH_INPUT,
  GRAPH_OUTPUT,
  modelGraph,
  ONNX_FLOAT,
  ONNX_INT64,
  concat,
  fieldsOf,
  int64Tensor,
  intAttribute,
  nameOf,
  node,
  tensorTypeOf,
  valueInfo,
} from "./OnnxProto.js";
import type { StateSpec } from "./TransducerLayout.js";

export const PACKED_STATES = "states";

/**
 * The encoder `bytes` with the float32 states of `states` (by default every input but `x`,
 * read from the graph) packed into one input and one output, in the order given; undefined
 * when there are fewer than two such states (nothing to gain) or the graph does not
 * declare them as inputs and `new_` outputs.
 */
export function packEncoderStates(
  bytes: Uint8Array,
  states: readonly StateSpec[] = encoderStateSpecs(bytes),
): Uint8Array | undefined {
  const packed = states.filter((s) => s.type === "float32");
  if (packed.length < 2 || states.some((s) => s.name === PACKED_STATES)) return undefined;
  const names = new Set(packed.map((s) => s.name));
  const model = modelGraph(bytes);
  if (!model) return undefined;
  let inputs = 0;
  let outputs = 0;
  const kept = model.fields.filter((f) => {
    if (f.field === GRAPH_INPUT && names.has(nameOf(f.payload))) return (inputs++, false);
    if (f.field === GRAPH_OUTPUT && names.has(nameOf(f.payload).replace(/^new_/, "")))
      return (outputs++, false);
    return true;
  });
  if (inputs !== packed.length || outputs !== packed.length) return undefined;
  const sizes = packed.map((s) => s.dims.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const axis0 = intAttribute("axis", 0);
  const prefix = "voxtrace_pack";
  const added = [
    valueInfo(GRAPH_INPUT, PACKED_STATES, ONNX_FLOAT, [total]),
    valueInfo(GRAPH_OUTPUT, `new_${PACKED_STATES}`, ONNX_FLOAT, [total]),
    int64Tensor(`${prefix}_sizes`, sizes),
    int64Tensor(`${prefix}_flat`, [-1]),
    node(
      [PACKED_STATES, `${prefix}_sizes`],
      packed.map((s) => `${prefix}_in_${s.name}`),
      "Split",
      axis0,
    ),
    ...packed.flatMap((s) => [
      int64Tensor(`${prefix}_shape_${s.name}`, s.dims),
      node([`${prefix}_in_${s.name}`, `${prefix}_shape_${s.name}`], [s.name], "Reshape"),
      node([`new_${s.name}`, `${prefix}_flat`], [`${prefix}_out_${s.name}`], "Reshape"),
    ]),
    node(
      packed.map((s) => `${prefix}_out_${s.name}`),
      [`new_${PACKED_STATES}`],
      "Concat",
      axis0,
    ),
  ];
  return model.withGraph([...kept, ...fieldsOf(concat(added))]);
}

/** The specs of a packed encoder's states: the flat float32 one, then the others as they were. */
export function packedStateSpecs(states: readonly StateSpec[]): StateSpec[] {
  const total = states
    .filter((s) => s.type === "float32")
    .reduce((n, s) => n + s.dims.reduce((a, b) => a * b, 1), 0);
  return [
    { name: PACKED_STATES, type: "float32", dims: [total] },
    ...states.filter((s) => s.type !== "float32"),
  ];
}

/**
 * The graph inputs other than `x`, as state specs (symbolic dimensions are the batch axis:
 * one stream per run); inputs of other element types are left out.
 */
export function encoderStateSpecs(bytes: Uint8Array): StateSpec[] {
  const specs: StateSpec[] = [];
  for (const input of modelGraph(bytes)?.fields ?? []) {
    if (input.field !== GRAPH_INPUT || !input.payload) continue;
    const name = nameOf(input.payload);
    const { elem, dims } = tensorTypeOf(input.payload);
    const type = elem === ONNX_FLOAT ? "float32" : elem === ONNX_INT64 ? "int64" : undefined;
    if (name === "x" || !type || !dims) continue;
    specs.push({ name, type, dims: dims.map((d) => (d < 0 ? 1 : d)) });
  }
  return specs;
}
