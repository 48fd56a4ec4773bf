// Finds and checks the files of a sherpa-onnx streaming zipformer transducer
// directory (encoder/decoder/joiner ONNX + tokens.txt), before any session is built.

import { createHash } from "node:crypto";
import { createReadStream, readdirSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { VoxtraceError } from "../../errors.js";
import { Tokens } from "./Tokens.js";

export interface ModelFiles {
  dir: string;
  name: string;
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
}

/** What to tell a user who has no usable model. */
export function modelHint(name: string): string {
  return `get one with \`voxtrace models pull ${name}\`, or pass --model DIR / set VOXTRACE_MODEL_DIR`;
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
        `${path}: checksum mismatch with SHA256SUMS - re-download it with \`voxtrace models pull ${files.name}\``,
      );
    }
    checked.push(file);
  }
  await Tokens.load(files.tokens);
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
      `${path}: unreadable (${String(error)}) - re-download it with \`voxtrace models pull ${name}\``,
      { cause: error },
    );
  }
  return hash.digest("hex");
}
