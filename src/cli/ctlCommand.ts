// `voxtrace ctl COMMAND`: talks to a running `voxtrace listen` over its control socket.

import path from "node:path";
import { Argument, Command, Option } from "commander";
import { VoxtraceError } from "../errors.js";
import { sendControlCommand } from "../daemon/ControlClient.js";
import {
  CONTROL_COMMANDS,
  type ControlCommand,
  type DaemonStatus,
} from "../daemon/ControlProtocol.js";
import { checkSocketDirectory } from "../daemon/checkSocketDirectory.js";
import { controlSocketPath } from "../daemon/controlSocketPath.js";
import { escapeTerminal } from "../text/escapeTerminal.js";
import { choiceOption, numberOption } from "./options.js";

interface CtlFlags {
  socket?: string;
  json?: boolean;
  timeout: number;
}

export function ctlCommand(): Command {
  return new Command("ctl")
    .description("control a running 'voxtrace listen': status, start, stop, toggle, shutdown")
    .addArgument(
      new Argument("<command>", CONTROL_COMMANDS.join(" | ")).argParser(
        choiceOption("command", CONTROL_COMMANDS),
      ),
    )
    .option("--socket <path>", "the daemon's control socket (default: as 'voxtrace listen')")
    .option("--json", "print the daemon's answer as JSON")
    .addOption(
      new Option("--timeout <s>", "how long to wait for an answer")
        .argParser(numberOption("--timeout", 0.1, 600))
        .default(5),
    )
    .action(async (command: ControlCommand, flags: CtlFlags) => {
      const socketPath = controlSocketPath(flags.socket);
      // A socket in a folder someone else controls may not be our daemon at all.
      checkSocketDirectory(path.dirname(socketPath));
      const response = await sendControlCommand(socketPath, command, flags.timeout * 1000);
      if (flags.json) process.stdout.write(`${jsonForTerminal(response)}\n`);
      if (!response.ok)
        throw new VoxtraceError("bad_input", `the daemon refused: ${oneLine(response.error)}`);
      if (flags.json) return;
      process.stdout.write(
        "uptimeSeconds" in response ? formatStatus(response) : `${response.state}\n`,
      );
    });
}

/** JSON escapes C0 controls itself; DEL and C1 need \\u escapes to stay off the terminal. */
function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A daemon's string shown inside one line: controls escaped, line breaks too. */
function oneLine(text: string): string {
  return escapeTerminal(text).replace(/\n/g, "\\n").replace(/\t/g, " ");
}

// Every string here comes from the daemon's answer, so each goes through oneLine.
function formatStatus(status: DaemonStatus): string {
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
  const optional = (bytes: number | null): string => (bytes === null ? "-" : mb(bytes));
  const alerts = status.alerts.map(
    (a) => `${oneLine(a.rule)} (${a.value.toPrecision(3)} > ${a.threshold})`,
  );
  const capture = status.capture;
  return [
    `state       ${status.state} (pid ${status.pid}, up ${formatDuration(status.uptimeSeconds)})`,
    `utterances  ${status.utterances}, latency P95 ${status.latencyP95Ms === null ? "-" : `${status.latencyP95Ms.toFixed(0)} ms`}${status.droppedSeconds > 0 ? `, ${status.droppedSeconds.toFixed(1)} s of audio dropped` : ""}`,
    `capture     ${capture.running ? "running" : "not running"}: ${oneLine(capture.command)}`,
    `            restarts ${capture.restarts}${capture.lastRestartReason ? ` (last: ${oneLine(capture.lastRestartReason)})` : ""}`,
    `memory      RSS ${mb(status.memory.rssBytes)}, heap ${mb(status.memory.heapUsedBytes)}`,
    `GPU         ${status.gpu ? `this process ${optional(status.gpu.processMemoryBytes)}, device ${optional(status.gpu.deviceMemoryBytes)}` : "none seen"}`,
    `alerts      ${alerts.length === 0 ? "none" : alerts.join(", ")}`,
    `event log   ${oneLine(status.eventLog)}`,
    "",
  ].join("\n");
}

function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}
