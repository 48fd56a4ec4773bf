// Finds and checks the files of a sherpa-onnx streaming zipformer transducer
// directory (encoder/decoder/joiner ONNX + tokens.txt), before any session is built.

import { createHash } from "node:crypto";
import { createReadStream, readdirSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { VoxtraceError } from "../../errors.js";
import type { InferenceSession } from "onnxruntime-node";
// The catalog is plain data (it imports nothing), read here only to word hints.
import { catalogEntry } from "../../models/ModelCatalog.js";
import { readOnnxMetadata } from "./OnnxMetadata.js";
import { Tokens } from "./Tokens.js";

export interface ModelFiles {
  dir: string;
  name: string;
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
}

/**
 * What to tell a user who has no usable model. `pull` is suggested only for a folder
 * named after a catalog model: for any other name it would only fail again.
 */
export function modelHint(name: string): string {
  return catalogEntry(name)
    ? `get one with \`voxtrace models pull ${name}\`, or pass --model DIR / set VOXTRACE_MODEL_DIR`
    : `pass --model DIR with a complete model (\`voxtrace models list\` shows ones to pull), or set VOXTRACE_MODEL_DIR`;
}

/** How to replace a damaged model file. */
export function redownloadHint(name: string): string {
  return catalogEntry(name)
    ? `re-download it with \`voxtrace models pull ${name}\``
    : "copy the model again from where you got it";
}

/** The vocabulary the model decodes into, as the decoder's metadata or the joiner's output says. */
export function modelVocabulary(
  decoderMetadata: ReadonlyMap<string, string>,
  joiner?: Pick<InferenceSession, "outputMetadata">,
): { size: number; from: string } | undefined {
  const declared = Number(decoderMetadata.get("vocab_size"));
  if (Number.isInteger(declared) && declared > 0)
    return { size: declared, from: "the decoder's vocab_size" };
  const logit = joiner?.outputMetadata[0];
  const width = logit?.isTensor ? logit.shape[1] : undefined;
  return typeof width === "number" ? { size: width, from: "the joiner's output" } : undefined;
}

/**
 * Refuses a tokens.txt that does not fit the model: ids past its end would decode to
 * nothing and a shorter vocabulary to the wrong words, silently, for every utterance.
 */
export function checkVocabulary(
  files: ModelFiles,
  tokens: Tokens,
  vocabulary: { size: number; from: string } | undefined,
): void {
  if (!vocabulary || vocabulary.size === tokens.size) return;
  throw new VoxtraceError(
    "model",
    `${files.tokens}: ${tokens.size} tokens, but the model's vocabulary (${vocabulary.from}) has ${vocabulary.size}: tokens.txt belongs to another model - ${modelHint(files.name)}`,
  );
}

export function locateModelFiles(dir: string): ModelFiles {
  const absolute = resolve(dir);
  const name = basename(absolute);
  let entries: string[];
  try {
    entries = readdirSync(absolute).sort();
  } catch (error) {
    throw new VoxtraceError(
      "model",
      `model directory ${absolute} is not readable - ${modelHint(name)}`,
      {
        cause: error,
      },
    );
  }
  const pick = (part: "encoder" | "decoder" | "joiner"): string => {
    const candidates = entries.filter((f) => f.startsWith(part) && f.endsWith(".onnx"));
    // Upstream releases ship int8 and fp32 side by side; int8 is the faster choice on CPU.
    const chosen = candidates.find((f) => f.includes(".int8.")) ?? candidates[0];
    if (chosen === undefined) {
      throw new VoxtraceError(
        "model",
        `${part}*.onnx is missing in ${absolute} - ${modelHint(name)}`,
      );
    }
    return join(absolute, chosen);
  };
  const encoder = pick("encoder");
  const decoder = pick("decoder");
  const joiner = pick("joiner");
  if (!entries.includes("tokens.txt")) {
    throw new VoxtraceError("model", `tokens.txt is missing in ${absolute} - ${modelHint(name)}`);
  }
  return { dir: absolute, name, encoder, decoder, joiner, tokens: join(absolute, "tokens.txt") };
}

/** Locates the files, checks them against SHA256SUMS if present, parses tokens.txt. */
export async function verifyModelFiles(
  dir: string,
): Promise<{ files: ModelFiles; checked: string[] }> {
  const files = locateModelFiles(dir);
  const checked: string[] = [];
  const sums = await readSums(files.dir);
  const entries = new Set(await readdir(files.dir));
  for (const [file, expected] of sums) {
    // A listed file the user chose not to keep (say, the fp32 twin) is not an error;
    // the files we would load always exist here, so they are always checked.
    if (!entries.has(file)) continue;
    const path = join(files.dir, file);
    const actual = await sha256(path, files.name);
    if (actual !== expected) {
      throw new VoxtraceError(
        "model",
        `${path}: checksum mismatch with SHA256SUMS - ${redownloadHint(files.name)}`,
      );
    }
    checked.push(file);
  }
  const tokens = await Tokens.load(files.tokens);
  // An unreadable decoder is reported when it is loaded; here it only means "unknown".
  const decoderMetadata = await readOnnxMetadata(files.decoder).catch(
    () => new Map<string, string>(),
  );
  checkVocabulary(files, tokens, modelVocabulary(decoderMetadata));
  return { files, checked };
}

async function readSums(dir: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  let content: string;
  try {
    content = await readFile(join(dir, "SHA256SUMS"), "utf8");
  } catch {
    return sums; // optional file
  }
  for (const line of content.split("\n")) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (match) sums.set(basename(match[2]!), match[1]!.toLowerCase());
  }
  return sums;
}

async function sha256(path: string, name: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new VoxtraceError(
      "model",
      `${path}: unreadable (${String(error)}) - ${redownloadHint(name)}`,
      { cause: error },
    );
  }
  return hash.digest("hex");
}
