// Unpacks a .tar.bz2 model archive into a directory as a stream, refusing any entry that
// would land outside it (`..` components, absolute paths, links) and any archive that
// would expand past a bound: an archive is input, so everything wrong with one, however
// odd, is a one-line bad_input error. sherpa-onnx archives hold one top-level folder; it
// is stripped so the model files sit directly in `target`. Files are 0600, folders 0700.

import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { VoxtraceError, isVoxtraceError } from "../errors.js";
import { escapeTerminal } from "../text/escapeTerminal.js";
import { bunzip2 } from "./bunzip2.js";

export interface ExtractLimits {
  /** Sum of the sizes of the files written. */
  maxBytes: number;
  /** Entries of any kind, folders included. */
  maxEntries: number;
}

/** The largest catalog model unpacks to well under 1 GB in a few dozen entries. */
const MAX_BYTES = 2 * 1024 ** 3;
const MAX_ENTRIES = 1000;
/**
 * ONNX weights barely compress (int8 or float, about 1.1:1), so a model archive never
 * expands 50-fold; a bomb does (895 bytes to 1 GiB). Small archives get a 64 MiB floor.
 */
const MAX_EXPANSION = 50;
const MIN_BYTES = 64 * 1024 ** 2;

/** What an archive of `archiveBytes` may expand to. */
export function extractLimits(archiveBytes: number): ExtractLimits {
  return {
    maxBytes: Math.min(MAX_BYTES, Math.max(MIN_BYTES, archiveBytes * MAX_EXPANSION)),
    maxEntries: MAX_ENTRIES,
  };
}

/** Linux's limits for one path component and a whole path, kept well inside. */
const MAX_COMPONENT_BYTES = 255;
const MAX_PATH_BYTES = 1024;

export async function extractArchive(
  archive: string,
  target: string,
  limitsGiven?: ExtractLimits,
): Promise<string[]> {
  const limits = limitsGiven ?? extractLimits((await stat(archive)).size);
  const refuse = (entry: string, why: string): VoxtraceError =>
    new VoxtraceError(
      "bad_input",
      `${archive}: refused archive entry '${printable(entry)}' (${why}) - the archive is unsafe or corrupt; do not use it`,
    );
  const root = path.resolve(target);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const kinds = new Map<string, "file" | "directory">([["", "directory"]]);
  const written: string[] = [];
  let bytes = 0;
  let entries = 0;

  const extract = tar.extract();
  async function unpackEntries(): Promise<void> {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (++entries > limits.maxEntries)
        throw refuse(name, `more than ${limits.maxEntries} entries`);
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes(".."))
        throw refuse(name, "leaves the target directory");
      if (type === "symlink" || type === "link") throw refuse(name, "links are not allowed");
      const parts = name.split("/").filter((p) => p.length > 0 && p !== ".");
      if (
        Buffer.byteLength(name) > MAX_PATH_BYTES ||
        parts.some((p) => Buffer.byteLength(p) > MAX_COMPONENT_BYTES)
      )
        throw refuse(name, "name too long");
      // Strip the archive's top-level folder; its own entry is not made inside the target.
      const relative = parts.slice(parts.length > 1 ? 1 : 0).join("/");
      if (type === "directory" && parts.length <= 1) {
        entry.resume();
        continue;
      }
      if (type !== "file" && type !== "directory") {
        entry.resume(); // other entry kinds (pax headers, devices) carry no model files
        continue;
      }
      if (relative === "") throw refuse(name, "a file in place of the top folder");
      const destination = path.resolve(root, relative);
      if (!destination.startsWith(root + path.sep))
        throw refuse(name, "leaves the target directory");
      // A name seen before, or one under a file, would overwrite or fail half-way.
      const previous = kinds.get(relative);
      if (previous === "file" || (previous === "directory" && type === "file"))
        throw refuse(name, `the archive holds it twice`);
      const parents = ancestors(relative);
      if (parents.some((p) => kinds.get(p) === "file"))
        throw refuse(name, "inside a file of the same name");
      for (const parent of parents) kinds.set(parent, "directory");
      kinds.set(relative, type);
      if (type === "directory") {
        await mkdir(destination, { recursive: true, mode: 0o700 });
        entry.resume();
        continue;
      }
      bytes += size;
      if (bytes > limits.maxBytes)
        throw refuse(name, `the archive expands to more than ${limits.maxBytes} bytes`);
      await mkdir(path.dirname(destination), { recursive: true, mode: 0o700 });
      await pipeline(entry, createWriteStream(destination, { mode: 0o600, flags: "wx" }));
      written.push(relative);
    }
  }

  const results = await Promise.allSettled([
    pipeline(createReadStream(archive), bunzip2(archive), extract),
    unpackEntries().catch((error: unknown) => {
      extract.destroy(error as Error); // stop reading the rest of the archive
      throw error;
    }),
  ]);
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length === 0) return written;
  throw failures.find(isVoxtraceError) ?? classify(archive, failures[0]);
}

/** tar-stream's own complaints are about the input; file system errors are not. */
function classify(archive: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).syscall !== undefined) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new VoxtraceError(
    "bad_input",
    `${archive}: not a readable tar archive inside the bzip2 (${printable(reason).slice(0, 80)}) - it is corrupt; download it again`,
    { cause: error },
  );
}

function ancestors(relative: string): string[] {
  const parts = relative.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** Entry names are archive data: shown with control characters escaped, and cut short. */
function printable(text: string): string {
  const shown = escapeTerminal(text).replace(/\n/g, "\\n");
  return shown.length > 120 ? `${shown.slice(0, 120)}…` : shown;
}
