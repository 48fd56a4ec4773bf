// What a transducer's ONNX files say about how to drive them: encoder chunk length and
// shift, feature size, encoder state tensors, decoder context. Read from session
// inputs and custom metadata, never assumed, so other zipformer exports work too.

import ort from "onnxruntime-node";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { VoxtraceError } from "../../errors.js";
import type { OnnxSession } from "./OnnxSession.js";

export interface StateSpec {
  name: string;
  type: "float32" | "int64";
  dims: number[];
}

export interface TransducerLayout {
  /** Feature frames the encoder takes per call, and how far each call advances. */
  chunkFrames: number;
  shiftFrames: number;
  featureDim: number;
  contextSize: number;
  /** Encoder inputs other than `x`; each is fed back from output `new_<name>`. */
  states: StateSpec[];
}

/**
 * Frames the zipformer2 front end looks ahead (7 for the embedding, 2 * 3 for its
 * convolutions); only used when an export lacks decode_chunk_len.
 */
const ZIPFORMER2_PAD_FRAMES = 13;

export function readTransducerLayout(
  sessions: { encoder: OnnxSession; decoder: OnnxSession; joiner: OnnxSession },
  metadata: { encoder: Map<string, string>; decoder: Map<string, string> },
  paths: { encoder: string; decoder: string; joiner: string },
): TransducerLayout {
  const { encoder, decoder, joiner } = sessions;
  const x = tensorInput(encoder, "x", paths.encoder);
  const chunkFrames = intMeta(metadata.encoder, "T") ?? fixedDim(x, 1, paths.encoder);
  const shiftFrames =
    intMeta(metadata.encoder, "decode_chunk_len") ?? chunkFrames - ZIPFORMER2_PAD_FRAMES;
  const yDim = tensorInput(decoder, "y", paths.decoder).shape[1];
  const contextSize =
    intMeta(metadata.decoder, "context_size") ?? (typeof yDim === "number" ? yDim : 2);
  if (!encoder.outputNames.includes("encoder_out")) {
    throw notTransducer(paths.encoder, 'no "encoder_out" output');
  }
  if (joiner.inputNames.length !== 2 || joiner.outputNames.length < 1) {
    throw notTransducer(paths.joiner, "a joiner needs two inputs and a logit output");
  }
  const states = encoder.inputMetadata
    .filter((input) => input.name !== "x")
    .map((input) => stateSpec(input, encoder, paths.encoder));
  return {
    chunkFrames,
    shiftFrames,
    featureDim: fixedDim(x, 2, paths.encoder),
    contextSize,
    states,
  };
}

/** Fresh all-zero encoder states of the declared shapes and types. */
export function zeroStates(specs: readonly StateSpec[]): Record<string, Tensor> {
  const states: Record<string, Tensor> = {};
  for (const { name, type, dims } of specs) {
    const size = dims.reduce((a, b) => a * b, 1);
    states[name] =
      type === "int64"
        ? new ort.Tensor("int64", new BigInt64Array(size), dims)
        : new ort.Tensor("float32", new Float32Array(size), dims);
  }
  return states;
}

function notTransducer(path: string, why: string): VoxtraceError {
  return new VoxtraceError(
    "model",
    `${path}: not a sherpa-onnx streaming zipformer transducer (${why}) - use one from \`voxtrace models list\``,
  );
}

function tensorInput(
  session: OnnxSession,
  name: string,
  path: string,
): InferenceSession.TensorValueMetadata {
  const input = session.inputMetadata.find((m) => m.name === name);
  if (!input?.isTensor) throw notTransducer(path, `no tensor input "${name}"`);
  return input;
}

function fixedDim(input: InferenceSession.TensorValueMetadata, axis: number, path: string): number {
  const dim = input.shape[axis];
  if (typeof dim !== "number" || dim <= 0) {
    throw notTransducer(path, `input "${input.name}" has no fixed size on axis ${axis}`);
  }
  return dim;
}

function stateSpec(
  input: InferenceSession.ValueMetadata,
  encoder: OnnxSession,
  path: string,
): StateSpec {
  if (!input.isTensor || (input.type !== "float32" && input.type !== "int64")) {
    throw notTransducer(path, `state input "${input.name}" is not a float32/int64 tensor`);
  }
  if (!encoder.outputNames.includes(`new_${input.name}`)) {
    throw notTransducer(path, `state input "${input.name}" has no "new_${input.name}" output`);
  }
  // Symbolic dimensions are the batch axis: one stream per run.
  const dims = input.shape.map((d) => (typeof d === "number" ? d : 1));
  return { name: input.name, type: input.type, dims };
}

function intMeta(metadata: Map<string, string>, key: string): number | undefined {
  const value = Number(metadata.get(key));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
