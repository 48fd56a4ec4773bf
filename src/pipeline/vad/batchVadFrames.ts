// Rewrites the Silero VAD v5 graph (already specialised to 16 kHz and one stream by
// foldStaticIfs) to take a run of frames in one call. Only its LSTM carries anything from
// one frame to the next; the front end before it (a short-time Fourier transform as a
// convolution, then four convolutions) looks at one frame alone. So the front end runs
// on all the frames as one batch, the LSTM runs over them as one sequence (the op takes
// a sequence), and the head after it (ReLU, a 1x1 convolution, sigmoid) gives one
// probability per frame. The numbers are those of the one-frame graph called frame by
// frame; SileroVad checks that at load and keeps the one-frame graph if they differ.
//
// The rewritten model takes `samples` (1 x (context + frames x hop) float: the context
// that came before the first frame, then the frames) and the state before the first
// frame, and gives `probabilities` (1 x frames) and the state after the last frame.

import { parseNode, prune, withoutDeadCode, type GraphNode } from "../stt/foldStaticIfs.js";
import {
  GRAPH_INPUT,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  NODE_ATTRIBUTE,
  ONNX_FLOAT,
  concat,
  fieldsOf,
  int64Tensor,
  intAttribute,
  message,
  modelGraph,
  nameOf,
  node,
  text,
  valueInfo,
} from "../stt/OnnxProto.js";

export const BATCH_SAMPLES = "samples";
export const BATCH_PROBABILITIES = "probabilities";

export interface VadGraphNames {
  /** The one-frame graph's frame input (1 x (context + hop)). */
  frameInput: string;
  /** Its state output (the state input keeps its name). */
  stateOutput: string;
  hop: number;
  context: number;
}

const PREFIX = "voxtrace_batch_";
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The graph run over a batch of frames, or undefined when it is not shaped as expected
 * (another model, damaged bytes).
 */
export function batchVadFrames(bytes: Uint8Array, names: VadGraphNames): Uint8Array | undefined {
  try {
    return rewrite(bytes, names);
  } catch {
    return undefined;
  }
}

function rewrite(bytes: Uint8Array, names: VadGraphNames): Uint8Array | undefined {
  const model = modelGraph(bytes);
  if (!model) return undefined;
  const graph = model.fields;
  const nodes = graph.filter((f) => f.field === GRAPH_NODE && f.payload).map(parseNode);
  const producer = new Map<string, GraphNode>();
  const readers = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    for (const output of n.outputs) producer.set(output, n);
    for (const input of n.inputs) readers.set(input, [...(readers.get(input) ?? []), n]);
  }
  const lstms = nodes.filter((n) => n.op === "LSTM");
  if (lstms.length !== 1) return undefined;
  const lstm = lstms[0]!;
  // X is Unsqueeze(feature, [0]): one step of a batch of one. It becomes Unsqueeze(feature,
  // [1]): frames steps of a batch of one. The head reads Y (every step) instead of Y_h.
  const toX = producer.get(lstm.inputs[0]!);
  const everyStep = lstm.outputs[0];
  if (!toX || toX.op !== "Unsqueeze" || toX.inputs.length !== 2 || !everyStep) return undefined;
  if ((readers.get(lstm.inputs[0]!) ?? []).length !== 1) return undefined;
  const head = headConvolution(nodes, lstm, readers);
  const stateOut = graph.find(
    (f) => f.field === GRAPH_OUTPUT && nameOf(f.payload) === names.stateOutput,
  );
  const stateIn = graph.find(
    (f) => f.field === GRAPH_INPUT && nameOf(f.payload) !== names.frameInput,
  );
  if (!head || !stateOut || !stateIn) return undefined;

  const p = (name: string): string => PREFIX + name;
  const added = concat([
    // Frame i is samples[i*hop, i*hop + context + hop): its context is the first
    // `context` samples of row i of samples[0, frames*hop) cut into rows of `hop`.
    node([BATCH_SAMPLES, p("zero"), p("minus_context"), p("axis1")], [p("leading")], "Slice"),
    node([p("leading"), p("rows")], [p("leading_rows")], "Reshape"),
    node([p("leading_rows"), p("zero"), p("context"), p("axis1")], [p("contexts")], "Slice"),
    node([BATCH_SAMPLES, p("context"), p("end"), p("axis1")], [p("hops")], "Slice"),
    node([p("hops"), p("rows")], [p("hop_rows")], "Reshape"),
    node([p("contexts"), p("hop_rows")], [names.frameInput], "Concat", intAttribute("axis", 1)),
    node([toX.inputs[0]!, p("axis1")], [lstm.inputs[0]!], "Unsqueeze"),
    node([everyStep], [p("steps")], "Flatten", intAttribute("axis", 1)),
    node([p("steps"), p("axis2")], [p("steps3")], "Unsqueeze"),
    node([p("steps3")], [p("relu")], "Relu"),
    message(
      GRAPH_NODE,
      text(1, p("relu")),
      ...head.inputs.slice(1).map((input) => text(1, input)),
      text(2, p("logit")),
      text(4, "Conv"),
      ...fieldsOf(head.field.payload!)
        .filter((f) => f.field === NODE_ATTRIBUTE)
        .map((f) => f.raw),
    ),
    node([p("logit")], [p("probability")], "Sigmoid"),
    node([p("probability")], [BATCH_PROBABILITIES], "Flatten", intAttribute("axis", 0)),
    int64Tensor(p("zero"), [0]),
    int64Tensor(p("minus_context"), [-names.context]),
    int64Tensor(p("context"), [names.context]),
    int64Tensor(p("end"), [INT64_MAX]),
    int64Tensor(p("axis1"), [1]),
    int64Tensor(p("axis2"), [2]),
    int64Tensor(p("rows"), [-1, names.hop]),
    valueInfo(GRAPH_INPUT, BATCH_SAMPLES, ONNX_FLOAT),
    valueInfo(GRAPH_OUTPUT, BATCH_PROBABILITIES, ONNX_FLOAT),
  ]);
  // Keep what the state output needs (the LSTM and everything before it), minus the old
  // frame input and X's Unsqueeze, then add the new parts; dead code goes last.
  const kept = prune(graph, [names.stateOutput, ...head.inputs.slice(1)]).filter(
    (f) => !(f.field === GRAPH_INPUT && nameOf(f.payload) === names.frameInput) && f !== toX.field,
  );
  return model.withGraph(withoutDeadCode([...kept, ...fieldsOf(added), ...fieldsOf(stateOut.raw)]));
}

/**
 * The convolution of the head: the one Conv after the LSTM, after a ReLU and before a
 * Sigmoid.
 */
function headConvolution(
  nodes: readonly GraphNode[],
  lstm: GraphNode,
  readers: ReadonlyMap<string, GraphNode[]>,
): GraphNode | undefined {
  const after = new Set<GraphNode>();
  const pending = [...lstm.outputs];
  for (let name = pending.pop(); name !== undefined; name = pending.pop())
    for (const reader of readers.get(name) ?? [])
      if (!after.has(reader)) {
        after.add(reader);
        pending.push(...reader.outputs);
      }
  const convs = nodes.filter((n) => n.op === "Conv" && after.has(n));
  if (convs.length !== 1 || convs[0]!.inputs.length < 2) return undefined;
  const conv = convs[0]!;
  const relu = nodes.find((n) => n.outputs.includes(conv.inputs[0]!))?.op === "Relu";
  const sigmoid = (readers.get(conv.outputs[0]!) ?? []).some((n) => n.op === "Sigmoid");
  return relu && sigmoid ? conv : undefined;
}
