// Types recognised text into the focused window, or hands it to a command. The tool is
// checked at start-up; a failed injection is reported on stderr and counted but never
// stops transcription (the text is still in the other sinks).

import { spawn } from "node:child_process";
import { VoxtraceError } from "../../errors.js";
import type { Utterance } from "../Utterance.js";
import type { Sink } from "./Sink.js";
import { findOnPath } from "./findOnPath.js";

export type InjectMethod = "wtype" | "xdotool" | "ydotool" | "clipboard" | "command";

interface Invocation {
  file: string;
  args: (text: string) => string[];
  /** Text goes to the tool's stdin rather than its arguments. */
  stdin: boolean;
}

const TOOLS: Record<Exclude<InjectMethod, "clipboard" | "command">, Invocation> = {
  wtype: { file: "wtype", args: (t) => ["--", t], stdin: false },
  xdotool: { file: "xdotool", args: (t) => ["type", "--clearmodifiers", "--", t], stdin: false },
  ydotool: { file: "ydotool", args: (t) => ["type", "--", t], stdin: false },
};

const CLIPBOARD: Invocation[] = [
  { file: "wl-copy", args: () => [], stdin: true },
  { file: "xclip", args: () => ["-selection", "clipboard"], stdin: true },
];

export class InjectSink implements Sink {
  readonly #method: InjectMethod;
  readonly #command: string | undefined;
  readonly #stderr: NodeJS.WritableStream;
  #invocation: Invocation | undefined;
  #delivered = 0;
  failures = 0;

  constructor(
    method: InjectMethod,
    options: { command?: string; stderr?: NodeJS.WritableStream } = {},
  ) {
    this.#method = method;
    this.#command = options.command;
    this.#stderr = options.stderr ?? process.stderr;
  }

  async open(): Promise<void> {
    if (this.#method === "command") {
      this.#invocation = { file: "/bin/sh", args: () => ["-c", this.#command ?? ""], stdin: true };
      return;
    }
    const candidates = this.#method === "clipboard" ? CLIPBOARD : [TOOLS[this.#method]];
    for (const candidate of candidates) {
      if (await findOnPath(candidate.file)) {
        this.#invocation = candidate;
        return;
      }
    }
    const names = candidates.map((c) => c.file).join(" or ");
    throw new VoxtraceError(
      "unavailable",
      `${names} not found on PATH - install it (e.g. apt install ${candidates[0]!.file}) or choose another --inject method`,
    );
  }

  async write(utterance: Utterance): Promise<void> {
    const invocation = this.#invocation;
    if (!invocation) return;
    // Typed text needs a space between utterances, as a person would type it.
    const text =
      this.#method === "command" || this.#delivered === 0 ? utterance.text : ` ${utterance.text}`;
    this.#delivered++;
    try {
      await run(invocation, text);
    } catch (error) {
      this.failures++;
      this.#stderr.write(`voxtrace: warning: text injection failed: ${(error as Error).message}\n`);
    }
  }

  async close(): Promise<void> {}
}

function run(invocation: Invocation, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.file, invocation.args(text), {
      stdio: [invocation.stdin ? "pipe" : "ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${invocation.file} exited with ${code}: ${stderr.trim().split("\n")[0] ?? ""}`,
            ),
          ),
    );
    // A tool that exits without reading its stdin makes the write fail with EPIPE; its
    // exit status already reports the failure, so the stream error must not escape.
    child.stdin?.on("error", () => undefined);
    if (invocation.stdin) child.stdin?.end(text);
  });
}
