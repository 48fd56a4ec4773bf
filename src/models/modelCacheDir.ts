// Where pulled models live: $VOXTRACE_CACHE_DIR, else $XDG_CACHE_HOME/voxtrace/models,
// else ~/.cache/voxtrace/models.

import os from "node:os";
import path from "node:path";

export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VOXTRACE_CACHE_DIR) return env.VOXTRACE_CACHE_DIR;
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "voxtrace", "models");
}
