// The analyzer's events and the event log's schema. Everything the analyzer knows arrives
// as one of these, appended to the log; a recorded event adds its position (`seq`) and
// `time` (Unix ms). The log is read from disk, so the schema is where outside data is
// checked, once: finite numbers in range, counts that can be counts, names kept as data
// (attributes become null-prototype objects, so `__proto__` is just a key). Defaults for
// fields older logs lack live here too. The types below are inferred from the schema.

import { z } from "zod";
import { RULE_NAMES, ruleConfigSchema } from "./ruleConfigSchema.js";

/** The range a JavaScript Date holds: a time outside it cannot be printed or compared. */
const MAX_TIME_MS = 8.64e15;
const finite = z.number().finite();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Names and messages from outside are bounded: nothing we write is longer. */
const text = z.string().max(4096);

const attributes = z
  .record(text, z.union([text, finite, z.boolean()]))
  .transform((record) => Object.assign(Object.create(null) as Attributes, record));
export type Attributes = Record<string, string | number | boolean>;

const explicitBuckets = z
  .object({
    kind: z.literal("explicit"),
    boundaries: z.array(finite).max(1000),
    counts: z.array(count).max(1001),
  })
  .refine(
    (b) =>
      b.counts.length === b.boundaries.length + 1 &&
      b.boundaries.every((x, i) => i === 0 || x > b.boundaries[i - 1]!),
    "explicit buckets need increasing boundaries and one more count",
  );

const exponentialRange = z.object({
  offset: z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31),
  counts: z.array(count).max(4096),
});

/** Base-2 exponential buckets as OpenTelemetry defines them: bucket i is (b^i, b^(i+1)], b = 2^(2^-scale). */
const exponentialBuckets = z.object({
  kind: z.literal("exponential"),
  scale: z.number().int().min(-10).max(20),
  zeroCount: count,
  positive: exponentialRange,
  negative: exponentialRange,
});

export type ExplicitBuckets = z.infer<typeof explicitBuckets>;
export type ExponentialBuckets = z.infer<typeof exponentialBuckets>;
export type Buckets = ExplicitBuckets | ExponentialBuckets;

const rules = z.object(
  Object.fromEntries(RULE_NAMES.map((name) => [name, ruleConfigSchema(name)])) as {
    [K in (typeof RULE_NAMES)[number]]: ReturnType<typeof ruleConfigSchema>;
  },
);

const alertData = z.object({
  rule: z.enum(RULE_NAMES),
  value: finite,
  threshold: finite,
  windowMs: finite,
  forMs: finite,
  causeSeq: count,
  message: text,
});
export type AlertData = z.infer<typeof alertData>;

const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const time = finite.min(-MAX_TIME_MS).max(MAX_TIME_MS);
/** Each variant carries seq and time itself: an intersection would cost 8x the parse. */
const recorded = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ seq, time, type: z.literal(type), data });

const recordedEventSchema = z.discriminatedUnion("type", [
  recorded(
    "SessionStarted",
    z.object({
      sessionId: text,
      version: text,
      rules,
      intervalMs: finite.positive(),
      /** The histogram judged as utterance latency; absent means voxtrace.utterance.latency. */
      latencyMetric: text.optional(),
      model: text.optional(),
      executionProvider: text.optional(),
    }),
  ),
  recorded(
    "GaugeObserved",
    z.object({ metric: text, value: finite, attributes: attributes.optional() }),
  ),
  recorded(
    "HistogramObserved",
    z.object({
      metric: text,
      attributes: attributes.optional(),
      count,
      sum: finite,
      min: finite.optional(),
      max: finite.optional(),
      buckets: z.discriminatedUnion("kind", [explicitBuckets, exponentialBuckets]),
    }),
  ),
  recorded("SessionEnded", z.object({ reason: text.default("") })),
  recorded(
    "CaptureRestarted",
    z.object({ command: text, reason: text, attempt: count, delayMs: finite.nonnegative() }),
  ),
  recorded("AlertFired", alertData),
  recorded("AlertResolved", alertData),
]);

type Recorded = z.infer<typeof recordedEventSchema>;
type WithoutPosition<E> = E extends unknown ? Omit<E, "seq" | "time"> : never;

/** An event before it is stored: its type and data. */
export type AnalyzerEvent = WithoutPosition<Recorded>;
export type AlertEvent = Extract<AnalyzerEvent, { type: "AlertFired" | "AlertResolved" }>;
export type ObservationEvent = Extract<
  AnalyzerEvent,
  { type: "GaugeObserved" | "HistogramObserved" }
>;

/** An event as stored: its position in the log and its time (Unix ms). */
export type RecordedEvent<E extends AnalyzerEvent = AnalyzerEvent> = E & {
  seq: number;
  time: number;
};

/** A parsed log line as a recorded event, or what is wrong with it (one line). */
export function parseRecordedEvent(value: unknown): RecordedEvent | string {
  return acceptObservation(value) ?? parseWithSchema(value);
}

