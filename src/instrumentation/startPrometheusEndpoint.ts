// The Prometheus scrape endpoint, started before the SDK so that a busy or bad port is
// a clear start-up error rather than an unhandled one later.

import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { VoxtraceError } from "../errors.js";

export async function startPrometheusEndpoint(
  host: string,
  port: number,
): Promise<PrometheusExporter> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new VoxtraceError(
      "usage",
      `Prometheus port ${port} is not a port number - pass --prometheus-port 1..65535, or 0 to disable`,
    );
  }
  const exporter = new PrometheusExporter({ host, port, preventServerStart: true });
  try {
    await exporter.startServer();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "in use" : `not available (${code ?? String(error)})`;
    throw new VoxtraceError(
      "unavailable",
      `${host}:${port} is ${why} - pass --prometheus-port N or 0 to disable, or --prometheus-host ADDR`,
      { cause: error },
    );
  }
  return exporter;
}
