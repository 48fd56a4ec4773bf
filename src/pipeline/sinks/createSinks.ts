// Builds the sinks the command line asked for. Text goes to stdout (plain or JSON)
// unless the user only asked for injection.

import type { Writable } from "node:stream";
import { FileSink } from "./FileSink.js";
import { InjectSink } from "./InjectSink.js";
import { JsonSink } from "./JsonSink.js";
import type { Sink } from "./Sink.js";
import { TextSink } from "./TextSink.js";

export interface SinkOptions {
  json?: boolean;
  outputFile?: string | undefined;
  inject?: "wtype" | "xdotool" | "ydotool" | "clipboard" | undefined;
  injectCommand?: string | undefined;
  stdout?: Writable;
}

export function createSinks(options: SinkOptions): Sink[] {
  const stdout = options.stdout ?? process.stdout;
  const sinks: Sink[] = [options.json ? new JsonSink(stdout) : new TextSink(stdout)];
  if (options.outputFile) sinks.push(new FileSink(options.outputFile));
  if (options.inject) sinks.push(new InjectSink(options.inject));
  if (options.injectCommand)
    sinks.push(new InjectSink("command", { command: options.injectCommand }));
  return sinks;
}
