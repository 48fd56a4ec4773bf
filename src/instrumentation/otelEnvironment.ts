// The OTEL_* variables the SDK is built from. sdk-node reads process.env directly, so
// the chosen variables (plus our quiet defaults) are laid over process.env only while
// the SDK's parts are constructed, then process.env is put back as it was.

/**
 * sdk-node exports traces and logs over OTLP to localhost:4318 unless told otherwise.
 * With no endpoint configured that only produces connection errors, so our default is
 * "none" until an OTLP endpoint or an exporter variable is set. Metrics get the same
 * rule in otlpMetricReaderFromEnv.
 */
export function otelEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const otel: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith("OTEL_") && value !== undefined) otel[key] = value;
  }
  const hasEndpoint = (signal: string): boolean =>
    Boolean(otel.OTEL_EXPORTER_OTLP_ENDPOINT || otel[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
  if (!otel.OTEL_TRACES_EXPORTER && !hasEndpoint("TRACES")) otel.OTEL_TRACES_EXPORTER = "none";
  if (!otel.OTEL_LOGS_EXPORTER && !hasEndpoint("LOGS")) otel.OTEL_LOGS_EXPORTER = "none";
  return otel;
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
