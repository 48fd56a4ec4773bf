// Specialises an ONNX graph to the inputs a caller will always give, and replaces each If
// node whose condition is then known by the branch it takes. ONNX Runtime runs an If as a
// nested session call: the Silero VAD v5 graph passes through seven of them per frame
// (sample rate, batch size, tensor ranks), about 16 us of its ~95 us a call here
// (docs/benchmarks.md). ONNX Runtime's own If folding fails on this graph (a nested
// branch refers to a value of its parent branch), so the branches are inlined here.
//
// A condition is taken as known when it depends on nothing but constants and tensor
// shapes (Shape, Size) once the fixed inputs are constants and the other inputs have fixed
// shapes; its value is read by running the graph with it as an extra output, twice, on
// different data, and the If is kept when the two runs disagree.

import ort from "onnxruntime-node";
import {
  ATTRIBUTE_GRAPH,
  ATTRIBUTE_NAME,
  GRAPH_DOC_STRING,
  GRAPH_INITIALIZER,
  GRAPH_INPUT,
  GRAPH_NAME,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  GRAPH_VALUE_INFO,
  modelGraph,
  NODE_ATTRIBUTE,
  NODE_DOMAIN,
  NODE_INPUT,
  NODE_OP_TYPE,
  NODE_OUTPUT,
  ONNX_BOOL,
  ONNX_FLOAT,
  ONNX_INT64,
  TENSOR_NAME,
  concat,
  fieldsOf,
  int64Tensor,
  nameOf,
  node,
  tensorTypeOf,
  textsOf,
  valueInfo,
  type Field,
} from "./OnnxProto.js";
import { openOnnxSession } from "./OnnxSession.js";

export interface GraphSpecialization {
  /** Inputs that always get this one int64 scalar: they become constants of the graph. */
  constants?: Readonly<Record<string, bigint>>;
  /** The shape every other input always has. */
  shapes: Readonly<Record<string, readonly number[]>>;
}

export interface GraphNode {
  field: Field;
  inputs: string[];
  outputs: string[];
  op: string;
  domain: string;
  /** Graph-valued attributes (an If's then_branch and else_branch), by name. */
  branches: Map<string, Uint8Array>;
}

/** The name of an initializer (a TensorProto field of the graph). */
const initializerName = (f: Field): string => textsOf(f.payload!, TENSOR_NAME)[0] ?? "";

/** Rounds of inlining: each exposes the Ifs nested one level deeper. */
const MAX_ROUNDS = 16;
/** Ops whose result is not a function of their inputs. */
const RANDOM_OPS = new Set([
  "RandomNormal",
  "RandomUniform",
  "RandomNormalLike",
  "RandomUniformLike",
  "Multinomial",
  "Bernoulli",
]);

/**
 * The model `bytes` with the inputs of `constants` made constant, the others given fixed
 * shapes, and every If whose condition that decides replaced by its branch; undefined when
 * no If could be replaced or an input is left without a value or a shape.
 */
export async function foldStaticIfs(
  bytes: Uint8Array,
  specialization: GraphSpecialization,
): Promise<Uint8Array | undefined> {
  const model = modelGraph(bytes);
  if (!model) return undefined;
  let graph: Field[] | undefined = fixInputs(model.fields, specialization);
  if (!graph) return undefined;
  const modelOf = model.withGraph;
  let folded = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = await foldRound(graph, modelOf, specialization);
    if (result.replaced === 0) break;
    graph = result.graph;
    folded += result.replaced;
  }
  return folded > 0 ? modelOf(withoutDeadCode(graph)) : undefined;
}

/** One pass: the Ifs of the outer graph whose condition is known, replaced by their branch. */
async function foldRound(
  graph: readonly Field[],
  modelOf: (fields: readonly Field[]) => Uint8Array,
  specialization: GraphSpecialization,
): Promise<{ graph: Field[]; replaced: number }> {
  const nodes = graph.filter((f) => f.field === GRAPH_NODE && f.payload).map(parseNode);
  const known = staticValues(graph, nodes);
  const ifs = new Map<Field, GraphNode>();
  for (const n of nodes)
    if (n.op === "If" && n.domain === "" && known(n.inputs[0]!)) ifs.set(n.field, n);
  if (ifs.size === 0) return { graph: [...graph], replaced: 0 };
  const conditionNames = [...new Set([...ifs.values()].map((n) => n.inputs[0]!))];
  const conditions = await evaluate(modelOf, graph, conditionNames, specialization);
  const defined = definedNames(graph, nodes);
  let replaced = 0;
  const rewritten = graph.flatMap((field): Field[] => {
    const n = ifs.get(field);
    const taken = n && conditions.get(n.inputs[0]!);
    const branch =
      n && taken !== undefined ? n.branches.get(taken ? "then_branch" : "else_branch") : undefined;
    const inlined = n && branch && inline(n, branch, defined);
    if (!inlined) return [field];
    replaced += 1;
    return inlined;
  });
  return { graph: rewritten, replaced };
}

