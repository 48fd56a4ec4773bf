// Small ONNX models built in tests from OnnxProto's pieces: a ModelProto around graph
// fields (IR 8, opset 17) and float32 initializers; and the session options tests open
// them with.

import {
  GRAPH_INITIALIZER,
  MODEL_GRAPH,
  ONNX_FLOAT,
  concat,
  int,
  message,
  text,
} from "../../src/pipeline/stt/OnnxProto.js";

/** ModelProto{ir_version 8, graph, opset_import {"" 17}}. */
export const modelOf = (...graph: Uint8Array[]): Uint8Array =>
  concat([int(1, 8), message(MODEL_GRAPH, ...graph), message(8, text(1, ""), int(2, 17))]);

/** A float32 initializer (TensorProto with raw data); a vector of `values` by default. */
export const floatTensor = (
  name: string,
  values: ArrayLike<number>,
  dims: number[] = [values.length],
): Uint8Array =>
  message(
    GRAPH_INITIALIZER,
    ...dims.map((d) => int(1, d)),
    int(2, ONNX_FLOAT),
    text(8, name),
    message(9, new Uint8Array(Float32Array.from(values).buffer)),
  );

/** CPU, one thread each way: the same numbers on every machine, and no oversubscription. */
export const CPU_ONE_THREAD = {
  executionProviders: ["cpu"],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
};
