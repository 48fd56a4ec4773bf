// `voxtrace models pull NAME`: download a catalog archive, check its SHA-256, unpack it
// into a temporary folder beside the cache entry, check it holds a model, and only then
// swap it in by rename, so the cache never holds half a model and a working model is
// never lost to a bad download. Anything partial is removed on failure.

import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { VoxtraceError, isVoxtraceError } from "../errors.js";
import { verifyModelFiles } from "../pipeline/stt/ModelFiles.js";
import { archiveUrl, catalogEntry, MODEL_CATALOG } from "./ModelCatalog.js";
import { extractArchive } from "./extractArchive.js";
import { sha256File } from "./sha256File.js";

export interface PullOptions {
  cacheDir: string;
  sha256?: string;
  onProgress?: (received: number, total: number | undefined) => void;
  env?: NodeJS.ProcessEnv;
}

export interface PullResult {
  dir: string;
  sha256: string;
  bytes: number;
  verified: "pinned" | "given" | "recorded";
}

export async function pullModel(name: string, options: PullOptions): Promise<PullResult> {
  const entry = catalogEntry(name);
  if (!entry) {
    throw new VoxtraceError(
      "usage",
      `unknown model '${name}' - known: ${MODEL_CATALOG.map((e) => e.name).join(", ")}`,
    );
  }
  const url = archiveUrl(entry, options.env);
  const expected = (options.sha256 ?? entry.sha256)?.toLowerCase();
  const target = path.join(options.cacheDir, name);
  const work = path.join(options.cacheDir, `.${name}.partial-${process.pid}`);
  await mkdir(work, { recursive: true, mode: 0o700 });
  const archive = path.join(work, `${name}.tar.bz2`);
  try {
    const bytes = await download(url, archive, options.onProgress);
    const actual = await sha256File(archive);
    if (expected && actual !== expected) {
      throw new VoxtraceError(
        "bad_input",
        `${url}: checksum mismatch (expected ${expected}, got ${actual}) - the download is corrupt or was tampered with; nothing was kept`,
      );
    }
    const unpacked = path.join(work, "model");
    const files = await extractArchive(archive, unpacked);
    // Record checksums of what was unpacked so `models verify` can check it later.
    const sums = await Promise.all(
      files
        .filter((f) => f !== "SHA256SUMS")
        .sort()
        .map(async (f) => `${await sha256File(path.join(unpacked, f))}  ${f}`),
    );
    await writeFile(path.join(unpacked, "SHA256SUMS"), `${sums.join("\n")}\n`, {
      mode: 0o600,
    });
    await checkHoldsModel(url, unpacked, files);
    await swapInto(target, unpacked, path.join(work, "previous"));
    return {
      dir: target,
      sha256: actual,
      bytes,
      verified: options.sha256 ? "given" : entry.sha256 ? "pinned" : "recorded",
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const MODEL_PARTS = ["encoder", "decoder", "joiner"] as const;

/** Refuses an archive that unpacked without the files a transducer needs, or unreadable ones. */
async function checkHoldsModel(url: string, dir: string, files: string[]): Promise<void> {
  const topLevel = files.filter((f) => !f.includes("/"));
  const missing = [
    ...MODEL_PARTS.filter((p) => !topLevel.some((f) => f.startsWith(p) && f.endsWith(".onnx"))).map(
      (p) => `${p}*.onnx`,
    ),
    ...(topLevel.includes("tokens.txt") ? [] : ["tokens.txt"]),
  ];
  if (missing.length > 0) {
    throw new VoxtraceError(
      "bad_input",
      `${url}: the archive holds no model (${missing.join(", ")} missing at its top folder) - check the model name or the mirror; the cache was not changed`,
    );
  }
  try {
    await verifyModelFiles(dir);
  } catch (error) {
    if (!isVoxtraceError(error)) throw error;
    throw new VoxtraceError(
      "bad_input",
      `${url}: the archive's model is unusable (${error.message.split(" - ")[0]}) - the cache was not changed`,
      { cause: error },
    );
  }
}

/**
 * Puts `fresh` at `target`. The old copy is moved aside, not deleted, until the new one
 * is in place, and moved back if that fails: a pull never leaves the user with no model.
 */
async function swapInto(target: string, fresh: string, aside: string): Promise<void> {
  let hadOld = true;
  try {
    await rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    hadOld = false;
  }
  try {
    await rename(fresh, target);
  } catch (error) {
    if (hadOld) await rename(aside, target);
    throw error;
  }
}

async function download(
  url: string,
  file: string,
  onProgress: PullOptions["onProgress"],
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(60 * 60 * 1000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new VoxtraceError(
      "unavailable",
      `${url}: download failed (${cause}) - check the network, or download the archive elsewhere, unpack it and pass --model DIR`,
    );
  }
  if (!response.ok || !response.body) {
    throw new VoxtraceError(
      "unavailable",
      `${url}: download failed (HTTP ${response.status}) - check the model name, or download it elsewhere and pass --model DIR`,
    );
  }
  const total = Number(response.headers.get("content-length")) || undefined;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      onProgress?.(received, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body),
      count,
      createWriteStream(file, { mode: 0o600 }),
    );
  } catch (error) {
    // A connection dropped mid-body surfaces as undici's bare "terminated".
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new VoxtraceError(
      "unavailable",
      `${url}: download failed after ${received} bytes (${cause}) - try again, or download the archive elsewhere, unpack it and pass --model DIR`,
    );
  }
  return received;
}
