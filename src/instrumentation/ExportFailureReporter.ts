// Telemetry export failures must never break transcription or flood stderr: the SDK
// reports them through its diagnostic logger, where this class counts them and prints
// one line the first time; the voxtrace.telemetry.export.failures counter has the rest.

import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";

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
      const detail = args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
      this.#stderr.write(
        `voxtrace: warning: telemetry export failed (${oneLine(`${message} ${detail}`)}); transcription goes on, further failures are counted in voxtrace.telemetry.export.failures\n`,
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

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
