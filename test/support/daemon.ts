// Drives a real `voxtrace listen` for tests: a corpus file played by playPcm.mjs as the
// microphone, the daemon as a child process, and `voxtrace ctl`.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DaemonStatus } from "../../src/daemon/ControlProtocol.js";
import { MODEL_DIR, REPO, runCli } from "./runCli.js";

export const PLAYER = path.join(REPO, "test", "support", "playPcm.mjs");

/** A shell command that plays a WAV file as a microphone would. */
export function playerCommand(
  wav: string,
  options: { speed?: number; seconds?: number; pidFile?: string },
): string {
  return [
    JSON.stringify(process.execPath),
    JSON.stringify(PLAYER),
    JSON.stringify(wav),
    `--speed ${options.speed ?? 1}`,
    options.seconds === undefined ? "" : `--seconds ${options.seconds}`,
    options.pidFile ? `--pid-file ${JSON.stringify(options.pidFile)}` : "",
  ].join(" ");
}

export class DaemonProcess {
  readonly child: ChildProcess;
  readonly socket: string;
  stderr = "";
  stdout = "";
  readonly exited: Promise<number | null>;

  constructor(socket: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.socket = socket;
    this.child = spawn(
      process.execPath,
      [
        path.join(REPO, "bin", "voxtrace.js"),
        "listen",
        "--model",
        MODEL_DIR,
        "--socket",
        socket,
        ...args,
      ],
      {
        cwd: REPO,
        env: {
          ...process.env,
          XDG_STATE_HOME: path.join(os.tmpdir(), "voxtrace-test-state"),
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child.stdout!.on("data", (data: Buffer) => (this.stdout += data.toString()));
    this.child.stderr!.on("data", (data: Buffer) => (this.stderr += data.toString()));
    this.exited = new Promise((resolve) => this.child.once("close", resolve));
  }

  async ctl(
    command: string,
    ...args: string[]
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runCli(["ctl", command, "--socket", this.socket, ...args], { timeoutMs: 20_000 });
  }

  async status(): Promise<DaemonStatus> {
    const result = await this.ctl("status", "--json");
    if (result.code !== 0) throw new Error(`ctl status failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as DaemonStatus;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
