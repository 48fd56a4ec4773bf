// The second thread of a big log's replay. It reads the log's files and splits them into
// pieces of whole lines. While the folding thread has work waiting, it parses and checks each
// piece itself and sends compact events; when that thread is about to run dry, it sends the
// piece as text for it to parse. So the two threads share the cost of JSON.parse, and this
// one pauses while the other has plenty waiting.

import { parentPort, workerData } from "node:worker_threads";
import { VoxtraceError } from "../errors.js";
import { EventEncoder } from "./logCodec.js";
import { parseLine, readPieces, unreadable, type ReaderMessage } from "./readEventLog.js";

const { parts, pieceBytes, inFlight, maxInFlight } = workerData as {
  parts: string[];
  pieceBytes: number;
  inFlight: Int32Array;
  maxInFlight: number;
};
const port = parentPort!;
// Stay until the folding thread ends this one: an exit of our own could overtake the last message.
port.on("message", () => undefined);
const encoder = new EventEncoder();
/**
 * A piece goes to the folding thread as text when it has fewer than this many messages
 * waiting (it is about to run dry); otherwise this thread parses it. So the two share the
 * parsing in whatever ratio keeps both busy.
 */
const HUNGRY = 6;

function send(message: ReaderMessage): void {
  Atomics.add(inFlight, 0, 1);
  if (message.kind === "events")
    port.postMessage(message, [message.batch.numbers.buffer as ArrayBuffer]);
  else port.postMessage(message);
  for (let waiting = Atomics.load(inFlight, 0); waiting >= maxInFlight;) {
    Atomics.wait(inFlight, 0, waiting);
    waiting = Atomics.load(inFlight, 0);
  }
}

/** Parses and checks a piece's lines here; stops at the first bad one. */
function parsePiece(lines: string[]): void {
  let bad: { index: number; message: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseLine(lines[i]!);
    if (typeof parsed === "string") {
      bad = { index: i, message: parsed };
      break;
    }
    if (parsed) encoder.add(parsed);
  }
  send({ kind: "events", batch: encoder.take(), lines: lines.length, bad });
}

function readPart(part: string): void {
  let rest = "";
  try {
    for (const read of readPieces(part, pieceBytes)) {
      const text = rest + read;
      if (Atomics.load(inFlight, 0) >= HUNGRY) {
        const lines = text.split("\n");
        rest = lines.pop() ?? "";
        if (lines.length > 0) parsePiece(lines);
      } else {
        const cut = text.lastIndexOf("\n");
        rest = cut < 0 ? text : text.slice(cut + 1);
        if (cut >= 0) send({ kind: "text", text: text.slice(0, cut) });
      }
    }
  } catch (error) {
    throw unreadable(part, error);
  }
  if (rest.length > 0) send({ kind: "text", text: rest });
  send({ kind: "end", part });
}

try {
  for (const part of parts) readPart(part);
  send({ kind: "done" });
} catch (error) {
  send(
    error instanceof VoxtraceError
      ? { kind: "error", code: error.code, message: error.message }
      : { kind: "error", code: "internal", message: `reading the log failed: ${String(error)}` },
  );
}
