// Specialising a graph and inlining the Ifs it then decides must change no number the
// graph computes: checked on the Silero VAD over real speech, and on small graphs built
// here whose conditions are known, nested, or depend on the data (those must stay).

import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { foldStaticIfs } from "../../../src/pipeline/stt/foldStaticIfs.js";
import {
  ATTRIBUTE_GRAPH,
  GRAPH_INPUT,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  MODEL_GRAPH,
  NODE_ATTRIBUTE,
  ONNX_FLOAT,
  concat,
  fieldsOf,
  int,
  int64Tensor,
  intAttribute,
  message,
  node,
  text,
  textsOf,
  valueInfo,
} from "../../../src/pipeline/stt/OnnxProto.js";
import { openOnnxSession, type OnnxSession } from "../../../src/pipeline/stt/OnnxSession.js";
import { SileroVad, defaultVadModelPath } from "../../../src/pipeline/vad/SileroVad.js";
import { CPU_ONE_THREAD, floatTensor, modelOf } from "../../support/onnxGraphs.js";
import { samplesOf } from "../../support/readAudio.js";

const VAD_SHAPES = { input: [1, 576], state: [2, 1, 128] };

/** Op types of every node in the model, nested graphs included. */
function opsOf(bytes: Uint8Array): string[] {
  const graph = fieldsOf(bytes).find((f) => f.field === MODEL_GRAPH)!.payload!;
  const walk = (g: Uint8Array): string[] =>
    fieldsOf(g)
      .filter((f) => f.field === GRAPH_NODE && f.payload)
      .flatMap((n) => [
        textsOf(n.payload!, 4)[0]!,
        ...fieldsOf(n.payload!)
          .filter((a) => a.field === NODE_ATTRIBUTE && a.payload)
          .flatMap((a) => {
            const nested = fieldsOf(a.payload!).find((p) => p.field === ATTRIBUTE_GRAPH)?.payload;
            return nested ? walk(nested) : [];
          }),
      ]);
  return walk(graph);
}

/** A graph attribute (then_branch, else_branch): AttributeProto{name, g, type GRAPH}. */
const graphAttribute = (name: string, graph: Uint8Array): Uint8Array =>
  message(NODE_ATTRIBUTE, text(1, name), message(ATTRIBUTE_GRAPH, graph), int(20, 5));

/** A branch graph: its nodes, then its one output. */
const branch = (name: string, nodes: Uint8Array[], output: string): Uint8Array =>
  concat([text(2, name), ...nodes, valueInfo(GRAPH_OUTPUT, output, ONNX_FLOAT)]);

/** If(condition) then `x * 2` else `-x`, as a node writing `output`. */
const ifNode = (condition: string, output: string, prefix: string, thenNodes?: Uint8Array[]) =>
  message(
    GRAPH_NODE,
    text(1, condition),
    text(2, output),
    text(4, "If"),
    graphAttribute(
      "then_branch",
      branch(
        `${prefix}_then`,
        thenNodes ?? [node(["x", "two"], [`${prefix}_doubled`], "Mul")],
        thenNodes ? `${prefix}_inner` : `${prefix}_doubled`,
      ),
    ),
    graphAttribute(
      "else_branch",
      branch(`${prefix}_else`, [node(["x"], [`${prefix}_negated`], "Neg")], `${prefix}_negated`),
    ),
  );

/** ModelProto{ir_version 8, graph, opset_import{"" 17}} around graph fields. */
/** y = If(size(x) > limit) then x*2 else -x; x has a symbolic length. */
function sizeModel(limit: number): Uint8Array {
  return modelOf(
    text(2, "size_if"),
    int64Tensor("limit", [limit], []),
    floatTensor("two", [2], []),
    node(["x"], ["size"], "Size"),
    node(["size", "limit"], ["big"], "Greater"),
    ifNode("big", "y", "outer"),
    message(
      GRAPH_INPUT,
      text(1, "x"),
      message(2, message(1, int(1, ONNX_FLOAT), message(2, message(1, text(2, "n"))))),
    ),
    valueInfo(GRAPH_OUTPUT, "y", ONNX_FLOAT),
  );
}

async function run(model: Uint8Array, x: number[]): Promise<number[]> {
  const session = await openOnnxSession(model, CPU_ONE_THREAD);
  try {
    const out = await session.run({
      x: new ort.Tensor("float32", Float32Array.from(x), [x.length]),
    });
    return Array.from(out.y!.data as Float32Array);
  } finally {
    await session.release();
  }
}