/** The schema's own verdict, without the fast path (the fuzz test compares the two). */
export function parseWithSchema(value: unknown): RecordedEvent | string {
  const result = recordedEventSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) return "not a voxtrace event";
  const type = (value as { type?: unknown } | null)?.type;
  if (issue.path.length === 1 && issue.path[0] === "type")
    return typeof type === "string"
      ? `unknown event type '${type.slice(0, 40)}'`
      : "type is not a string";
  const where = issue.path.map(String).join(".");
  return `${where ? `${where.slice(0, 80)}: ` : ""}${issue.message.slice(0, 120)}`;
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === "string" && v.length <= 4096;
/** True when every key of `o` is one of `allowed` (compared one by one: faster than a Set here). */
const onlyKeys = (o: Fields, allowed: readonly string[]): boolean => {
  for (const key in o) if (!allowed.includes(key)) return false;
  return true;
};
const GAUGE_KEYS = ["metric", "value", "attributes"];
const HISTOGRAM_KEYS = ["metric", "attributes", "count", "sum", "min", "max", "buckets"];

/** Attributes as the schema leaves them (no prototype), or undefined if not plain. */
function plainAttributes(raw: unknown): Attributes | undefined {
  if (!isFields(raw) || Array.isArray(raw)) return undefined;
  for (const key in raw) {
    const v = raw[key];
    if (key.length > 4096 || !(isText(v) || isFiniteNumber(v) || typeof v === "boolean"))
      return undefined;
  }
  // The parsed object is ours alone: dropping its prototype in place costs a tenth of a copy.
  return Object.setPrototypeOf(raw, null) as Attributes;
}
const EXPLICIT_KEYS = ["kind", "boundaries", "counts"];
const EXPONENTIAL_KEYS = ["kind", "scale", "zeroCount", "positive", "negative"];
const RANGE_KEYS = ["offset", "counts"];

function plainRange(range: unknown): boolean {
  if (!isFields(range) || !onlyKeys(range, RANGE_KEYS)) return false;
  const { offset, counts } = range;
  if (!(Number.isInteger(offset) && Math.abs(offset as number) <= 2 ** 31)) return false;
  if (!Array.isArray(counts) || counts.length > 4096) return false;
  for (const c of counts) if (!isCount(c)) return false;
  return true;
}

function plainExponential(b: Fields): boolean {
  return (
    onlyKeys(b, EXPONENTIAL_KEYS) &&
    Number.isInteger(b.scale) &&
    (b.scale as number) >= -10 &&
    (b.scale as number) <= 20 &&
    isCount(b.zeroCount) &&
    plainRange(b.positive) &&
    plainRange(b.negative)
  );
}

/**
 * The fast path for the two event types that make up nearly all of a log: it accepts only
 * plain lines (explicit buckets, no extra fields) that the schema accepts too, and
 * returns undefined for everything else, which the schema then judges. zod costs 4-15 µs a
 * line here against ~1 µs for JSON.parse; a fuzz test holds the two to the same verdicts.
 */
function acceptObservation(value: unknown): RecordedEvent | undefined {
  if (!isFields(value) || !isFields(value.data)) return undefined;
  const { seq, time, type, data } = value;
  if (
    !(typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 1) ||
    !(isFiniteNumber(time) && Math.abs(time) <= MAX_TIME_MS) ||
    !isText(data.metric) ||
    Array.isArray(data)
  )
    return undefined;
  if (data.attributes !== undefined) {
    const copy = plainAttributes(data.attributes);
    if (!copy) return undefined;
    data.attributes = copy;
  }
  if (type === "GaugeObserved") {
    return isFiniteNumber(data.value) && onlyKeys(data, GAUGE_KEYS)
      ? (value as RecordedEvent)
      : undefined;
  }
  if (type !== "HistogramObserved") return undefined;
  const b = data.buckets;
  if (
    !isCount(data.count) ||
    !isFiniteNumber(data.sum) ||
    (data.min !== undefined && !isFiniteNumber(data.min)) ||
    (data.max !== undefined && !isFiniteNumber(data.max)) ||
    !onlyKeys(data, HISTOGRAM_KEYS) ||
    !isFields(b)
  )
    return undefined;
  if (b.kind === "exponential") return plainExponential(b) ? (value as RecordedEvent) : undefined;
  if (b.kind !== "explicit" || !onlyKeys(b, EXPLICIT_KEYS)) return undefined;
  const { boundaries, counts } = b;
  if (
    !Array.isArray(boundaries) ||
    !Array.isArray(counts) ||
    boundaries.length > 1000 ||
    counts.length !== boundaries.length + 1
  )
    return undefined;
  for (let i = 0; i < boundaries.length; i++) {
    const x: unknown = boundaries[i];
    if (!isFiniteNumber(x) || (i > 0 && x <= (boundaries[i - 1] as number))) return undefined;
  }
  for (const c of counts) if (!isCount(c)) return undefined;
  return value as RecordedEvent;
}

/** One log line, with a stable key order so equal events serialize byte for byte. */
export function serializeEvent(event: RecordedEvent): string {
  return JSON.stringify({ seq: event.seq, time: event.time, type: event.type, data: event.data });
}
