// `voxtrace transcribe FILE|-`: transcribes a WAV file or raw PCM on stdin.

import { Command } from "commander";
import { runTranscription } from "./runTranscription.js";
import {
  addPcmOptions,
  addSessionOptions,
  sessionConfig,
  sinkOptions,
  type SessionFlags,
} from "./sessionOptions.js";

interface TranscribeFlags extends SessionFlags {
  format: "s16le" | "f32le";
  rate?: number;
  channels?: number;
  realtime?: boolean;
  partials?: boolean;
  progress: boolean;
}

export function transcribeCommand(): Command {
  const command = new Command("transcribe")
    .description("transcribe a WAV file (or raw PCM on stdin with '-') to text")
    .argument("<input>", "a WAV file, or - to read raw PCM from stdin")
    .option("--realtime", "pace the input at real-time speed, as a microphone would")
    .option("--partials", "show partial hypotheses on stderr while speech goes on")
    .option("--no-progress", "no progress bar, even on a terminal");
  addPcmOptions(command, "on stdin");
  addSessionOptions(command);
  return command.action(async (input: string, flags: TranscribeFlags) => {
    await runTranscription({
      ...sessionConfig(flags),
      input,
      pcm: { format: flags.format, rate: flags.rate, channels: flags.channels },
      realtime: flags.realtime === true,
      sinks: sinkOptions(flags),
      partials: flags.partials === true,
      progress: flags.progress,
    });
  });
}
