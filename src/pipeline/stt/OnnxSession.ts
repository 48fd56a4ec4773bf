// An ONNX Runtime session that runs on the calling thread without the event-loop hop.
// onnxruntime-node's public InferenceSession.run defers every call with setImmediate and
// re-validates its arguments, ~30-50 us a call; the Silero VAD alone makes ~31 calls per
// audio second, so that hop was a measurable part of our CPU time (docs/benchmarks.md).
// The native binding underneath is synchronous; we load models through it when it is
// there and fall back to the public session when it is not (another version's layout).

import { createRequire } from "node:module";
import ort from "onnxruntime-node";
import type { InferenceSession, OnnxValue, Tensor } from "onnxruntime-node";

/** What the pipeline needs of a session: the public InferenceSession fits it too. */
export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

interface RawMetadata {
  name: string;
  isTensor: boolean;
  type: number;
  shape: number[];
  symbolicDimensions: string[];
}

interface NativeSession {
  loadModel(path: string, options: InferenceSession.SessionOptions): void;
  loadModel(
    buffer: ArrayBufferLike,
    byteOffset: number,
    byteLength: number,
    options: InferenceSession.SessionOptions,
  ): void;
  run(
    feeds: Record<string, Tensor>,
    fetches: Record<string, null>,
    options: InferenceSession.RunOptions,
  ): Record<string, OnnxValue>;
  dispose(): void;
  readonly inputMetadata: RawMetadata[];
  readonly outputMetadata: RawMetadata[];
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

// Element types by the binding's ONNX type number (onnxruntime-node's own table).
const TYPES: Record<number, InferenceSession.TensorValueMetadata["type"]> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
};

let native: NativeBinding | null | undefined;

/** onnxruntime-node's native binding, or null when this version does not expose it. */
function nativeBinding(): NativeBinding | null {
  if (native !== undefined) return native;
  try {
    const mod = createRequire(import.meta.url)("onnxruntime-node/dist/binding.js") as
      Partial<NativeBinding> | undefined;
    const ok =
      typeof mod?.initOrt === "function" &&
      typeof mod.binding?.InferenceSession === "function" &&
      typeof (mod.binding.InferenceSession.prototype as Partial<NativeSession>).run === "function";
    native = ok ? (mod as NativeBinding) : null;
  } catch {
    native = null;
  }
  return native;
}

/** Whether sessions opened here run directly on the native binding. */
export function directRunAvailable(): boolean {
  return nativeBinding() !== null;
}

/**
 * Opens a model (a file's `path`, or its bytes) as an OnnxSession: on the CPU through the
 * native binding when available, otherwise (or for other execution providers) through the
 * public InferenceSession.
 */
export async function openOnnxSession(
  model: string | Uint8Array,
  options: InferenceSession.SessionOptions,
): Promise<OnnxSession> {
  const providers = options.executionProviders ?? ["cpu"];
  const cpuOnly = providers.every((p) => (typeof p === "string" ? p : p.name) === "cpu");
  const binding = cpuOnly ? nativeBinding() : null;
  if (!binding) {
    return typeof model === "string"
      ? ort.InferenceSession.create(model, options)
      : ort.InferenceSession.create(model, options);
  }
  binding.initOrt();
  const session = new binding.binding.InferenceSession();
  if (typeof model === "string") session.loadModel(model, options);
  else session.loadModel(model.buffer, model.byteOffset, model.byteLength, options);
  return new DirectSession(session);
}

export class DirectSession implements OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly #session: NativeSession;
  readonly #fetches: Record<string, null>;
  readonly #runOptions: InferenceSession.RunOptions = {};
  #released = false;

  constructor(session: NativeSession) {
    this.#session = session;
    this.inputMetadata = session.inputMetadata.map(toMetadata);
    this.outputMetadata = session.outputMetadata.map(toMetadata);
    this.inputNames = this.inputMetadata.map((m) => m.name);
    this.outputNames = this.outputMetadata.map((m) => m.name);
    this.#fetches = Object.fromEntries(this.outputNames.map((name) => [name, null]));
  }

  /** Runs now, on this thread; a promise only to keep the InferenceSession shape. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    try {
      return Promise.resolve(this.runSync(feeds));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  runSync(feeds: Record<string, Tensor>): Record<string, Tensor> {
    const results = this.#session.run(feeds, this.#fetches, this.#runOptions);
    for (const name in results) {
      const value: unknown = results[name];
      // The binding builds Tensors itself; wrap anything else the way ort's run does.
      if (!(value instanceof ort.Tensor)) {
        const raw = value as { type: "float32"; data: Float32Array; dims: number[] };
        results[name] = new ort.Tensor(raw.type, raw.data, raw.dims);
      }
    }
    return results;
  }

  release(): Promise<void> {
    if (!this.#released) {
      this.#released = true;
      this.#session.dispose();
    }
    return Promise.resolve();
  }
}

function toMetadata(raw: RawMetadata): InferenceSession.ValueMetadata {
  if (!raw.isTensor) return { name: raw.name, isTensor: false };
  const type = TYPES[raw.type];
  if (type === undefined) throw new Error(`${raw.name}: unsupported ONNX element type ${raw.type}`);
  const shape = raw.shape.map((dim, i) => (dim >= 0 ? dim : (raw.symbolicDimensions[i] ?? "")));
  return { name: raw.name, isTensor: true, type, shape };
}
