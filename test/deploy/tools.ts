// Real Debian binaries the operations tests use; a missing one fails the test with the
// package to install, never a silent skip.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

const PACKAGES: Record<string, string> = {
  promtool: "prometheus",
  prometheus: "prometheus",
  amtool: "prometheus-alertmanager",
  "docker-compose": "docker-compose",
};

export function requireTool(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  throw new Error(
    `${name} is not installed: apt-get install ${PACKAGES[name] ?? name} (.ci/run does this)`,
  );
}

export function run(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { ...options, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
