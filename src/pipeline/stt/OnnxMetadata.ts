// Reads an ONNX file's custom metadata (ModelProto.metadata_props), which
// onnxruntime-node does not expose. sherpa-onnx exports keep facts such as
// decode_chunk_len and context_size there. Only top-level fields are visited and
// the graph is skipped by length, so this stays cheap for large models.

import { open, type FileHandle } from "node:fs/promises";

const METADATA_PROPS = 14;
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

export async function readOnnxMetadata(path: string): Promise<Map<string, string>> {
  const metadata = new Map<string, string>();
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(20);
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await file.read(head, 0, head.length, pos);
      const tag = varint(head, 0, bytesRead);
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      let at = tag.next;
      if (wire === WIRE_VARINT) {
        at = varint(head, at, bytesRead).next;
        pos += at;
      } else if (wire === WIRE_I64 || wire === WIRE_I32) {
        pos += at + (wire === WIRE_I64 ? 8 : 4);
      } else if (wire === WIRE_LEN) {
        const length = varint(head, at, bytesRead);
        const start = pos + length.next;
        if (field === METADATA_PROPS) {
          const [key, value] = await readEntry(file, start, length.value);
          metadata.set(key, value);
        }
        pos = start + length.value;
      } else {
        break; // not a protobuf we understand; whatever was read so far stands
      }
    }
  } finally {
    await file.close();
  }
  return metadata;
}

async function readEntry(
  file: FileHandle,
  start: number,
  length: number,
): Promise<[string, string]> {
  const bytes = Buffer.alloc(length);
  await file.read(bytes, 0, length, start);
  let key = "";
  let value = "";
  let at = 0;
  while (at < length) {
    const tag = varint(bytes, at, length);
    const size = varint(bytes, tag.next, length);
    const text = bytes.toString("utf8", size.next, size.next + size.value);
    if (tag.value === (1 << 3) + WIRE_LEN) key = text;
    if (tag.value === (2 << 3) + WIRE_LEN) value = text;
    at = size.next + size.value;
  }
  return [key, value];
}

export function varint(bytes: Buffer, start: number, end: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let at = start; at < end; at++) {
    const byte = bytes[at]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: at + 1 };
  }
  throw new RangeError("truncated varint");
}
