// Writes a whole file (a report, a comparison) so that a failure never leaves half of it:
// a private temporary file next to the target, made durable, then renamed over it.

import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, renameSync, rmSync, writeSync } from "node:fs";
import { VoxtraceError } from "../errors.js";
import { openPrivateFile } from "./openPrivateFile.js";

/** `todo` ends the one-line error ("choose another --out path"). */
export function writeFileAtomically(file: string, content: string, todo: string): void {
  refuseLinksAndSpecialFiles(file, todo);
  // O_EXCL: a name nobody has yet, so no link planted in advance is followed.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openPrivateFile(temporary, "new", todo);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new VoxtraceError(
      "bad_input",
      `${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)}) - ${todo}`,
      { cause: error },
    );
  }
}

/** The rename would replace a link with our file; say so rather than surprise. */
function refuseLinksAndSpecialFiles(file: string, todo: string): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return; // not there yet (or unreachable: the open below says why)
  }
  if (stat.isSymbolicLink())
    throw new VoxtraceError(
      "bad_input",
      `${file}: is a symbolic link, and voxtrace does not write through links - ${todo}`,
    );
  if (!stat.isFile())
    throw new VoxtraceError(
      "bad_input",
      `${file}: not a regular file (a device, FIFO, socket or folder) - ${todo}`,
    );
}
