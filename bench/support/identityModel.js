// A hand-encoded ONNX model with N float32 inputs of a given shape, each passed through
// an Identity node to its own output: the smallest session that still moves N tensors
// in and N out, for measuring onnxruntime-node's bare per-call cost against N.
// Only the protobuf fields an ONNX loader needs are written (ModelProto, GraphProto,
// NodeProto, ValueInfoProto, TypeProto.Tensor, TensorShapeProto).

const ELEMENT_TYPES = { float32: 1, int64: 7 };

function varint(value) {
  const bytes = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const key = (field, wire) => varint((field << 3) | wire);
const int = (field, value) => Buffer.concat([key(field, 0), varint(value)]);
const bytesField = (field, payload) =>
  Buffer.concat([key(field, 2), varint(payload.length), payload]);
const str = (field, text) => bytesField(field, Buffer.from(text, "utf8"));
const msg = (field, ...parts) => bytesField(field, Buffer.concat(parts));

function valueInfo(field, name, { type, dims }) {
  const dimensions = dims.map((d) => msg(1, int(1, d)));
  // ValueInfoProto{name=1, type=2{tensor_type=1{elem_type=1, shape=2{dim=1{dim_value=1}}}}}
  const elementType = int(1, ELEMENT_TYPES[type]);
  return msg(field, str(1, name), msg(2, msg(1, elementType, msg(2, ...dimensions))));
}

/** ONNX bytes of a graph with `count` Identity nodes, in_i -> out_i, float32 of `shape`. */
export function identityModel(count, shape) {
  return identityModelOf(Array.from({ length: count }, () => ({ type: "float32", dims: shape })));
}

/** The same with one Identity per spec ({type: "float32" | "int64", dims}). */
export function identityModelOf(specs) {
  const parts = [];
  for (let i = 0; i < specs.length; i++) {
    // NodeProto{input=1, output=2, op_type=4}
    parts.push(msg(1, str(1, `in_${i}`), str(2, `out_${i}`), str(4, "Identity")));
  }
  parts.push(str(2, "identity"));
  specs.forEach((spec, i) => parts.push(valueInfo(11, `in_${i}`, spec)));
  specs.forEach((spec, i) => parts.push(valueInfo(12, `out_${i}`, spec)));
  const graph = Buffer.concat(parts);
  // ModelProto{ir_version=1, graph=7, opset_import=8{domain=1, version=2}}
  return new Uint8Array(
    Buffer.concat([int(1, 8), bytesField(7, graph), msg(8, str(1, ""), int(2, 13))]),
  );
}