/** The graph's fields with the fixed inputs made initializers and the others' shapes fixed. */
function fixInputs(
  graph: Field[],
  { constants = {}, shapes }: GraphSpecialization,
): Field[] | undefined {
  const fixed: Uint8Array[] = [];
  let ok = true;
  const kept = graph.filter((f) => {
    if (f.field !== GRAPH_INPUT || !f.payload) return true;
    const name = nameOf(f.payload);
    const { elem, dims } = tensorTypeOf(f.payload);
    const value = constants[name];
    const shape = shapes[name];
    if (value !== undefined) {
      ok &&= elem === ONNX_INT64 && (dims === undefined || dims.length === 0);
      fixed.push(int64Tensor(name, [value], []));
      return false;
    }
    const fits =
      shape !== undefined &&
      elem !== undefined &&
      (dims === undefined ||
        (dims.length === shape.length && dims.every((d, i) => d < 0 || d === shape[i])));
    ok &&= fits;
    if (fits) fixed.push(valueInfo(GRAPH_INPUT, name, elem, shape));
    return !fits;
  });
  return ok ? [...kept, ...fieldsOf(concat(fixed))] : undefined;
}

export function parseNode(field: Field): GraphNode {
  const parts = fieldsOf(field.payload!);
  const branches = new Map<string, Uint8Array>();
  for (const attribute of parts.filter((p) => p.field === NODE_ATTRIBUTE && p.payload)) {
    const graph = fieldsOf(attribute.payload!).find((p) => p.field === ATTRIBUTE_GRAPH)?.payload;
    if (graph) branches.set(textsOf(attribute.payload!, ATTRIBUTE_NAME)[0] ?? "", graph);
  }
  const domain = textsOf(field.payload!, NODE_DOMAIN)[0] ?? "";
  return {
    field,
    inputs: textsOf(field.payload!, NODE_INPUT),
    outputs: textsOf(field.payload!, NODE_OUTPUT),
    op: textsOf(field.payload!, NODE_OP_TYPE)[0] ?? "",
    domain: domain === "ai.onnx" ? "" : domain,
    branches,
  };
}

/**
 * Whether a value of the graph depends on nothing but constants and tensor shapes: the
 * inputs left are fixed in shape, so those are fixed too.
 */
function staticValues(
  graph: readonly Field[],
  nodes: readonly GraphNode[],
): (name: string) => boolean {
  const initializers = new Set(
    graph.filter((f) => f.field === GRAPH_INITIALIZER && f.payload).map(initializerName),
  );
  const producers = new Map<string, GraphNode>();
  for (const n of nodes) for (const output of n.outputs) producers.set(output, n);
  const memo = new Map<string, boolean>();
  const known = (name: string): boolean => {
    if (name === "" || initializers.has(name)) return true;
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    memo.set(name, false); // a cycle would be a broken graph: not static
    const p = producers.get(name);
    let result = false;
    if (p && p.domain === "") {
      if (p.op === "Shape" || p.op === "Size" || p.op === "Constant") result = true;
      else if (p.inputs.length > 0 && p.branches.size === 0 && !RANDOM_OPS.has(p.op))
        result = p.inputs.every(known);
    }
    memo.set(name, result);
    return result;
  };
  return known;
}

/** Every name the graph defines: node outputs, initializers and inputs. */
function definedNames(graph: readonly Field[], nodes: readonly GraphNode[]): Set<string> {
  const names = new Set(nodes.flatMap((n) => n.outputs));
  for (const f of graph)
    if ((f.field === GRAPH_INITIALIZER || f.field === GRAPH_INPUT) && f.payload)
      names.add(f.field === GRAPH_INPUT ? nameOf(f.payload) : initializerName(f));
  return names;
}

/**
 * The If node's branch as fields of the outer graph: its nodes and initializers, then an
 * Identity from each branch output to the If's output. Undefined when the branch defines
 * a name the outer graph already has, or holds what is not moved here.
 */
function inline(ifNode: GraphNode, branch: Uint8Array, defined: Set<string>): Field[] | undefined {
  const parts = fieldsOf(branch);
  const moved = parts.filter(
    (p) => p.field === GRAPH_NODE || p.field === GRAPH_INITIALIZER || p.field === GRAPH_VALUE_INFO,
  );
  const outputs = parts
    .filter((p) => p.field === GRAPH_OUTPUT && p.payload)
    .map((p) => nameOf(p.payload));
  const unknown = parts.some(
    (p) =>
      ![
        GRAPH_NODE,
        GRAPH_INITIALIZER,
        GRAPH_VALUE_INFO,
        GRAPH_OUTPUT,
        GRAPH_NAME,
        GRAPH_DOC_STRING,
      ].includes(p.field),
  );
  if (unknown || outputs.length !== ifNode.outputs.length) return undefined;
  const names = moved.flatMap((p) =>
    p.field === GRAPH_NODE
      ? textsOf(p.payload!, NODE_OUTPUT)
      : p.field === GRAPH_INITIALIZER
        ? [initializerName(p)]
        : [],
  );
  if (names.some((name) => defined.has(name))) return undefined;
  for (const name of names) defined.add(name);
  const identities = outputs.map((output, i) => node([output], [ifNode.outputs[i]!], "Identity"));
  return [...moved, ...fieldsOf(concat(identities))];
}

