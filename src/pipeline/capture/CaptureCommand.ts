// Which program records the microphone: the user's --input-command, or the first of
// PipeWire, PulseAudio, ALSA and SoX found on PATH, each asked for 16 kHz mono s16le
// on stdout so no resampling is needed.

import { VoxtraceError } from "../../errors.js";
import type { RawPcmFormat } from "../audio/openPcmSource.js";
import { findOnPath } from "../sinks/findOnPath.js";

/** A recorder to run, and the PCM it writes to stdout. */
export interface CaptureCommand extends Readonly<RawPcmFormat> {
  /** What to show the user: the command line as typed or as built. */
  readonly description: string;
  readonly file: string;
  readonly args: readonly string[];
}

const DEFAULT_RECORDERS: readonly { file: string; args: readonly string[] }[] = [
  { file: "pw-record", args: ["--rate", "16000", "--channels", "1", "--format", "s16", "-"] },
  { file: "parec", args: ["--rate=16000", "--channels=1", "--format=s16le", "--raw"] },
  { file: "arecord", args: ["-q", "-t", "raw", "-f", "S16_LE", "-r", "16000", "-c", "1"] },
  {
    file: "sox",
    args: ["-q", "-d", "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-"],
  },
];

/**
 * The user's command runs through /bin/sh, so pipes and quoting work as typed; its
 * output is described by `pcm`. Without one, the first recorder on PATH is used.
 */
export async function resolveCaptureCommand(
  inputCommand: string | undefined,
  pcm: RawPcmFormat,
): Promise<CaptureCommand> {
  if (inputCommand !== undefined) {
    if (inputCommand.trim() === "") {
      throw new VoxtraceError("usage", "--input-command is empty: give a command that writes PCM");
    }
    return { description: inputCommand, file: "/bin/sh", args: ["-c", inputCommand], ...pcm };
  }
  for (const recorder of DEFAULT_RECORDERS) {
    if (await findOnPath(recorder.file)) {
      return {
        description: [recorder.file, ...recorder.args].join(" "),
        file: recorder.file,
        args: recorder.args,
        format: "s16le",
        rate: 16_000,
        channels: 1,
      };
    }
  }
  throw new VoxtraceError(
    "unavailable",
    `no audio recorder found on PATH (tried ${DEFAULT_RECORDERS.map((r) => r.file).join(", ")}): install pipewire-bin, pulseaudio-utils, alsa-utils or sox, or pass --input-command CMD`,
  );
}
