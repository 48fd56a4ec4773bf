// The one way voxtrace opens a file it writes (event logs and their parts and lock,
// --output, reports): never through a symbolic link, only a regular file, and private
// (0600) even when the file was already there with a looser mode.

import { closeSync, constants, fchmodSync, fstatSync, openSync } from "node:fs";
import { VoxtraceError } from "../errors.js";

const { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDWR, O_WRONLY } = constants;

const FLAGS = {
  /** Append, creating the file if needed. */
  append: O_WRONLY | O_APPEND | O_CREAT,
  /** Append, and read back (the event log looks at its own tail). */
  "append-read": O_RDWR | O_APPEND | O_CREAT,
  /** A file that must not exist yet (lock files, temporary files); EEXIST is passed on. */
  new: O_WRONLY | O_CREAT | O_EXCL,
} as const;

export type OpenHow = keyof typeof FLAGS;

/**
 * Opens `file` for writing and returns its descriptor. `todo` ends the one-line error
 * ("choose another --events path"). O_NOFOLLOW refuses a link at the last component;
 * O_NONBLOCK keeps a FIFO from blocking the open until fstat turns it away.
 */
export function openPrivateFile(file: string, how: OpenHow, todo: string): number {
  let fd: number;
  try {
    fd = openSync(file, FLAGS[how] | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && how === "new") throw error;
    throw new VoxtraceError("bad_input", `${file}: ${problem(code, error)} - ${todo}`, {
      cause: error,
    });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new VoxtraceError("bad_input", `${file}: ${notRegular} - ${todo}`);
    // A file we created is 0600 already; one that was there keeps its mode unless we fix it.
    if ((stat.mode & 0o777) !== 0o600 && stat.uid === process.getuid?.()) fchmodSync(fd, 0o600);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

const notRegular = "not a regular file (a device, FIFO, socket or folder)";

function problem(code: string | undefined, error: unknown): string {
  switch (code) {
    case "ELOOP":
      return "is a symbolic link, and voxtrace does not write through links";
    case "ENXIO":
    case "EISDIR":
      return notRegular;
    case "ENOTDIR":
      return "a folder on the path is a file";
    default:
      return `cannot open for writing (${code ?? String(error)})`;
  }
}