/**
 * The value of each condition, read by running the graph with them as extra outputs on
 * zeros and on other data; conditions the two runs disagree on are left out.
 */
async function evaluate(
  modelOf: (fields: readonly Field[]) => Uint8Array,
  graph: readonly Field[],
  conditions: readonly string[],
  { shapes }: GraphSpecialization,
): Promise<Map<string, boolean>> {
  const extra = conditions.map((c) => valueInfo(GRAPH_OUTPUT, c, ONNX_BOOL));
  const probe = await openOnnxSession(
    modelOf([...prune(graph, conditions), ...fieldsOf(concat(extra))]),
    {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "disabled",
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    },
  );
  try {
    const runs: Map<string, boolean>[] = [];
    for (const seed of [0, 1]) {
      const feeds = feedsOf(graph, shapes, seed);
      if (!feeds) return new Map();
      const result = await probe.run(feeds);
      runs.push(new Map(conditions.map((c) => [c, Boolean(result[c]?.data[0])])));
    }
    return new Map([...runs[0]!].filter(([c, value]) => runs[1]!.get(c) === value));
  } finally {
    await probe.release();
  }
}

/** Inputs of their fixed shapes: zeros for seed 0, otherwise pseudo-random values. */
function feedsOf(
  graph: readonly Field[],
  shapes: GraphSpecialization["shapes"],
  seed: number,
): Record<string, ort.Tensor> | undefined {
  const feeds: Record<string, ort.Tensor> = {};
  let state = 0x2545f491 * (seed + 1);
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    return seed === 0 ? 0 : state / 2 ** 31;
  };
  for (const f of graph.filter((g) => g.field === GRAPH_INPUT && g.payload)) {
    const name = nameOf(f.payload);
    const dims = shapes[name];
    const { elem } = tensorTypeOf(f.payload!);
    if (!dims) return undefined;
    const size = dims.reduce((a, b) => a * b, 1);
    if (elem === ONNX_FLOAT)
      feeds[name] = new ort.Tensor("float32", Float32Array.from({ length: size }, next), dims);
    else if (elem === ONNX_INT64)
      feeds[name] = new ort.Tensor(
        "int64",
        BigInt64Array.from({ length: size }, () => BigInt(Math.round(next() * 100))),
        dims,
      );
    else return undefined;
  }
  return feeds;
}

/** Every value name a node reads, its nested graphs' nodes included (they may read outer values). */
function namesRead(nodePayload: Uint8Array, into: Set<string>): Set<string> {
  for (const f of fieldsOf(nodePayload)) {
    if (f.field === NODE_INPUT && f.payload) into.add(Buffer.from(f.payload).toString("utf8"));
    if (f.field !== NODE_ATTRIBUTE || !f.payload) continue;
    const nested = fieldsOf(f.payload).find((p) => p.field === ATTRIBUTE_GRAPH)?.payload;
    for (const n of nested ? fieldsOf(nested) : [])
      if (n.field === GRAPH_NODE && n.payload) namesRead(n.payload, into);
  }
  return into;
}

/**
 * The graph cut down to what computing `wanted` needs: those nodes and the initializers
 * they read, with every input kept and no outputs (the caller adds its own).
 */
export function prune(graph: readonly Field[], wanted: readonly string[]): Field[] {
  const producers = new Map<string, Field>();
  for (const f of graph)
    if (f.field === GRAPH_NODE && f.payload)
      for (const output of textsOf(f.payload, NODE_OUTPUT)) producers.set(output, f);
  const kept = new Set<Field>();
  const read = new Set<string>();
  const pending = [...wanted];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const producer = producers.get(name);
    if (!producer || kept.has(producer)) continue;
    kept.add(producer);
    for (const input of namesRead(producer.payload!, new Set())) {
      read.add(input);
      pending.push(input);
    }
  }
  return graph.filter((f) =>
    f.field === GRAPH_NODE
      ? kept.has(f)
      : f.field === GRAPH_INITIALIZER
        ? read.has(initializerName(f))
        : f.field !== GRAPH_OUTPUT && f.field !== GRAPH_VALUE_INFO,
  );
}

/**
 * The graph without the nodes whose results nothing reads and the initializers no node
 * reads: what only the branches not taken used (ONNX Runtime warns of unread initializers).
 */
export function withoutDeadCode(graph: readonly Field[]): Field[] {
  const outputs = graph.filter((f) => f.field === GRAPH_OUTPUT).map((f) => nameOf(f.payload));
  let live = [...graph];
  for (;;) {
    const read = new Set(outputs);
    for (const f of live) if (f.field === GRAPH_NODE && f.payload) namesRead(f.payload, read);
    const next = live.filter((f) =>
      f.field === GRAPH_NODE
        ? textsOf(f.payload!, NODE_OUTPUT).some((output) => read.has(output))
        : f.field !== GRAPH_INITIALIZER || read.has(initializerName(f)),
    );
    if (next.length === live.length) return next;
    live = next;
  }
}
