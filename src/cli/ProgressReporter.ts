// Progress on a terminal: a bar for long files (cli-progress) and, on request, the
// current partial hypothesis. Off the terminal it prints nothing, so logs stay clean.

import cliProgress from "cli-progress";

/** Files shorter than this finish before a bar is worth drawing. */
const MIN_SECONDS_FOR_BAR = 30;

export class ProgressReporter {
  readonly #stream: NodeJS.WritableStream;
  readonly #bar: cliProgress.SingleBar | undefined;

  constructor(
    stream: NodeJS.WritableStream,
    enabled: boolean,
    durationSeconds: number | undefined,
  ) {
    this.#stream = stream;
    const tty = (stream as { isTTY?: boolean }).isTTY === true;
    if (enabled && tty && durationSeconds !== undefined && durationSeconds >= MIN_SECONDS_FOR_BAR) {
      this.#bar = new cliProgress.SingleBar(
        {
          stream,
          format: "transcribing [{bar}] {percentage}% | {value}/{total} s audio | eta {eta}s",
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.#bar.start(Math.round(durationSeconds), 0);
    }
  }

  update(seconds: number): void {
    this.#bar?.update(Math.round(seconds));
  }

  partial(index: number, text: string): void {
    if (this.#bar) return; // the bar owns the line; partials would garble it
    this.#stream.write(`… [${index}] ${text}\n`);
  }

  stop(): void {
    this.#bar?.stop();
  }
}
