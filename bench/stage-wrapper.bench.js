// Cost of one observer.work() call (child span + stage histogram record) beside the bare
// SDK doing the same (start/end one span, record one histogram value) and a no-op
// baseline, all in this process with the same providers.

import { context, trace } from "@opentelemetry/api";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { NOOP_OBSERVER, OtelPipelineObserver } from "../dist/index.js";

const N = 100_000;
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter(), { maxQueueSize: 4096 })],
});
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
      exportIntervalMillis: 3_600_000,
    }),
  ],
});
const tracer = tracerProvider.getTracer("bench");
const meter = meterProvider.getMeter("bench");
const observer = new OtelPipelineObserver({ tracer, meter });
observer.utteranceStarted(0, 0);
const histogram = meter.createHistogram("bare.duration", { unit: "s" });
const attributes = { "voxtrace.stage": "stt" };
const root = tracer.startSpan("root");
const rootContext = trace.setSpan(context.active(), root);
const work = () => Promise.resolve(1);

async function time(label, fn) {
  for (let i = 0; i < 5000; i++) await fn(); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn();
  return { label, ns: Number(process.hrtime.bigint() - started) / N };
}

const rows = [];
for (let round = 0; round < 3; round++) {
  rows.push(
    await time("baseline: no-op observer", () => NOOP_OBSERVER.work("stt", "x", 0, {}, work)),
  );
  rows.push(
    await time("bare SDK: span + histogram record", async () => {
      const span = tracer.startSpan("stt.chunk", undefined, rootContext);
      const t = performance.now();
      await work();
      histogram.record((performance.now() - t) / 1000, attributes);
      span.end();
    }),
  );
  rows.push(
    await time("voxtrace observer.work()", () =>
      observer.work("stt", "stt.chunk", 0, attributes, work),
    ),
  );
}
const best = new Map();
for (const r of rows) best.set(r.label, Math.min(best.get(r.label) ?? Infinity, r.ns));
const bare = best.get("bare SDK: span + histogram record");
console.log(`per call, best of 3 rounds of ${N} calls`);
console.log("| scenario | ns/call | vs bare SDK |");
console.log("|---|---:|---:|");
for (const [label, ns] of best)
  console.log(`| ${label} | ${ns.toFixed(0)} | ${(ns / bare).toFixed(2)}x |`);
await tracerProvider.shutdown();
await meterProvider.shutdown();
