// Runs the built `voxtrace` command (bin/voxtrace.js over dist/) as a user would.

import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));
export const MODEL_DIR = `${SHARED}models/zipformer-gigaspeech-3.3m-int8`;
export const AUDIO_DIR = `${SHARED}audio`;
const BIN = `${REPO}bin/voxtrace.js`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { input?: Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  // Test files run in parallel: keep transcriptions off the default metrics port
  // unless a test asks for one.
  const full =
    (args[0] === "transcribe" || args[0] === "listen") && !args.includes("--prometheus-port")
      ? [...args, "--prometheus-port", "0"]
      : args;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...full], {
      cwd: REPO,
      // Session event logs go to a scratch state directory, not the user's.
      env: {
        ...process.env,
        OTEL_SDK_DISABLED: undefined,
        XDG_STATE_HOME: path.join(os.tmpdir(), "voxtrace-test-state"),
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (data: Buffer) => stdout.push(data));
    child.stderr.on("data", (data: Buffer) => stderr.push(data));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    child.stdin.end(options.input);
  });
}

export interface JsonUtterance {
  index: number;
  start: number;
  end: number;
  text: string;
  latency_ms: number;
}

export function parseJsonLines(stdout: string): JsonUtterance[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as JsonUtterance);
}
