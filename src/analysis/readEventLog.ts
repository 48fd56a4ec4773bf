// Reads an event log (its rotated parts LOG.1, LOG.2, ... first, then LOG), line by line.
// A torn or truncated last line — what a crash can leave — is reported and everything
// before it kept; damage anywhere else means the file is not a voxtrace log.

import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { VoxtraceError } from "../errors.js";
import type { RecordedEvent } from "./AnalyzerEvent.js";
import { checkRecordedEvent } from "./checkRecordedEvent.js";

export interface EventLogContents {
  events: RecordedEvent[];
  damage?: { file: string; line: number; message: string };
}

export async function readEventLog(file: string): Promise<EventLogContents> {
  if (!existsSync(file))
    throw new VoxtraceError("bad_input", `${file}: no such event log - check the path`);
  const parts: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) parts.push(`${file}.${i}`);
  parts.push(file);
  const events: RecordedEvent[] = [];
  let damage: EventLogContents["damage"];
  for (const part of parts) {
    let lineNo = 0;
    let pending: { line: number; message: string } | undefined;
    const lines = createInterface({ input: createReadStream(part, "utf8"), crlfDelay: Infinity });
    for await (const line of lines) {
      lineNo++;
      if (pending) throw corrupt(part, pending.line, pending.message);
      if (line.trim() === "") continue;
      const parsed = parseLine(line);
      if (typeof parsed === "string") pending = { line: lineNo, message: parsed };
      else events.push(parsed);
    }
    if (pending) {
      if (part !== file) throw corrupt(part, pending.line, pending.message);
      damage = {
        file: part,
        line: pending.line,
        message: `torn last line ignored (${pending.message})`,
      };
    }
  }
  return damage ? { events, damage } : { events };
}

function parseLine(line: string): RecordedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  const problem = checkRecordedEvent(value);
  if (problem) return problem;
  const event = value as RecordedEvent;
  // Logs written before rules had `warmup` replay as they ran: without one.
  if (event.type === "SessionStarted") {
    for (const rule of Object.values(event.data.rules)) rule.warmup ??= 0;
  }
  return event;
}

function corrupt(file: string, line: number, message: string): VoxtraceError {
  return new VoxtraceError(
    "bad_input",
    `${file}:${line}: ${message} - this is not an intact voxtrace event log`,
  );
}
