// Where the daemon's control socket lives by default: the user's runtime directory
// (private to them, cleared at logout), else a per-user directory under /tmp.

import os from "node:os";
import path from "node:path";
import { VoxtraceError } from "../errors.js";

/** sun_path holds 108 bytes on Linux, including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

export function controlSocketPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen =
    flag ??
    (env.XDG_RUNTIME_DIR
      ? path.join(env.XDG_RUNTIME_DIR, "voxtrace", "control.sock")
      : path.join(os.tmpdir(), `voxtrace-${os.userInfo().uid}`, "control.sock"));
  const resolved = path.resolve(chosen);
  if (Buffer.byteLength(resolved) > MAX_SOCKET_PATH_BYTES) {
    throw new VoxtraceError(
      "usage",
      `control socket path is ${Buffer.byteLength(resolved)} bytes, over the ${MAX_SOCKET_PATH_BYTES} a Unix socket allows: pass a shorter --socket PATH`,
    );
  }
  return resolved;
}
