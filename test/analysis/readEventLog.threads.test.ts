// A big log is read on two threads; whatever the file holds, the events, the damage and the
// error must be exactly what one thread gives. Small reads (a few bytes to a few hundred)
// make even short logs cross many piece boundaries. The reader thread runs from the build,
// so this test reads through dist/ (npm test builds first).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { forEachLogEvent } from "../../dist/analysis/readEventLog.js";
import type { RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-threads-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const text = fc.constantFrom("vad", "stt", "ü€", "__proto__", 'a\\"b', "");
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0),
);
const attributes = fc.option(
  fc.dictionary(text, fc.oneof(text, number, fc.boolean()), { maxKeys: 2 }),
  { nil: undefined },
);
const counts = fc.array(fc.nat(9), { maxLength: 5 });
const body = fc.oneof(
  fc
    .record({ metric: text, value: number, attributes }, { requiredKeys: ["metric", "value"] })
    .map((data) => ({ type: "GaugeObserved", data })),
  fc
    .record(
      {
        metric: text,
        attributes,
        count: fc.nat(40),
        sum: number,
        min: number,
        max: number,
        buckets: fc.oneof(
          fc.constant({ kind: "explicit", boundaries: [0.1, 1], counts: [1, 2, 0] }),
          fc.record({
            kind: fc.constant("exponential"),
            scale: fc.integer({ min: -3, max: 8 }),
            zeroCount: fc.nat(3),
            positive: fc.record({ offset: fc.integer({ min: -50, max: 50 }), counts }),
            negative: fc.record({ offset: fc.integer({ min: -5, max: 5 }), counts }),
          }),
        ),
      },
      { requiredKeys: ["metric", "count", "sum", "buckets"] },
    )
    .map((data) => ({ type: "HistogramObserved", data })),
  fc.constant({ type: "SessionEnded", data: { reason: "completed" } }),
  fc.constant({
    type: "SessionStarted",
    data: { sessionId: "s", version: "0", rules: DEFAULT_RULES, intervalMs: 1000 },
  }),
);
const line = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.nat(1000), body)
      .map(([seq, event]) => JSON.stringify({ seq: seq + 1, time: 1.7e12 + seq, ...event })),
  },
  { weight: 1, arbitrary: fc.constantFrom("", "  ", "{", "null", '{"seq":1}', "not json ü") },
);
const log = fc.record({
  lines: fc.array(line, { maxLength: 40 }),
  endsWithNewline: fc.boolean(),
  rotated: fc.option(fc.array(line, { maxLength: 10 }), { nil: undefined }),
});

interface Outcome {
  events: RecordedEvent[];
  damage?: unknown;
  error?: string;
}

async function read(file: string, threads: "one" | "two", pieceBytes: number): Promise<Outcome> {
  const events: RecordedEvent[] = [];
  try {
    const damage = await forEachLogEvent(file, (e) => events.push(e), { threads, pieceBytes });
    return { events, damage };
  } catch (error) {
    return { events, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe("reading a log on two threads", () => {
  it("gives the events, damage and errors one thread gives, in the same order", async () => {
    await fc.assert(
      fc.asyncProperty(log, fc.integer({ min: 8, max: 400 }), async (content, pieceBytes) => {
        const file = path.join(tmp, `log-${++n}.ndjson`);
        const join = (lines: string[], newline: boolean): string =>
          lines.join("\n") + (newline && lines.length > 0 ? "\n" : "");
        writeFileSync(file, join(content.lines, content.endsWithNewline));
        if (content.rotated) writeFileSync(`${file}.1`, join(content.rotated, true));
        const one = await read(file, "one", pieceBytes);
        const two = await read(file, "two", pieceBytes);
        expect(two).toEqual(one);
        // Attributes keep their null prototype on both paths.
        for (const event of two.events)
          if ("attributes" in event.data && event.data.attributes)
            expect(Object.getPrototypeOf(event.data.attributes)).toBeNull();
      }),
      { numRuns: 150, seed: 20261203 },
    );
  });
});
