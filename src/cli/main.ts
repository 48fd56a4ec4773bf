// Entry point of the `voxtrace` command: builds the program, runs it, and turns every
// failure into one line on stderr and an exit code (0 done, 2 bad usage/input, 1 internal).

import { Command, CommanderError } from "commander";
import { isVoxtraceError } from "../errors.js";
import { VERSION } from "../version.js";
import { analyzeCommand } from "./analyzeCommand.js";
import { compareCommand } from "./compareCommand.js";
import { ctlCommand } from "./ctlCommand.js";
import { listenCommand } from "./listenCommand.js";
import { reportCommand } from "./reportCommand.js";
import { modelsCommand } from "./modelsCommand.js";
import { transcribeCommand } from "./transcribeCommand.js";
import { escapeTerminal } from "../text/escapeTerminal.js";

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const program = new Command("voxtrace")
    .description("Streaming speech-to-text with OpenTelemetry: traces, metrics and alerts")
    .version(VERSION)
    .option("--debug", "print stack traces for errors")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .showHelpAfterError("(run with --help for usage)");
  program.addCommand(transcribeCommand());
  program.addCommand(listenCommand());
  program.addCommand(ctlCommand());
  program.addCommand(modelsCommand());
  program.addCommand(analyzeCommand());
  program.addCommand(reportCommand());
  program.addCommand(compareCommand());
  const exitOverrideAll = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverrideAll);
  };
  exitOverrideAll(program);

  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    return report(error, debug);
  }
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version are not failures; commander already printed its message.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === "commander.help") return 0;
    return 2;
  }
  if (isVoxtraceError(error)) {
    // A message may quote a log's bytes (an unknown event type): keep them off the tty.
    process.stderr.write(`voxtrace: ${escapeTerminal(error.message)}\n`);
    if (debug && error.cause) process.stderr.write(`${String(describe(error.cause))}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    debug
      ? `voxtrace: internal error: ${describe(error)}\n`
      : `voxtrace: internal error: ${error instanceof Error ? error.message : String(error)} (run with --debug for details)\n`,
  );
  return 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
