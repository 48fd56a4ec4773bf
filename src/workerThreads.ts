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
 * Node's options for a thread: this process's, without those that say how to run its own
 * entry code (`node --input-type=module -e ...` would stop a thread started from a file).
 */
export function threadExecArgv(): string[] {
  const kept: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (/^(-e|-p|--eval|--print)$/.test(arg)) i++;
    else if (!/^(--input-type|--eval|--print)(=|$)/.test(arg)) kept.push(arg);
  }
  return kept;
}
