import path from "node:path";
import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OtelPipelineObserver } from "../../src/instrumentation/OtelPipelineObserver.js";
import { openWavSource } from "../../src/pipeline/audio/openWavSource.js";
import { runPipeline } from "../../src/pipeline/Pipeline.js";
import type { Utterance } from "../../src/pipeline/Utterance.js";
import { ZipformerModel } from "../../src/pipeline/stt/ZipformerModel.js";
import { SileroVad } from "../../src/pipeline/vad/SileroVad.js";
import { VadSegmenter } from "../../src/pipeline/vad/VadSegmenter.js";
import { inMemoryMeter, inMemoryTracer } from "../support/inMemoryTelemetry.js";
import { AUDIO_DIR, MODEL_DIR } from "../support/runCli.js";

let model: ZipformerModel;
let vad: SileroVad;

async function transcribeWithTelemetry(recordTranscripts: boolean) {
  const traces = inMemoryTracer();
  const meter = inMemoryMeter();
  const observer = new OtelPipelineObserver({
    tracer: traces.tracer,
    meter: meter.meter,
    modelName: model.name,
    executionProvider: "cpu",
    recordTranscripts,
  });
  const delivered: Utterance[] = [];
  vad.reset();
  const source = await openWavSource(path.join(AUDIO_DIR, "session-dictation.wav"));
  await runPipeline({
    source,
    segmenter: new VadSegmenter(vad),
    model,
    observer,
    sinks: [
      {
        open: async () => {},
        close: async () => {},
        write: (u) => Promise.resolve(void delivered.push(u)),
      },
    ],
  });
  await source.close();
  const { metrics } = await meter.collect();
  return { spans: traces.spans(), metrics, delivered };
}

describe("OtelPipelineObserver on a real transcription", () => {
  beforeAll(async () => {
    model = await ZipformerModel.load(MODEL_DIR);
    vad = await SileroVad.load();
  });
  afterAll(async () => {
    await model.release();
    await vad.release();
  });

  it("makes one trace per utterance with stage spans as children of the utterance span", async () => {
    const { spans, delivered } = await transcribeWithTelemetry(false);
    const roots = spans.filter((s) => s.name === "utterance");
    expect(roots).toHaveLength(8);
    expect(new Set(roots.map((r) => r.spanContext().traceId)).size).toBe(8);
    for (const root of roots) {
      const children = spans.filter(
        (s) => s.parentSpanContext?.spanId === root.spanContext().spanId,
      );
      const names = new Set(children.map((c) => c.name));
      expect(names).toContain("stt.chunk");
      expect(names).toContain("stt.final");
      expect(names).toContain("inject");
      expect(children.every((c) => c.spanContext().traceId === root.spanContext().traceId)).toBe(
        true,
      );
      expect(root.attributes["voxtrace.audio.seconds"]).toBeGreaterThan(1);
      expect(root.attributes["voxtrace.stt.tokens"]).toBeGreaterThan(0);
      expect(root.attributes["voxtrace.model.name"]).toBe(model.name);
      expect(root.attributes["voxtrace.execution_provider"]).toBe("cpu");
    }
    const chunkSpans = spans.filter((s) => s.name === "stt.chunk");
    expect(
      chunkSpans.every((s) => typeof s.attributes["voxtrace.stt.chunk.index"] === "number"),
    ).toBe(true);
    expect(delivered).toHaveLength(8);
  });

  it("counts in each stage histogram exactly the units of work it recorded", async () => {
    const { spans, metrics } = await transcribeWithTelemetry(false);
    const stage = metrics.find(
      (m) => m.descriptor.name === "voxtrace.stage.duration",
    ) as HistogramMetricData;
    const count = (name: string) =>
      stage.dataPoints.find((p) => p.attributes["voxtrace.stage"] === name)?.value.count ?? 0;
    expect(count("inject")).toBe(8);
    // Every STT chunk and final decode is in the histogram; all of them are inside utterances here.
    expect(count("stt")).toBe(
      spans.filter((s) => s.name === "stt.chunk" || s.name === "stt.final").length,
    );
    const latency = metrics.find(
      (m) => m.descriptor.name === "voxtrace.utterance.latency",
    ) as HistogramMetricData;
    expect(latency.dataPoints[0]!.value.count).toBe(8);
    const utterances = metrics.find((m) => m.descriptor.name === "voxtrace.utterances");
    expect(utterances?.dataPoints[0]?.value).toBe(8);
    const audio = metrics.find((m) => m.descriptor.name === "voxtrace.audio.processed");
    expect(audio?.dataPoints[0]?.value).toBeCloseTo(38.1, 0);
  });

  it("keeps transcript text out of spans and metrics unless asked", async () => {
    const quiet = await transcribeWithTelemetry(false);
    const words = quiet.delivered.flatMap((u) => u.text.split(" ")).filter((w) => w.length > 5);
    const dump = JSON.stringify([
      quiet.spans.map((s) => [s.name, s.attributes, s.events]),
      quiet.metrics,
    ]);
    for (const word of words) expect(dump).not.toContain(word);

    const loud = await transcribeWithTelemetry(true);
    const texts = loud.spans
      .filter((s) => s.name === "utterance")
      .map((s) => s.attributes["voxtrace.transcript"]);
    expect(texts).toEqual(loud.delivered.map((u) => u.text));
  });
});

