// A loaded sherpa-onnx streaming zipformer transducer: encoder, decoder and joiner
// sessions on the chosen execution provider, the token table and the layout read
// from the files. Streams share one model; each carries its own state.

import type { InferenceSession, Tensor } from "onnxruntime-node";
import { readFile } from "node:fs/promises";
import { VoxtraceError } from "../../errors.js";
import {
  chooseExecutionProvider,
  type ExecutionProvider,
  type ProviderRequest,
} from "./ExecutionProvider.js";
import {
  checkVocabulary,
  locateModelFiles,
  modelVocabulary,
  redownloadHint,
  type ModelFiles,
} from "./ModelFiles.js";
import { readOnnxMetadata } from "./OnnxMetadata.js";
import { packEncoderStates } from "./packEncoderStates.js";
import { openOnnxSession, type OnnxSession } from "./OnnxSession.js";
import { Tokens } from "./Tokens.js";
import { readTransducerLayout, zeroStates, type TransducerLayout } from "./TransducerLayout.js";
import { TransducerStream, type Decoding, type StreamOptions } from "./TransducerStream.js";

export interface ZipformerLoadOptions {
  provider?: ProviderRequest;
  /** Intra-op threads per session; 1 keeps several streams from fighting over cores. */
  threads?: number;
  /** Default search for new streams (greedy unless asked). */
  decoding?: Decoding;
}

interface Sessions {
  encoder: OnnxSession;
  decoder: OnnxSession;
  joiner: OnnxSession;
}

export class ZipformerModel {
  readonly name: string;
  readonly files: ModelFiles;
  readonly executionProvider: ExecutionProvider;
  readonly tokens: Tokens;
  readonly chunkFrames: number;
  readonly shiftFrames: number;
  readonly featureDim: number;
  readonly contextSize: number;
  readonly blankId = 0;
  /** Greedy search treats <unk> like blank, as sherpa-onnx does. */
  readonly unkId: number | undefined;
  /** Names of the encoder's state inputs, each fed back from `new_<name>`. */
  readonly stateNames: readonly string[];
  readonly loadMs: number;
  /** Default search for new streams; set from the load options. */
  readonly decoding: Decoding;
  readonly encoder: OnnxSession;
  readonly decoder: OnnxSession;
  readonly joiner: OnnxSession;
  readonly #layout: TransducerLayout;
  #released: Promise<void> | undefined;

  private constructor(
    files: ModelFiles,
    executionProvider: ExecutionProvider,
    tokens: Tokens,
    sessions: Sessions,
    layout: TransducerLayout,
    loadMs: number,
    decoding: Decoding,
  ) {
    this.decoding = decoding;
    this.files = files;
    this.name = files.name;
    this.executionProvider = executionProvider;
    this.tokens = tokens;
    ({ encoder: this.encoder, decoder: this.decoder, joiner: this.joiner } = sessions);
    this.#layout = layout;
    ({
      chunkFrames: this.chunkFrames,
      shiftFrames: this.shiftFrames,
      featureDim: this.featureDim,
      contextSize: this.contextSize,
    } = layout);
    this.stateNames = layout.states.map((state) => state.name);
    this.unkId = tokens.idOf("<unk>");
    this.loadMs = loadMs;
  }

  static async load(dir: string, options: ZipformerLoadOptions = {}): Promise<ZipformerModel> {
    const started = performance.now();
    const files = locateModelFiles(dir);
    const executionProvider = await chooseExecutionProvider(options.provider ?? "auto");
    const tokens = await Tokens.load(files.tokens);
    const sessionOptions: InferenceSession.SessionOptions = {
      executionProviders: [executionProvider.name],
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    };
    const opened: OnnxSession[] = [];
    const open = async (path: string): Promise<OnnxSession> => {
      const session =
        (path === files.encoder && (await openPackedEncoder(path, sessionOptions))) ||
        (await openSession(path, files.name, sessionOptions));
      opened.push(session);
      return session;
    };
    try {
      const sessions = {
        encoder: await open(files.encoder),
        decoder: await open(files.decoder),
        joiner: await open(files.joiner),
      };
      const metadata = {
        encoder: await readOnnxMetadata(files.encoder),
        decoder: await readOnnxMetadata(files.decoder),
      };
      const layout = readTransducerLayout(sessions, metadata, files);
      checkVocabulary(files, tokens, modelVocabulary(metadata.decoder, sessions.joiner));
      const loadMs = performance.now() - started;
      return new ZipformerModel(
        files,
        executionProvider,
        tokens,
        sessions,
        layout,
        loadMs,
        options.decoding ?? { method: "greedy" },
      );
    } catch (error) {
      await Promise.all(opened.map((session) => session.release()));
      throw error;
    }
  }

  /** Fresh all-zero encoder states of the declared shapes and types. */
  initialStates(): Record<string, Tensor> {
    return zeroStates(this.#layout.states);
  }

  createStream(options: StreamOptions = {}): TransducerStream {
    if (this.#released)
      throw new VoxtraceError("internal", `model ${this.name} used after release`);
    return new TransducerStream(this, { ...options, decoding: options.decoding ?? this.decoding });
  }

  /** Frees the ONNX sessions; safe to call more than once. */
  release(): Promise<void> {
    this.#released ??= Promise.all(
      [this.encoder, this.decoder, this.joiner].map((session) => session.release()),
    ).then(() => undefined);
    return this.#released;
  }
}

/**
 * The encoder with its float32 states in one tensor (packEncoderStates), or undefined when
 * it has none to pack, or the file or the rewritten graph does not load; the original
 * file is then opened as it is, and any fault in it reported from there.
 */
async function openPackedEncoder(
  path: string,
  options: InferenceSession.SessionOptions,
): Promise<OnnxSession | undefined> {
  try {
    const bytes = packEncoderStates(await readFile(path));
    return bytes && (await openOnnxSession(bytes, options));
  } catch {
    return undefined;
  }
}

async function openSession(
  path: string,
  name: string,
  options: InferenceSession.SessionOptions,
): Promise<OnnxSession> {
  try {
    return await openOnnxSession(path, options);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new VoxtraceError(
      "model",
      `${path}: not a valid ONNX model (${reason}) - ${redownloadHint(name)}`,
      { cause: error },
    );
  }
}
