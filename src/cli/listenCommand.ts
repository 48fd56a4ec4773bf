// `voxtrace listen`: the live dictation daemon, controlled with `voxtrace ctl`.

import { Command } from "commander";
import { controlSocketPath } from "../daemon/controlSocketPath.js";
import { runDaemon } from "../daemon/runDaemon.js";
import { numberOption } from "./options.js";
import {
  addPcmOptions,
  addSessionOptions,
  sessionConfig,
  sinkOptions,
  type SessionFlags,
} from "./sessionOptions.js";

interface ListenFlags extends SessionFlags {
  inputCommand?: string;
  format: "s16le" | "f32le";
  rate: number;
  channels: number;
  socket?: string;
  paused?: boolean;
  stallTimeout: number;
}

export function listenCommand(): Command {
  const command = new Command("listen")
    .description("live dictation: transcribe the microphone until shut down (see 'voxtrace ctl')")
    .option(
      "--input-command <cmd>",
      "shell command that writes raw PCM to stdout (default: pw-record, parec, arecord or sox, the first found)",
    )
    .option("--socket <path>", "control socket (default: $XDG_RUNTIME_DIR/voxtrace/control.sock)")
    .option("--paused", "start with recording stopped; 'voxtrace ctl start' begins")
    .option(
      "--stall-timeout <s>",
      "restart the capture command after this long without audio",
      numberOption("--stall-timeout", 0.5, 3600),
      10,
    );
  addPcmOptions(command, "from --input-command", { rate: 16_000, channels: 1 });
  addSessionOptions(command);
  return command.action(async (flags: ListenFlags) => {
    await runDaemon({
      ...sessionConfig(flags),
      sinks: sinkOptions(flags),
      inputCommand: flags.inputCommand,
      pcm: { format: flags.format, rate: flags.rate, channels: flags.channels },
      socketPath: controlSocketPath(flags.socket),
      startPaused: flags.paused === true,
      captureStallMs: flags.stallTimeout * 1000,
    });
  });
}
