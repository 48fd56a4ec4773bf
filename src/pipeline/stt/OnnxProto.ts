// The few protobuf pieces our ONNX graph rewrites need (packEncoderStates, foldStaticIfs):
// split a message into its fields, keeping each field's bytes so untouched parts are
// copied as they were, and build the small messages the rewrites add. Field numbers are
// those of onnx.proto.

import { varint } from "./OnnxMetadata.js";

export const MODEL_GRAPH = 7;
export const GRAPH_NODE = 1;
export const GRAPH_NAME = 2;
export const GRAPH_INITIALIZER = 5;
export const GRAPH_DOC_STRING = 10;
export const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
export const GRAPH_VALUE_INFO = 13;
export const NODE_INPUT = 1;
export const NODE_OUTPUT = 2;
export const NODE_OP_TYPE = 4;
export const NODE_ATTRIBUTE = 5;
export const NODE_DOMAIN = 7;
export const ATTRIBUTE_NAME = 1;
export const ATTRIBUTE_GRAPH = 6;
export const TENSOR_NAME = 8;
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_BOOL = 9;
const ATTRIBUTE_INT = 2;
const WIRE_LEN = 2;

export interface Field {
  field: number;
  /** The whole field, tag included, as it was in the input. */
  raw: Uint8Array;
  payload: Uint8Array | undefined;
  /** A varint field's value. */
  value: number | undefined;
}

export function fieldsOf(bytes: Uint8Array): Field[] {
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

/** The payload of the first length-delimited `field` of a message. */
export function child(message: Uint8Array | undefined, field: number): Uint8Array | undefined {
  return message && fieldsOf(message).find((f) => f.field === field)?.payload;
}

/** The string fields numbered `field` of a message, in order. */
export function textsOf(message: Uint8Array, field: number): string[] {
  return fieldsOf(message)
    .filter((f) => f.field === field && f.payload)
    .map((f) => Buffer.from(f.payload!).toString("utf8"));
}

/** The name (field 1) of a ValueInfoProto, TensorProto's is field 8. */
export function nameOf(payload: Uint8Array | undefined): string {
  return payload ? (textsOf(payload, 1)[0] ?? "") : "";
}

/** The ONNX element type and dimensions (-1 where symbolic) of a ValueInfoProto. */
export function tensorTypeOf(valueInfo: Uint8Array): {
  elem: number | undefined;
  dims: number[] | undefined;
} {
  // ValueInfoProto.type (2) . tensor_type (1) . {elem_type (1), shape (2) . dim (1)}
  const tensor = child(child(valueInfo, 2), 1);
  const elem = tensor && fieldsOf(tensor).find((f) => f.field === 1)?.value;
  const shape = tensor && child(tensor, 2);
  const dims = shape
    ? fieldsOf(shape)
        .filter((f) => f.field === 1 && f.payload)
        .map((dim) => fieldsOf(dim.payload!).find((f) => f.field === 1)?.value ?? -1)
    : undefined;
  return { elem, dims };
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

export const concat = (parts: readonly Uint8Array[]): Uint8Array => Buffer.concat(parts);
export const int = (field: number, value: number): Uint8Array =>
  concat([encodeVarint(field * 8), encodeVarint(value)]);
export const lengthDelimited = (field: number, payload: Uint8Array): Uint8Array =>
  concat([encodeVarint(field * 8 + WIRE_LEN), encodeVarint(payload.length), payload]);
export const text = (field: number, value: string): Uint8Array =>
  lengthDelimited(field, Buffer.from(value, "utf8"));
export const message = (field: number, ...parts: Uint8Array[]): Uint8Array =>
  lengthDelimited(field, concat(parts));

/** A model's graph as fields, and the model rebuilt around other graph fields. */
export interface ModelGraph {
  fields: Field[];
  /** The model with `fields` as its graph; every other part copied as it was. */
  withGraph: (fields: readonly Field[]) => Uint8Array;
}

/** The graph of the ModelProto `bytes`; undefined when it has none. */
export function modelGraph(bytes: Uint8Array): ModelGraph | undefined {
  const top = fieldsOf(bytes);
  const graph = top.find((f) => f.field === MODEL_GRAPH && f.payload);
  if (!graph) return undefined;
  return {
    fields: fieldsOf(graph.payload!),
    withGraph: (fields) =>
      concat(
        top.map((f) =>
          f === graph ? lengthDelimited(MODEL_GRAPH, concat(fields.map((g) => g.raw))) : f.raw,
        ),
      ),
  };
}

/** The repeated integers `field` of a message, packed or not (AttributeProto.ints is 8). */
export function intsOf(message: Uint8Array, field: number): number[] {
  const out: number[] = [];
  for (const f of fieldsOf(message)) {
    if (f.field !== field) continue;
    if (f.value !== undefined) out.push(f.value);
    else if (f.payload) {
      const packed = Buffer.from(f.payload.buffer, f.payload.byteOffset, f.payload.byteLength);
      for (let at = 0; at < packed.length;) {
        const { value, next } = varint(packed, at, packed.length);
        out.push(value);
        at = next;
      }
    }
  }
  return out;
}

/** An integer attribute (`axis`, ...) of a node. */
export const intAttribute = (name: string, value: number): Uint8Array =>
  message(NODE_ATTRIBUTE, text(1, name), int(3, value), int(20, ATTRIBUTE_INT));

/**
 * A graph input or output (`field`): ValueInfoProto{name, type{tensor_type{elem_type,
 * shape}}}; without `dims` the shape is left unsaid.
 */
export function valueInfo(
  field: number,
  name: string,
  elem: number,
  dims?: readonly number[],
): Uint8Array {
  const shape = dims ? [message(2, ...dims.map((d) => message(1, int(1, d))))] : [];
  return message(field, text(1, name), message(2, message(1, int(1, elem), ...shape)));
}

/** A graph initializer: TensorProto{dims, data_type int64, name, raw_data}. */
export function int64Tensor(
  name: string,
  values: readonly (number | bigint)[],
  dims: readonly number[] = [values.length],
): Uint8Array {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return message(
    GRAPH_INITIALIZER,
    ...dims.map((d) => int(1, d)),
    int(2, ONNX_INT64),
    text(8, name),
    lengthDelimited(9, new Uint8Array(data.buffer)),
  );
}

/** NodeProto{input*, output*, op_type, attribute?}, in the default domain. */
export function node(
  inputs: readonly string[],
  outputs: readonly string[],
  op: string,
  attribute?: Uint8Array,
): Uint8Array {
  return message(
    GRAPH_NODE,
    ...inputs.map((i) => text(NODE_INPUT, i)),
    ...outputs.map((o) => text(NODE_OUTPUT, o)),
    text(NODE_OP_TYPE, op),
    ...(attribute ? [attribute] : []),
  );
}
