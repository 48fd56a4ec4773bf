// What starting one of our worker threads needs, in one place: where its compiled script
// is, and the Node options to give it.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The compiled script `name`, next to the module at `moduleUrl`, when that module runs
 * from the build; undefined when it runs from source (the tests), where a thread cannot
 * start from a .ts file and the caller works on its own thread instead.
 */
export function compiledThreadScript(name: string, moduleUrl: string): URL | undefined {
  const url = new URL(name, moduleUrl);
  return moduleUrl.endsWith(".js") && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The options that say how code is found and loaded (conditions, preloads, loaders,
 * experimental module features) and how warnings print: what a thread needs to run as
 * this process does. Others stay out: V8 and per-process options (`--expose-gc`,
 * `--max-old-space-size`, `--title`) make `new Worker` throw, and `-e`/`--input-type`
 * would stop a thread started from a file.
 */
const THREAD_OPTION =
  /^(--conditions|-C|--import|--require|-r|--loader|--experimental-[\w-]+|--no-experimental-[\w-]+|--enable-source-maps|--no-warnings|--no-deprecation|--trace-warnings|--preserve-symlinks(-main)?)(=|$)/;
/** Of these, the ones whose value is the next argument when not given with `=`. */
const TAKES_VALUE = /^(--conditions|-C|--import|--require|-r|--loader|--experimental-loader)$/;

/** Node's options for a thread: this process's, those a thread may have and needs. */
export function threadExecArgv(args: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = TAKES_VALUE.test(arg) ? args[i + 1] : undefined;
    if (value !== undefined) i++;
    if (!THREAD_OPTION.test(arg)) continue;
    kept.push(arg);
    if (value !== undefined) kept.push(value);
  }
  return kept;
}
