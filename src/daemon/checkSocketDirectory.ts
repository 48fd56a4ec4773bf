// Refuses a control-socket folder another user could have prepared: whoever owns or can
// write the folder can swap the socket and impersonate the daemon (or its client). The same
// rule ssh's StrictModes and systemd apply: a real folder, ours, writable by us alone.

import { lstatSync } from "node:fs";
import { VoxtraceError } from "../errors.js";

/**
 * Throws a usage VoxtraceError unless `dir` is a real directory (not a symlink) owned by
 * `uid` with no group or other write bit. A folder that does not exist passes: the
 * daemon creates it 0700, and a client then finds no daemon.
 */
export function checkSocketDirectory(dir: string, uid: number = process.getuid?.() ?? 0): void {
  let stats;
  try {
    stats = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new VoxtraceError(
      "unavailable",
      `cannot inspect control socket folder ${dir}: ${(error as Error).message}`,
    );
  }
  const problem = stats.isSymbolicLink()
    ? "is a symbolic link"
    : !stats.isDirectory()
      ? "is not a folder"
      : stats.uid !== uid
        ? `belongs to uid ${stats.uid}, not to you (uid ${uid})`
        : (stats.mode & 0o022) !== 0
          ? `is writable by ${stats.mode & 0o002 ? "other users" : "its group"} (mode ${(stats.mode & 0o777).toString(8).padStart(4, "0")})`
          : undefined;
  if (problem === undefined) return;
  throw new VoxtraceError(
    "usage",
    `control socket folder ${dir} ${problem}, so another user could take over the socket: remove it (or chmod 700 a folder of yours), set XDG_RUNTIME_DIR, or pass --socket PATH in a folder only you can write`,
  );
}
