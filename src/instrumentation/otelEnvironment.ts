// The OTEL_* variables the SDK is built from. They are checked where they enter: a value
// the SDK would choke on (a negative interval, an unknown protocol, a URL that is not
// one) is dropped with one warning line, so the SDK uses its default and telemetry
// settings never stop a transcription. sdk-node reads process.env directly, so the
// chosen variables (plus our quiet defaults) are laid over process.env only while the
// SDK's parts are constructed, then process.env is put back as it was.

import { escapeTerminal } from "../text/escapeTerminal.js";

/** Largest delay a Node timer honours; past it the timer fires at once, in a loop. */
const MAX_TIMER_MS = 2_147_483_647;

type Check = (value: string) => boolean;

const wholeNumber =
  (min: number, max = MAX_TIMER_MS): Check =>
  (value) =>
    /^\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max;
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    allowed.includes(value.trim());
const listOf =
  (...allowed: string[]): Check =>
  (value) =>
    value.split(",").every((item) => allowed.includes(item.trim()));
const url: Check = (value) => {
  try {
    return ["http:", "https:"].includes(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
};
const fraction: Check = (value) =>
  /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) && Number(value) >= 0 && Number(value) <= 1;

const DURATION_MS = wholeNumber(1);
const SIZE = wholeNumber(1, 1_000_000);
const LIMIT = wholeNumber(0, 1_000_000_000);
const PROTOCOL = oneOf("grpc", "http/protobuf", "http/json");

/** What each OTEL_* variable we or sdk-node read must look like, and what it means. */
const CHECKS: Record<string, { check: Check; expected: string }> = {
  OTEL_METRIC_EXPORT_INTERVAL: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_METRIC_EXPORT_TIMEOUT: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_BSP_SCHEDULE_DELAY: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_BSP_EXPORT_TIMEOUT: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_BSP_MAX_QUEUE_SIZE: { check: SIZE, expected: "a count from 1" },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: { check: SIZE, expected: "a count from 1" },
  OTEL_BLRP_SCHEDULE_DELAY: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_BLRP_EXPORT_TIMEOUT: { check: DURATION_MS, expected: "milliseconds from 1" },
  OTEL_BLRP_MAX_QUEUE_SIZE: { check: SIZE, expected: "a count from 1" },
  OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: { check: SIZE, expected: "a count from 1" },
  ...Object.fromEntries(
    ["", "_TRACES", "_METRICS", "_LOGS"].flatMap((signal) => [
      [
        `OTEL_EXPORTER_OTLP${signal}_TIMEOUT`,
        { check: DURATION_MS, expected: "milliseconds from 1" },
      ],
      [
        `OTEL_EXPORTER_OTLP${signal}_PROTOCOL`,
        { check: PROTOCOL, expected: "grpc, http/protobuf or http/json" },
      ],
      [
        `OTEL_EXPORTER_OTLP${signal}_ENDPOINT`,
        { check: url, expected: "an http:// or https:// URL" },
      ],
    ]),
  ),
  ...Object.fromEntries(
    [
      "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
      "OTEL_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
      "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_SPAN_EVENT_COUNT_LIMIT",
      "OTEL_SPAN_LINK_COUNT_LIMIT",
      "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
      "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
    ].map((name) => [name, { check: LIMIT, expected: "a count from 0" }]),
  ),
  OTEL_TRACES_EXPORTER: {
    check: listOf("otlp", "zipkin", "jaeger", "console", "none"),
    expected: "otlp, zipkin, jaeger, console or none",
  },
  OTEL_METRICS_EXPORTER: {
    check: listOf("otlp", "prometheus", "console", "none"),
    expected: "otlp, prometheus, console or none",
  },
  OTEL_LOGS_EXPORTER: {
    check: listOf("otlp", "console", "none"),
    expected: "otlp, console or none",
  },
  OTEL_TRACES_SAMPLER: {
    check: oneOf(
      "always_on",
      "always_off",
      "traceidratio",
      "parentbased_always_on",
      "parentbased_always_off",
      "parentbased_traceidratio",
    ),
    expected: "a sampler name from the OpenTelemetry specification",
  },
  OTEL_TRACES_SAMPLER_ARG: { check: fraction, expected: "a number from 0 to 1" },
};

/**
 * The OTEL_* variables of `env`, each bad one dropped with a line to `warn`, and then
 * our defaults. sdk-node exports traces and logs over OTLP to localhost:4318 unless told
 * otherwise; with no endpoint that only produces connection errors, so our default is
 * "none" until an OTLP endpoint or an exporter variable is set. Metrics get the same
 * rule in otlpMetricReaderFromEnv.
 */
export function otelEnvironment(
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void = () => {},
): Record<string, string> {
  const otel: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("OTEL_") || value === undefined) continue;
    const rule = CHECKS[key];
    // Empty means unset to the SDK too; anything else must pass its check.
    if (rule && value.trim() !== "" && !rule.check(value)) {
      warn(`voxtrace: warning: ${key}=${shown(value)} is not ${rule.expected}; using the default`);
      continue;
    }
    otel[key] = value;
  }
  const hasEndpoint = (signal: string): boolean =>
    Boolean(otel.OTEL_EXPORTER_OTLP_ENDPOINT || otel[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
  if (!otel.OTEL_TRACES_EXPORTER && !hasEndpoint("TRACES")) otel.OTEL_TRACES_EXPORTER = "none";
  if (!otel.OTEL_LOGS_EXPORTER && !hasEndpoint("LOGS")) otel.OTEL_LOGS_EXPORTER = "none";
  return otel;
}

/** A value echoed in a warning: one line, controls escaped, cut short. */
function shown(value: string): string {
  const escaped = escapeTerminal(value).replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return `'${escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped}'`;
}

/** Runs `build` with exactly `otel` as the process's OTEL_* variables, then restores them. */
export function withOtelEnvironment<T>(otel: Record<string, string>, build: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("OTEL_")) saved[key] = process.env[key];
  }
  for (const key of Object.keys(saved)) delete process.env[key];
  Object.assign(process.env, otel);
  try {
    return build();
  } finally {
    for (const key of Object.keys(otel)) delete process.env[key];
    for (const [key, value] of Object.entries(saved))
      if (value !== undefined) process.env[key] = value;
  }
}

export function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}
