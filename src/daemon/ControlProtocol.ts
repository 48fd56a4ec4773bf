// The control socket's protocol: one JSON object a line each way. A request names a
// command; the answer says `ok` and carries the daemon's state or an error. Requests
// come from other processes, so they are validated and their size is capped.

import { z } from "zod";
import { VoxtraceError } from "../errors.js";

export const CONTROL_COMMANDS = ["status", "start", "stop", "toggle", "shutdown"] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** Longest line either side accepts; a status answer is well under 2 KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const requestSchema = z.strictObject({ command: z.enum(CONTROL_COMMANDS) });
export type ControlRequest = z.infer<typeof requestSchema>;

export type RecordingState = "recording" | "paused" | "stopping";

export interface DaemonStatus {
  state: RecordingState;
  pid: number;
  uptimeSeconds: number;
  utterances: number;
  /** Over the last utterances delivered (see the daemon); null before the first. */
  latencyP95Ms: number | null;
  droppedSeconds: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  /**
   * Last GPU memory readings the analyzer saw: this process's share and the device's
   * (largest device); null without nvidia-smi.
   */
  gpu: { processMemoryBytes: number | null; deviceMemoryBytes: number | null } | null;
  capture: {
    command: string;
    running: boolean;
    restarts: number;
    lastRestartReason: string | null;
  };
  alerts: { rule: string; value: number; threshold: number }[];
  eventLog: string;
}

export type ControlResponse =
  ({ ok: true } & ({ state: RecordingState } | DaemonStatus)) | { ok: false; error: string };

/** Parses one request line; throws a bad_input VoxtraceError that says what is wrong. */
export function parseControlRequest(line: string): ControlRequest {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new VoxtraceError(
      "bad_input",
      `not JSON: send one object a line, e.g. {"command":"status"}`,
    );
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    throw new VoxtraceError(
      "bad_input",
      `bad request: expected {"command": one of ${CONTROL_COMMANDS.join(", ")}}`,
    );
  }
  return parsed.data;
}

/**
 * Splits a byte stream into lines, refusing any line longer than MAX_MESSAGE_BYTES
 * before it is buffered whole, so a peer cannot make the other side hold gigabytes.
 */
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  /** Returns the complete lines in `data`; throws once a line exceeds the limit. */
  push(data: Buffer): string[] {
    const lines: string[] = [];
    let from = 0;
    for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, from)) {
      this.#append(data.subarray(from, at));
      lines.push(Buffer.concat(this.#pending).toString("utf8"));
      this.#pending = [];
      this.#pendingBytes = 0;
      from = at + 1;
    }
    if (from < data.length) this.#append(data.subarray(from));
    return lines;
  }

  #append(part: Buffer): void {
    this.#pendingBytes += part.length;
    if (this.#pendingBytes > MAX_MESSAGE_BYTES) {
      throw new VoxtraceError(
        "bad_input",
        `message too large: more than ${MAX_MESSAGE_BYTES} bytes without a newline`,
      );
    }
    this.#pending.push(part);
  }
}
