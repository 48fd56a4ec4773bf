// The options `transcribe` and `listen` share: model and decoding, VAD, sinks,
// telemetry and the analyzer. Declared once so both commands read and check them alike.

import type { Command } from "commander";
import { Option } from "commander";
import { applyRuleOverrides } from "../analysis/RulesConfig.js";
import type { SinkOptions } from "../pipeline/sinks/createSinks.js";
import { MAX_INPUT_SAMPLE_RATE } from "../pipeline/audio/Resampler.js";
import { FAULT_HELP, parseFaults } from "../faults/FaultInjector.js";
import type { SessionConfig } from "../session/TranscriberSession.js";
import { choiceOption, collect, integerOption, numberOption } from "./options.js";

export interface SessionFlags {
  model?: string;
  json?: boolean;
  output?: string;
  inject?: "wtype" | "xdotool" | "ydotool" | "clipboard";
  injectCommand?: string;
  threads: number;
  vadThread: "auto" | "on" | "off";
  beam: number;
  provider: "auto" | "cpu" | "cuda";
  minSilence?: number;
  maxUtterance?: number;
  vadThreshold?: number;
  set?: string[];
  prometheusPort: number;
  prometheusHost: string;
  recordTranscripts?: boolean;
  events?: string;
  fault?: string[];
  analysisInterval: number;
  reportEvery: number;
}

export function addSessionOptions(command: Command): Command {
  return command
    .option(
      "--model <dir>",
      "model directory (default: $VOXTRACE_MODEL_DIR, else the pulled default model)",
    )
    .option("--json", "write one JSON object per utterance to stdout")
    .option("--output <file>", "also append the text to FILE")
    .addOption(
      new Option("--inject <method>", "type the text into the focused window").argParser(
        choiceOption("--inject", ["wtype", "xdotool", "ydotool", "clipboard"] as const),
      ),
    )
    .option("--inject-command <cmd>", "pipe each utterance's text to CMD's stdin")
    .option("--threads <n>", "ONNX Runtime intra-op threads", integerOption("--threads", 1, 64), 1)
    .addOption(
      new Option(
        "--vad-thread <when>",
        "run the VAD on its own thread, beside recognition (auto: with 2+ cores, for input read faster than real time)",
      )
        .argParser(choiceOption("--vad-thread", ["auto", "on", "off"] as const))
        .default("auto"),
    )
    .option(
      "--beam <n>",
      "modified beam search with N hypotheses (1 = greedy search)",
      integerOption("--beam", 1, 32),
      1,
    )
    .addOption(
      new Option("--provider <name>", "execution provider")
        .argParser(choiceOption("--provider", ["auto", "cpu", "cuda"] as const))
        .default("auto"),
    )
    .option(
      "--min-silence <ms>",
      "silence that ends an utterance",
      integerOption("--min-silence", 32, 10000),
    )
    .option(
      "--max-utterance <s>",
      "longest utterance before a forced split",
      numberOption("--max-utterance", 1, 600),
    )
    .option(
      "--vad-threshold <p>",
      "speech probability that starts speech",
      numberOption("--vad-threshold", 0.01, 0.99),
    )
    .option(
      "--prometheus-port <n>",
      "Prometheus metrics endpoint port (0 disables)",
      integerOption("--prometheus-port", 0, 65535),
      9464,
    )
    .option("--prometheus-host <host>", "address the metrics endpoint listens on", "127.0.0.1")
    .option(
      "--record-transcripts",
      "put recognised text on telemetry (off: transcripts stay private)",
    )
    .option("--set <rule.field=value>", "override an alert rule setting (repeatable)", collect)
    .option(
      "--events <log>",
      "event log path (default: a new file under $XDG_STATE_HOME/voxtrace/sessions)",
    )
    .option(
      "--analysis-interval <ms>",
      "how often the analyzer reads the metrics",
      integerOption("--analysis-interval", 100, 600000),
      5000,
    )
    .option(
      "--report-every <minutes>",
      "status line on stderr every N minutes (0: never)",
      numberOption("--report-every", 0, 1440),
      5,
    )
    .option("--fault <kind=value>", FAULT_HELP, collect);
}

export function sessionConfig(flags: SessionFlags): SessionConfig {
  return {
    modelDir: flags.model,
    threads: flags.threads,
    vadThread: flags.vadThread,
    beam: flags.beam,
    provider: flags.provider,
    analysis: {
      eventsPath: flags.events,
      rules: applyRuleOverrides(flags.set ?? []),
      intervalMs: flags.analysisInterval,
    },
    faults: parseFaults(flags.fault ?? []),
    reportEveryMs: flags.reportEvery * 60_000,
    telemetry: {
      prometheusPort: flags.prometheusPort,
      prometheusHost: flags.prometheusHost,
      recordTranscripts: flags.recordTranscripts === true,
    },
    vad: {
      minSilenceMs: flags.minSilence,
      maxUtteranceSeconds: flags.maxUtterance,
      threshold: flags.vadThreshold,
    },
  };
}

export function sinkOptions(flags: SessionFlags): SinkOptions {
  return {
    json: flags.json === true,
    outputFile: flags.output,
    inject: flags.inject,
    injectCommand: flags.injectCommand,
  };
}

/** The raw PCM options: stdin for `transcribe`, the capture command's output for `listen`. */
export function addPcmOptions(
  command: Command,
  what: string,
  defaults: { rate?: number; channels?: number } = {},
): Command {
  const rate = new Option("--rate <hz>", `raw PCM sample rate ${what}`).argParser(
    integerOption("--rate", 1000, MAX_INPUT_SAMPLE_RATE),
  );
  const channels = new Option("--channels <n>", `raw PCM channels ${what}`).argParser(
    integerOption("--channels", 1, 32),
  );
  if (defaults.rate !== undefined) rate.default(defaults.rate);
  if (defaults.channels !== undefined) channels.default(defaults.channels);
  return command
    .addOption(
      new Option("--format <format>", `raw PCM sample format ${what}`)
        .argParser(choiceOption("--format", ["s16le", "f32le"] as const))
        .default("s16le"),
    )
    .addOption(rate)
    .addOption(channels);
}
