// Which model a run uses: --model DIR, else $VOXTRACE_MODEL_DIR, else the default model
// if it has been pulled into the cache. No model is a usage error that says how to get one.

import { existsSync } from "node:fs";
import path from "node:path";
import { VoxtraceError } from "../errors.js";
import { DEFAULT_MODEL_NAME } from "./ModelCatalog.js";
import { modelCacheDir } from "./modelCacheDir.js";

export function resolveModelDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return flag;
  if (env.VOXTRACE_MODEL_DIR) return env.VOXTRACE_MODEL_DIR;
  const cached = path.join(modelCacheDir(env), DEFAULT_MODEL_NAME);
  if (existsSync(cached)) return cached;
  throw new VoxtraceError(
    "model",
    `no model given and none in ${modelCacheDir(env)}: pass --model DIR, set VOXTRACE_MODEL_DIR, or run \`voxtrace models pull ${DEFAULT_MODEL_NAME}\` (\`voxtrace models list\` shows others)`,
  );
}
