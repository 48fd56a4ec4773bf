// Unpacks a .tar.bz2 model archive into a directory as a stream, refusing any entry that
// would land outside it: `..` components, absolute paths, and links. sherpa-onnx archives
// hold one top-level folder; it is stripped so the model files sit directly in `target`.

import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import unbzip2 from "unbzip2-stream";
import { VoxtraceError } from "../errors.js";

export async function extractArchive(archive: string, target: string): Promise<string[]> {
  const extract = tar.extract();
  const written: string[] = [];
  const refuse = (entry: string, why: string): VoxtraceError =>
    new VoxtraceError(
      "bad_input",
      `${archive}: refused archive entry '${entry}' (${why}) - the archive is unsafe or corrupt; do not use it`,
    );

  const done = (async () => {
    try {
      await unpackEntries();
    } catch (error) {
      extract.destroy(error as Error); // stop reading the rest of the archive
      throw error;
    }
  })();
  async function unpackEntries(): Promise<void> {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes(".."))
        throw refuse(name, "leaves the target directory");
      const type = entry.header.type;
      if (type === "symlink" || type === "link") throw refuse(name, "links are not allowed");
      // Strip the archive's top-level folder; its own entry is not made inside the target.
      const parts = name.split("/").filter((p) => p.length > 0 && p !== ".");
      if (type === "directory" && parts.length <= 1) {
        entry.resume();
        continue;
      }
      const relative = parts.length > 1 ? parts.slice(1).join("/") : parts.join("/");
      const destination = path.resolve(target, relative);
      if (!destination.startsWith(path.resolve(target) + path.sep)) {
        entry.resume();
        if (relative === "") continue;
        throw refuse(name, "leaves the target directory");
      }
      if (type === "directory") {
        await mkdir(destination, { recursive: true });
        entry.resume();
      } else if (type === "file") {
        await mkdir(path.dirname(destination), { recursive: true });
        await pipeline(entry, createWriteStream(destination, { mode: 0o644 }));
        written.push(relative);
      } else {
        entry.resume(); // other entry kinds (pax headers) carry no files
      }
    }
  }
  await Promise.all([pipeline(createReadStream(archive), unbzip2(), extract), done]);
  return written;
}
