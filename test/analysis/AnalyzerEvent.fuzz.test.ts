// The log schema's fast path for observations must never accept a line the zod schema
// refuses, nor hand the fold anything different from what the schema would.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRecordedEvent, parseWithSchema } from "../../src/analysis/AnalyzerEvent.js";

const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 9e15, Number.MAX_SAFE_INTEGER + 2, Infinity, NaN),
);
const anything = fc.oneof(number, fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
const counts = fc.array(fc.oneof(fc.nat(), number), { maxLength: 6 });
const explicit = fc.record(
  {
    kind: fc.constantFrom("explicit", "exponential", "other"),
    boundaries: fc.oneof(fc.array(number, { maxLength: 5 }), fc.constant([0.1, 1, 10])),
    counts,
    extra: anything,
  },
  { requiredKeys: ["kind"] },
);
const range = fc.record({ offset: fc.oneof(fc.integer(), number), counts }, { requiredKeys: [] });
const exponential = fc.record(
  {
    kind: fc.constantFrom("exponential", "explicit"),
    scale: fc.oneof(fc.integer({ min: -12, max: 22 }), number),
    zeroCount: fc.oneof(fc.nat(), number),
    positive: range,
    negative: range,
  },
  { requiredKeys: ["kind"] },
);
const attributes = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("__proto__", "constructor", "hw.id")),
  fc.oneof(anything, fc.constant({ nested: 1 })),
  { maxKeys: 3 },
);
const observation = fc.record(
  {
    seq: fc.oneof(fc.integer({ min: -1, max: 5 }), number),
    time: fc.oneof(fc.integer({ min: 0, max: 2e12 }), number),
    type: fc.constantFrom("GaugeObserved", "HistogramObserved", "SessionEnded"),
    data: fc.record(
      {
        metric: fc.oneof(fc.string({ maxLength: 8 }), number),
        value: number,
        attributes,
        count: fc.oneof(fc.nat(), number),
        sum: number,
        min: number,
        max: number,
        buckets: fc.oneof(explicit, exponential),
        extra: anything,
      },
      { requiredKeys: ["metric"] },
    ),
  },
  { requiredKeys: ["type", "data"] },
);

describe("the log schema's fast path", () => {
  it("accepts exactly what the zod schema accepts, and returns the same event", () => {
    fc.assert(
      fc.property(observation, (value) => {
        const viaSchema = parseWithSchema(structuredClone(value));
        const viaFastPath = parseRecordedEvent(structuredClone(value));
        expect(typeof viaFastPath).toBe(typeof viaSchema);
        if (typeof viaSchema !== "string") expect(viaFastPath).toEqual(viaSchema);
      }),
      { numRuns: 4000 },
    );
  });

  it("keeps an attribute named __proto__ as data, not as the prototype", () => {
    const line =
      '{"seq":1,"time":1,"type":"GaugeObserved","data":{"metric":"m","value":1,"attributes":{"__proto__":"x"}}}';
    const event = parseRecordedEvent(JSON.parse(line));
    expect(typeof event).toBe("object");
    const attributes = (event as { data: { attributes: Record<string, unknown> } }).data.attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(null);
    expect(Object.keys(attributes)).toEqual(["__proto__"]);
  });
});
