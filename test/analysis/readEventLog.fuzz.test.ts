// Fuzzes the event-log reader and replay with fast-check: whatever is in the file, reading
// either gives events that replay and summarize without throwing, or fails with a
// bad_input VoxtraceError naming file and line. Run counts are fixed so the file stays
// within a few seconds; a failure prints fast-check's seed and the shrunk input.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { serializeEvent } from "../../src/analysis/AnalyzerEvent.js";
import { readEventLog } from "../../src/analysis/readEventLog.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { VoxtraceError } from "../../src/errors.js";
import { summarizeEvents } from "../support/summarizeEvents.js";
import {
  DURATION_BUCKETS_S,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
} from "../../src/semconv.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-logfuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (content: string): string => {
  const file = path.join(tmp, `log-${++n}.ndjson`);
  writeFileSync(file, content);
  return file;
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e12 });

/** An event as a live run writes it, without seq and time. */
const observation = fc.oneof(
  fc.record({
    type: fc.constant("GaugeObserved" as const),
    data: fc.record({
      metric: fc.constantFrom(METRIC_PROCESS_CPU_UTILIZATION, METRIC_PROCESS_MEMORY_USAGE, "x.y"),
      value: finite,
    }),
  }),
  fc.record({
    type: fc.constant("HistogramObserved" as const),
    data: fc.record({
      metric: fc.constantFrom(METRIC_UTTERANCE_LATENCY, METRIC_STAGE_DURATION),
      count: fc.nat(50),
      sum: finite,
      buckets: fc.record({
        kind: fc.constant("explicit" as const),
        boundaries: fc.constant(DURATION_BUCKETS_S),
        counts: fc.array(fc.nat(20), {
          minLength: DURATION_BUCKETS_S.length + 1,
          maxLength: DURATION_BUCKETS_S.length + 1,
        }),
      }),
    }),
  }),
  fc.constant({ type: "SessionEnded" as const, data: { reason: "completed" } }),
);

/** A valid log: SessionStarted, then observations, seq 1, 2, ... and time not going back. */
const validEvents = fc
  .array(fc.tuple(observation, fc.nat(10_000)), { maxLength: 30 })
  .map((items): RecordedEvent[] => {
    let time = 1_700_000_000_000;
    const started: RecordedEvent = {
      seq: 1,
      time,
      type: "SessionStarted",
      data: { sessionId: "s", version: "0", rules: DEFAULT_RULES, intervalMs: 1000 },
    };
    return [
      started,
      ...items.map(([event, step], i) => ({ ...event, seq: i + 2, time: (time += step) })),
    ] as RecordedEvent[];
  });
const validLines = validEvents.map((events) => events.map(serializeEvent));

/** Lines a damaged or foreign file may hold: garbage, other JSON, wrong field types. */
const badLine = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "null",
    "[]",
    "{}",
    '{"seq":1e999,"time":1,"type":"SessionEnded","data":{}}',
    '{"seq":1,"time":1,"type":"SessionEnded","data":null}',
    '{"seq":1,"time":1,"type":"Bogus","data":{}}',
    '{"seq":1,"time":1,"type":"AlertFired","data":{"rule":"nope","value":1,"threshold":1}}',
    '{"seq":1,"time":1,"type":"SessionStarted","data":{}}',
    '{"seq":1,"time":1,"type":"HistogramObserved","data":{"metric":"voxtrace.utterance.latency","count":1,"sum":1}}',
  ),
  // A valid event with one field replaced by any JSON value (wrong types).
  fc
    .tuple(
      validEvents,
      fc.nat(),
      fc.constantFrom("seq", "time", "type", "data"),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([events, i, field, value]) =>
      JSON.stringify({ ...events[i % events.length], [field]: value }),
    ),
  // A valid event whose data has one field replaced.
  fc
    .tuple(validEvents, fc.nat(), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([events, i, key, value]) => {
      const event = events[i % events.length]!;
      const keys = Object.keys(event.data);
      const field = keys.length > 0 ? keys[i % keys.length]! : key;
      return JSON.stringify({ ...event, data: { ...event.data, [field]: value } });
    }),
);

/** The contract for any content: bad_input naming file and line, or replayable events. */
async function readsSafely(content: string): Promise<void> {
  const file = fresh(content);
  let events: RecordedEvent[];
  try {
    ({ events } = await readEventLog(file));
  } catch (error) {
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(
      new RegExp(`^${escape(file)}(\\.\\d+)?:\\d+: [^\\n]+$`),
    );
    return;
  }
  summarizeEvents(events);
}

