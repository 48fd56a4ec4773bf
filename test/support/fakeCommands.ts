// Fake executables first on PATH: the true system boundary for GPU and hardware queries
// (nvidia-smi, lspci). Each call makes a fresh directory under `root`; restorePath()
// puts PATH back.

import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";

const originalPath = process.env.PATH;

/** Writes each `name: shell script body` as an executable and puts them first on PATH. */
export function installFakeCommands(root: string, commands: Record<string, string>): string {
  const dir = mkdtempSync(path.join(root, "bin-"));
  for (const [name, script] of Object.entries(commands)) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  process.env.PATH = `${dir}:${originalPath ?? ""}`;
  return dir;
}

/** PATH with no nvidia-smi (or anything else) on it. */
export function emptyPath(): void {
  process.env.PATH = "/nonexistent";
}

export function restorePath(): void {
  process.env.PATH = originalPath;
}

/**
 * An nvidia-smi that answers voxtrace's two queries: `gpuRows` are the CSV lines of
 * --query-gpu (index, name, uuid, memory.used MiB, memory.total MiB, utilization %),
 * `appsScript` is the shell that answers --query-compute-apps.
 */
export function fakeNvidiaSmi(gpuRows: string[], appsScript = "exit 3"): string {
  const rows = gpuRows.map((row) => `'${row}'`).join(" ");
  return `case "$*" in
  *query-gpu=index*) printf '%s\\n' ${rows} ;;
  *query-compute-apps*) ${appsScript} ;;
  *) exit 9 ;;
esac`;
}
