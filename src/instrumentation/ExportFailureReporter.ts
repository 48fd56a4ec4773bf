// Telemetry export failures must never break transcription or flood stderr: the SDK
// reports them through its diagnostic logger, where this class counts them and prints
// one line the first time; the voxtrace.telemetry.export.failures counter has the rest.

import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { escapeTerminal } from "../text/escapeTerminal.js";

export class ExportFailureReporter implements DiagLogger {
  #failures = 0;
  readonly #stderr: NodeJS.WritableStream;
  #installed = false;

  constructor(stderr: NodeJS.WritableStream = process.stderr) {
    this.#stderr = stderr;
  }

  get failures(): number {
    return this.#failures;
  }

  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    diag.setLogger(this, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
  }

  error(message: string, ...args: unknown[]): void {
    this.#failures++;
    if (this.#failures === 1) {
      const detail = [message, ...args]
        .map(describe)
        .filter((d) => d !== "")
        .join(" ");
      this.#stderr.write(
        `voxtrace: warning: telemetry export failed (${oneLine(detail)}); transcription goes on, further failures are counted in voxtrace.telemetry.export.failures\n`,
      );
    }
  }

  warn(): void {}
  info(): void {}
  debug(): void {}
  verbose(): void {}

  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    diag.disable();
  }
}

/**
 * The message of an error, whatever shape it reaches the logger in: an Error, an object
 * with a message, or the JSON the SDK's error handler makes of one (stack included).
 * Only the message's first line is kept: a stack is noise in a warning.
 */
function describe(value: unknown): string {
  if (typeof value === "string") {
    const text = value.trim();
    if (text.startsWith("{")) {
      try {
        return describe(JSON.parse(text) as unknown);
      } catch {
        // not JSON after all: the text is the message
      }
    }
    return text.split("\n")[0]!;
  }
  if (
    value instanceof Error ||
    (typeof value === "object" && value !== null && "message" in value)
  ) {
    const { message, code } = value as { message?: unknown; code?: unknown };
    const text = describe(typeof message === "string" ? message : String(message));
    return typeof code === "string" || typeof code === "number" ? `${text} [${code}]` : text;
  }
  if (typeof value === "object" && value !== null) return "";
  return String(value);
}

/** One line, terminal controls escaped, at most 160 characters. */
function oneLine(text: string): string {
  const line = escapeTerminal(text).replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