function inMemoryObserver() {
  const traces = inMemoryTracer();
  const { meter, collect } = inMemoryMeter();
  const observer = new OtelPipelineObserver({ tracer: traces.tracer, meter });
  const metrics = async () => (await collect()).metrics;
  return { observer, tracer: traces.tracer, spans: traces.exporter, metrics };
}

const utterance = (index: number): Utterance => ({
  index,
  start: 0,
  end: 1,
  text: "x",
  tokens: 1,
  latencyMs: 10,
  finalizeMs: 5,
});

describe("OtelPipelineObserver", () => {
  it("marks a failing stage and its utterance ERROR with the exception, and rethrows", async () => {
    const { observer, spans, metrics } = inMemoryObserver();
    observer.utteranceStarted(0, 0);
    const boom = new Error("encoder exploded");
    await expect(observer.work("stt", "stt.chunk", 0, {}, () => Promise.reject(boom))).rejects.toBe(
      boom,
    );
    observer.utteranceFailed(0, boom);
    for (const name of ["stt.chunk", "utterance"]) {
      const span = spans.getFinishedSpans().find((s) => s.name === name)!;
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "encoder exploded" });
      expect(span.events.map((e) => e.attributes?.["exception.message"])).toEqual([
        "encoder exploded",
      ]);
    }
    const stage = (await metrics()).find(
      (m) => m.descriptor.name === "voxtrace.stage.duration",
    ) as HistogramMetricData;
    expect(stage.dataPoints[0]!.value.count).toBe(1);
  });

  it("records work outside an utterance in the histogram without a span", async () => {
    const { observer, spans, metrics } = inMemoryObserver();
    expect(await observer.work("vad", "vad.frames", undefined, {}, () => Promise.resolve(7))).toBe(
      7,
    );
    observer.recordStage("vad", 0.004, undefined);
    expect(spans.getFinishedSpans()).toEqual([]);
    const stage = (await metrics()).find(
      (m) => m.descriptor.name === "voxtrace.stage.duration",
    ) as HistogramMetricData;
    expect(stage.dataPoints[0]!.attributes).toEqual({ "voxtrace.stage": "vad" });
    expect(stage.dataPoints[0]!.value.count).toBe(2);
  });

  it("starts each utterance in a trace of its own even inside a caller's span", () => {
    const { observer, tracer, spans } = inMemoryObserver();
    const outer = tracer.startSpan("caller");
    context.with(trace.setSpan(context.active(), outer), () => observer.utteranceStarted(0, 0));
    observer.utteranceDelivered(utterance(0), 1, 0.1);
    outer.end();
    const root = spans.getFinishedSpans().find((s) => s.name === "utterance")!;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).not.toBe(outer.spanContext().traceId);
  });

  it("ends a discarded utterance's span with the reason and counts no utterance", async () => {
    const { observer, spans, metrics } = inMemoryObserver();
    observer.utteranceStarted(3, 1.5);
    observer.utteranceDiscarded(3, "no text recognised");
    const span = spans.getFinishedSpans()[0]!;
    expect(span.attributes["voxtrace.utterance.discarded"]).toBe("no text recognised");
    expect(span.attributes["voxtrace.utterance.start"]).toBe(1.5);
    expect((await metrics()).find((m) => m.descriptor.name === "voxtrace.utterances")).toBe(
      undefined,
    );
  });

  it("reports the latest depth per queue, dropped audio from zero, and the real-time factor", async () => {
    const { observer, metrics } = inMemoryObserver();
    const dropped = () =>
      metrics().then(
        (all) => all.find((m) => m.descriptor.name === "voxtrace.audio.dropped")?.dataPoints[0],
      );
    expect((await dropped())?.value).toBe(0);
    observer.queueDepth("capture", 4);
    observer.queueDepth("inject", 1);
    observer.queueDepth("capture", 2);
    observer.audioDropped(0.25);
    observer.audioDropped(0.5);
    observer.utteranceStarted(0, 0);
    observer.utteranceDelivered(utterance(0), 2, 0.5);
    const all = await metrics();
    const depth = all.find((m) => m.descriptor.name === "voxtrace.queue.depth")!;
    expect(depth.dataPoints.map((p) => [p.attributes["voxtrace.queue"], p.value])).toEqual([
      ["capture", 2],
      ["inject", 1],
    ]);
    expect((await dropped())?.value).toBe(0.75);
    const rtf = all.find(
      (m) => m.descriptor.name === "voxtrace.real_time_factor",
    ) as HistogramMetricData;
    expect(rtf.dataPoints[0]!.value.sum).toBe(0.25);
  });
});