describe("foldStaticIfs", () => {
  it("takes the Silero VAD to no If at all, without the sample-rate input", async () => {
    const folded = await foldStaticIfs(await readFile(defaultVadModelPath()), {
      constants: { sr: 16000n },
      shapes: VAD_SHAPES,
    });
    expect(folded).toBeDefined();
    expect(opsOf(await readFile(defaultVadModelPath()))).toContain("If");
    expect(opsOf(folded!)).not.toContain("If");
    const session = await openOnnxSession(folded!, CPU_ONE_THREAD);
    try {
      expect(session.inputNames).toEqual(["input", "state"]);
    } finally {
      await session.release();
    }
  });

  it("gives the Silero VAD's probabilities and states bit for bit, over real speech", async () => {
    const bytes = await readFile(defaultVadModelPath());
    const folded = await foldStaticIfs(bytes, { constants: { sr: 16000n }, shapes: VAD_SHAPES });
    const sessions: OnnxSession[] = [
      await openOnnxSession(bytes, CPU_ONE_THREAD),
      await openOnnxSession(folded!, CPU_ONE_THREAD),
    ];
    try {
      const samples = await samplesOf("session-dictation.wav");
      const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
      let states: ort.Tensor[] = sessions.map(
        () => new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]),
      );
      const input = new Float32Array(576);
      let frames = 0;
      for (let at = 0; at + 512 <= samples.length; at += 512, frames++) {
        input.copyWithin(0, 512);
        input.set(samples.subarray(at, at + 512), 64);
        const feed = new ort.Tensor("float32", input, [1, 576]);
        const a = await sessions[0]!.run({ input: feed, state: states[0]!, sr });
        const b = await sessions[1]!.run({ input: feed, state: states[1]! });
        expect(b.output!.data[0]).toBe(a.output!.data[0]);
        if (frames % 100 === 0) expect(b.stateN!.data).toEqual(a.stateN!.data);
        states = [a.stateN!, b.stateN!];
      }
      expect(frames).toBeGreaterThan(1000);
    } finally {
      await Promise.all(sessions.map((s) => s.release()));
    }
  });

  it("inlines an If decided by a shape, nested ones too, and computes the same", async () => {
    for (const [limit, length] of [
      [2, 4],
      [8, 4],
    ] as const) {
      const model = sizeModel(limit);
      const folded = await foldStaticIfs(model, { shapes: { x: [length] } });
      expect(folded).toBeDefined();
      expect(opsOf(folded!)).not.toContain("If");
      const x = [1, -2, 3.5, 0.25];
      expect(await run(folded!, x)).toEqual(await run(model, x));
      expect(await run(folded!, x)).toEqual(
        limit < length ? x.map((v) => v * 2) : x.map((v) => -v),
      );
    }
    // An If inside the then branch, decided by the same shape: two rounds.
    const nested = modelOf(
      text(2, "nested_if"),
      int64Tensor("limit", [2], []),
      floatTensor("two", [2], []),
      node(["x"], ["size"], "Size"),
      node(["size", "limit"], ["big"], "Greater"),
      ifNode("big", "y", "outer", [ifNode("big", "outer_inner", "inner")]),
      valueInfo(GRAPH_INPUT, "x", ONNX_FLOAT, [4]),
      valueInfo(GRAPH_OUTPUT, "y", ONNX_FLOAT),
    );
    const folded = await foldStaticIfs(nested, { shapes: { x: [4] } });
    expect(opsOf(nested).filter((op) => op === "If")).toHaveLength(2);
    expect(opsOf(folded!)).not.toContain("If");
    expect(await run(folded!, [1, 2, 3, 4])).toEqual([2, 4, 6, 8]);
  });

  it("keeps an If whose condition depends on the data", async () => {
    const model = modelOf(
      text(2, "data_if"),
      floatTensor("zero", [0], []),
      floatTensor("two", [2], []),
      node(["x"], ["sum"], "ReduceSum", intAttribute("keepdims", 0)),
      node(["sum", "zero"], ["positive"], "Greater"),
      ifNode("positive", "y", "data"),
      valueInfo(GRAPH_INPUT, "x", ONNX_FLOAT, [2]),
      valueInfo(GRAPH_OUTPUT, "y", ONNX_FLOAT),
    );
    expect(await foldStaticIfs(model, { shapes: { x: [2] } })).toBeUndefined();
  });

  it("declines when an input has neither a value nor a shape, or a shape that does not fit", async () => {
    expect(await foldStaticIfs(sizeModel(2), { shapes: {} })).toBeUndefined();
    const vad = await readFile(defaultVadModelPath());
    expect(await foldStaticIfs(vad, { shapes: VAD_SHAPES })).toBeUndefined();
    expect(
      await foldStaticIfs(vad, {
        constants: { sr: 16000n },
        shapes: { ...VAD_SHAPES, state: [2, 128] },
      }),
    ).toBeUndefined();
  });

  it("fails cleanly on damaged bytes (fuzzed), and the VAD load names the file", async () => {
    const bytes = await readFile(defaultVadModelPath());
    const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-fold-"));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (at, length, truncate) => {
          const damaged = truncate
            ? bytes.subarray(0, at)
            : Uint8Array.from(bytes, (b, i) => (i >= at && i < at + length ? b ^ 0xa5 : b));
          // Either a rewrite, nothing, or a thrown error: never a crash or a hang.
          await foldStaticIfs(damaged, { constants: { sr: 16000n }, shapes: VAD_SHAPES }).catch(
            (error: unknown) => expect(error).toBeInstanceOf(Error),
          );
          if (!truncate) return;
          const file = path.join(dir, `vad-${at}.onnx`);
          writeFileSync(file, damaged);
          const error = await SileroVad.load({ modelPath: file }).then(
            (vad) => vad.release().then(() => undefined),
            (e: unknown) => e,
          );
          if (at < bytes.length / 2) {
            expect(error).toBeInstanceOf(VoxtraceError);
            expect((error as VoxtraceError).message).toContain(file);
          }
        },
      ),
      { numRuns: 25, seed: 20261203 },
    );
  });
});
