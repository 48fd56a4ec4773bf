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

const recordingStateSchema = z.enum(["recording", "paused", "stopping"]);
export type RecordingState = z.infer<typeof recordingStateSchema>;

const bytesOrNull = z.number().nullable();

// Answers are validated by the client too: a daemon of another version, or something
// else listening on the socket, must give a clear error, not a TypeError. Unknown extra
// fields pass (and are dropped) so an older ctl still reads a newer daemon.
const daemonStatusSchema = z.object({
  state: recordingStateSchema,
  pid: z.number(),
  uptimeSeconds: z.number(),
  utterances: z.number(),
  /** Over the last utterances delivered (see the daemon); null before the first. */
  latencyP95Ms: z.number().nullable(),
  droppedSeconds: z.number(),
  memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
  /**
   * Last GPU memory readings the analyzer saw: this process's share and the device's
   * (largest device); null without nvidia-smi.
   */
  gpu: z.object({ processMemoryBytes: bytesOrNull, deviceMemoryBytes: bytesOrNull }).nullable(),
  capture: z.object({
    command: z.string(),
    running: z.boolean(),
    restarts: z.number(),
    lastRestartReason: z.string().nullable(),
  }),
  alerts: z.array(z.object({ rule: z.string(), value: z.number(), threshold: z.number() })),
  eventLog: z.string(),
});
export type DaemonStatus = z.infer<typeof daemonStatusSchema>;

const refusalSchema = z.object({ ok: z.literal(false), error: z.string() });
/** `status` answers with the whole status; every other command with the state alone. */
const statusResponseSchema = z.union([
  z.object({ ok: z.literal(true) }).and(daemonStatusSchema),
  refusalSchema,
]);
const stateResponseSchema = z.union([
  z.object({ ok: z.literal(true), state: recordingStateSchema }),
  refusalSchema,
]);
export type ControlResponse =
  ({ ok: true } & ({ state: RecordingState } | DaemonStatus)) | { ok: false; error: string };

/**
 * Parses one answer line from a daemon; throws a bad_input VoxtraceError naming the
 * socket when it is not JSON or not one of the answers this protocol defines.
 */
export function parseControlResponse(
  line: string,
  command: ControlCommand,
  socketPath: string,
): ControlResponse {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new VoxtraceError(
      "bad_input",
      `the daemon on ${socketPath} sent an answer that is not JSON: is it a voxtrace daemon of this version?`,
    );
  }
  const schema = command === "status" ? statusResponseSchema : stateResponseSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new VoxtraceError(
      "bad_input",
      `the daemon on ${socketPath} sent an answer this ctl does not understand${where}: is it a voxtrace daemon of this version?`,
    );
  }
  return parsed.data;
}

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
