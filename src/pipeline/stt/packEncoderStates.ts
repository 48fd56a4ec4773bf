// Rewrites a streaming encoder so its float32 state tensors travel as one: onnxruntime-node
// spends ~7 us per tensor a call moves (one OrtValue in, one JS tensor out), and the
// zipformer encoder moves 37 states in and out per chunk. The rewritten graph splits one
// flat input "states" back into the original state inputs and concatenates the new states
// into one flat output "new_states"; the rest of the model is kept byte for byte. Measured
// in docs/benchmarks.md: about 7 % of an encoder call.
// Only the protobuf fields this needs are read: ModelProto.graph, and in the graph its
// inputs and outputs (by name); everything else is copied as it was.

import { varint } from "./OnnxMetadata.js";
import type { StateSpec } from "./TransducerLayout.js";

export const PACKED_STATES = "states";

const MODEL_GRAPH = 7;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const WIRE_LEN = 2;
const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;
const ATTRIBUTE_INT = 2;

interface Field {
  field: number;
  /** The whole field, tag included, as it was in the input. */
  raw: Uint8Array;
  payload: Uint8Array | undefined;
  /** A varint field's value. */
  value: number | undefined;
}

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
  const top = fieldsOf(bytes);
  const graph = top.find((f) => f.field === MODEL_GRAPH && f.payload);
  if (!graph) return undefined;
  let inputs = 0;
  let outputs = 0;
  const kept = fieldsOf(graph.payload!).filter((f) => {
    if (f.field === GRAPH_INPUT && names.has(nameOf(f.payload))) return (inputs++, false);
    if (f.field === GRAPH_OUTPUT && names.has(nameOf(f.payload).replace(/^new_/, "")))
      return (outputs++, false);
    return true;
  });
  if (inputs !== packed.length || outputs !== packed.length) return undefined;
  const sizes = packed.map((s) => s.dims.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const axis0 = message(5, text(1, "axis"), int(3, 0), int(20, ATTRIBUTE_INT));
  const prefix = "voxtrace_pack";
  const added = [
    valueInfo(GRAPH_INPUT, PACKED_STATES, total),
    valueInfo(GRAPH_OUTPUT, `new_${PACKED_STATES}`, total),
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
  const rewritten = concat([...kept.map((f) => f.raw), ...added]);
  return concat(top.map((f) => (f === graph ? lengthDelimited(MODEL_GRAPH, rewritten) : f.raw)));
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
  const graph = fieldsOf(bytes).find((f) => f.field === MODEL_GRAPH)?.payload;
  const specs: StateSpec[] = [];
  for (const input of graph ? fieldsOf(graph) : []) {
    if (input.field !== GRAPH_INPUT || !input.payload) continue;
    const name = nameOf(input.payload);
    // ValueInfoProto.type (2) . tensor_type (1) . {elem_type (1), shape (2) . dim (1)}
    const tensor = child(child(input.payload, 2), 1);
    const elem = tensor && fieldsOf(tensor).find((f) => f.field === 1)?.value;
    const shape = tensor && child(tensor, 2);
    const type = elem === ONNX_FLOAT ? "float32" : elem === ONNX_INT64 ? "int64" : undefined;
    if (name === "x" || !type || !shape) continue;
    const dims = fieldsOf(shape)
      .filter((f) => f.field === 1 && f.payload)
      .map((dim) => fieldsOf(dim.payload!).find((f) => f.field === 1)?.value ?? 1);
    specs.push({ name, type, dims });
  }
  return specs;
}

/** The payload of the first length-delimited `field` of a message. */
function child(message: Uint8Array | undefined, field: number): Uint8Array | undefined {
  return message && fieldsOf(message).find((f) => f.field === field)?.payload;
}

function fieldsOf(bytes: Uint8Array): Field[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  let at = 0;
  while (at < buffer.length) {
    const start = at;
    const tag = varint(buffer, at, buffer.length);
    const wire = tag.value % 8;
    at = tag.next;
    let payload: Uint8Array | undefined;
    let value: number | undefined;
    if (wire === 0) ({ value, next: at } = varint(buffer, at, buffer.length));
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === WIRE_LEN) {
      const length = varint(buffer, at, buffer.length);
      payload = buffer.subarray(length.next, length.next + length.value);
      at = length.next + length.value;
    } else throw new RangeError(`protobuf wire type ${wire} at byte ${start}`);
    if (at > buffer.length) throw new RangeError(`protobuf field past the end at byte ${start}`);
    fields.push({
      field: Math.floor(tag.value / 8),
      raw: buffer.subarray(start, at),
      payload,
      value,
    });
  }
  return fields;
}

/** The name (field 1) of a ValueInfoProto. */
function nameOf(payload: Uint8Array | undefined): string {
  const name = payload && fieldsOf(payload).find((f) => f.field === 1)?.payload;
  return name ? Buffer.from(name).toString("utf8") : "";
}

function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => Buffer.concat(parts);
const int = (field: number, value: number): Uint8Array =>
  concat([encodeVarint(field * 8), encodeVarint(value)]);
const lengthDelimited = (field: number, payload: Uint8Array): Uint8Array =>
  concat([encodeVarint(field * 8 + WIRE_LEN), encodeVarint(payload.length), payload]);
const text = (field: number, value: string): Uint8Array =>
  lengthDelimited(field, Buffer.from(value, "utf8"));
const message = (field: number, ...parts: Uint8Array[]): Uint8Array =>
  lengthDelimited(field, concat(parts));

/** ValueInfoProto{name, type{tensor_type{elem_type float, shape{dim{dim_value}}}}}. */
function valueInfo(field: number, name: string, length: number): Uint8Array {
  const shape = message(2, message(1, int(1, length)));
  return message(field, text(1, name), message(2, message(1, int(1, ONNX_FLOAT), shape)));
}

/** A graph initializer (GraphProto field 5): TensorProto{dims, data_type, name, raw_data}. */
function int64Tensor(name: string, values: readonly number[]): Uint8Array {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return message(
    5,
    int(1, values.length),
    int(2, ONNX_INT64),
    text(8, name),
    lengthDelimited(9, new Uint8Array(data.buffer)),
  );
}

/** NodeProto{input*, output*, op_type, attribute?}, in the default domain. */
function node(
  inputs: readonly string[],
  outputs: readonly string[],
  op: string,
  attribute?: Uint8Array,
): Uint8Array {
  return message(
    1,
    ...inputs.map((i) => text(1, i)),
    ...outputs.map((o) => text(2, o)),
    text(4, op),
    ...(attribute ? [attribute] : []),
  );
}