describe("readEventLog under fuzzing", () => {
  // Found by the first property: each crashed replay or the reader with a TypeError.
  it.each([
    ["null", /expected object, received null/],
    ['{"seq":2,"time":1,"type":"SessionEnded","data":null}', /^data: .*expected object/],
    ['{"seq":2,"time":1,"type":"Bogus","data":{}}', /^unknown event type 'Bogus'/],
    ['{"seq":2,"time":1,"type":"SessionStarted","data":{}}', /^data\.sessionId: /],
    [
      '{"seq":2,"time":1,"type":"AlertFired","data":{"rule":"nope","value":1,"threshold":1}}',
      /^data\.rule: .*"cpu"/,
    ],
    [
      '{"seq":2,"time":1,"type":"HistogramObserved","data":{"metric":"voxtrace.utterance.latency","count":1,"sum":1}}',
      /^data\.buckets: /,
    ],
    ['{"seq":2,"time":9e15,"type":"SessionEnded","data":{"reason":"x"}}', /^time: /],
    [
      '{"seq":2,"time":1,"type":"GaugeObserved","data":{"metric":"m","value":1,"attributes":{"a":{"b":1}}}}',
      /^data\.attributes\.a: /,
    ],
    [
      '{"seq":2,"time":1,"type":"HistogramObserved","data":{"metric":"m","count":1,"sum":1,"buckets":{"kind":"explicit","boundaries":[1],"counts":[-1,2]}}}',
      /^data\.buckets\.counts\.0: /,
    ],
  ])("refuses the well-formed JSON line %s of the wrong shape as bad_input", async (line, why) => {
    const first = serializeEvent({ seq: 1, time: 1, type: "SessionEnded", data: { reason: "x" } });
    const file = fresh(`${first}\n${line}\n${first}\n`);
    const error = await readEventLog(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    const message = (error as Error).message;
    expect(message.startsWith(`${file}:2: `)).toBe(true);
    expect(message.endsWith(" - this is not an intact voxtrace event log")).toBe(true);
    expect(message.slice(`${file}:2: `.length)).toMatch(why);
    expect(message).not.toContain("\n");
  });

  it("reads any mix of valid and bad lines either to replayable events or to a one-line bad_input error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            validLines,
            badLine.map((l) => [l]),
          ),
          { maxLength: 6 },
        ),
        fc.boolean(),
        async (groups, finalNewline) => {
          const lines = groups.flat();
          await readsSafely(lines.join("\n") + (finalNewline ? "\n" : ""));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("replays valid events whose seq goes back or repeats (a log reused by two sessions)", async () => {
    await fc.assert(
      fc.asyncProperty(
        validEvents,
        fc.array(fc.integer({ min: 1, max: 40 })),
        async (events, seqs) => {
          const shuffled = events.map((e, i) => ({ ...e, seq: seqs[i] ?? e.seq }));
          const file = fresh(shuffled.map(serializeEvent).join("\n") + "\n");
          const read = await readEventLog(file);
          expect(read.events).toHaveLength(events.length);
          summarizeEvents(read.events);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps every line before a torn last line and reports the torn one", async () => {
    await fc.assert(
      fc.asyncProperty(validLines, fc.nat(), fc.nat(), async (lines, which, cut) => {
        const victim = lines[which % lines.length]!;
        const torn = victim.slice(0, 1 + (cut % (victim.length - 1)));
        const file = fresh(`${lines.join("\n")}\n${torn}`);
        const read = await readEventLog(file);
        expect(read.events.map(serializeEvent)).toEqual(lines);
        expect(read.damage?.file).toBe(file);
        expect(read.damage?.line).toBe(lines.length + 1);
        expect(read.damage?.message).toMatch(/^torn last line ignored \(not JSON\)$/);
      }),
      { numRuns: 150 },
    );
  });

  it("refuses a bad line followed by more lines, naming that line", async () => {
    const definitelyBad = badLine.filter((l) => !l.includes("\n") && !l.includes("\r"));
    await fc.assert(
      fc.asyncProperty(validLines, definitelyBad, async (lines, bad) => {
        const file = fresh(`${lines.join("\n")}\n${bad}\n${lines[0]!}\n`);
        // Some mutations happen to give a valid event: then all three parts are read.
        const read = await readEventLog(file).catch((error: unknown) => error);
        if (read instanceof Error) {
          expect(read.message).toMatch(new RegExp(`^${escape(file)}:${lines.length + 1}: `));
        } else {
          expect((read as { events: unknown[] }).events.length).toBeGreaterThan(lines.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("refuses a torn line in a rotated part, which only a damaged log can have", async () => {
    await fc.assert(
      fc.asyncProperty(validLines, validLines, fc.nat(), async (first, second, cut) => {
        const file = path.join(tmp, `rotated-${++n}.ndjson`);
        const torn = first[0]!.slice(0, 1 + (cut % (first[0]!.length - 1)));
        writeFileSync(`${file}.1`, `${first.join("\n")}\n${torn}`);
        writeFileSync(file, `${second.join("\n")}\n`);
        await expect(readEventLog(file)).rejects.toThrow(
          new RegExp(`^${escape(file)}\\.1:${first.length + 1}: not JSON`),
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe("readEventLog's reading", () => {
  it("keeps a character whole where a 64 KiB read splits it", async () => {
    const value = "ü".repeat(500); // two bytes each
    const lines: string[] = [];
    for (let seq = 1; seq <= 400; seq++)
      lines.push(
        serializeEvent({
          seq,
          time: 1_700_000_000_000 + seq,
          type: "GaugeObserved",
          data: { metric: METRIC_PROCESS_MEMORY_USAGE, value: seq, attributes: { x: value } },
        }),
      );
    let content = `${lines.join("\n")}\n`;
    // Pad the first line until byte 65536, where the second read starts, is inside a "ü".
    while ((Buffer.from(content)[65536]! & 0xc0) !== 0x80) content = ` ${content}`;
    const { events } = await readEventLog(fresh(content));
    expect(events).toHaveLength(400);
    expect(events.every((e) => e.type === "GaugeObserved" && e.data.attributes?.x === value)).toBe(
      true,
    );
  });

  it("refuses a FIFO or a folder in one line instead of waiting on it", async () => {
    const fifo = path.join(tmp, `fifo-${++n}`);
    execFileSync("mkfifo", [fifo]);
    await expect(readEventLog(fifo)).rejects.toThrow(
      /not a regular file - give the path of an event log/,
    );
    const folder = mkdtempSync(path.join(tmp, "folder-"));
    await expect(readEventLog(folder)).rejects.toThrow(/not a regular file/);
  });
});
