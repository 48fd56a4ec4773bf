import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { OtelPipelineObserver } from "../../src/instrumentation/OtelPipelineObserver.js";
import type { Utterance } from "../../src/pipeline/Utterance.js";
import { startInMemoryNodeSdk } from "../support/inMemoryNodeSdk.js";

const utterance: Utterance = {
  index: 0,
  start: 0,
  end: 1,
  text: "hello",
  tokens: 2,
  latencyMs: 120,
  finalizeMs: 5,
};

/** One utterance with a VAD and an STT unit of work, as the pipeline reports it. */
async function transcribeOne(observer: OtelPipelineObserver): Promise<void> {
  observer.utteranceStarted(0, 0);
  await observer.work("vad", "vad.frames", 0, {}, () => Promise.resolve());
  await observer.work("stt", "stt.chunk", 0, { "voxtrace.stt.chunk.index": 0 }, () =>
    Promise.resolve(),
  );
  observer.utteranceDelivered(utterance, 1, 0.1);
}

async function expectLandedInSdk(sdk: ReturnType<typeof startInMemoryNodeSdk>) {
  const seen = await sdk.collect();
  const spans = sdk.spans();
  await sdk.shutdown();
  const stage = seen.get("voxtrace.stage.duration") as HistogramMetricData | undefined;
  expect(stage?.dataPoints.map((p) => [p.attributes["voxtrace.stage"], p.value.count])).toEqual([
    ["vad", 1],
    ["stt", 1],
  ]);
  expect(seen.value("voxtrace.utterances")).toBe(1);
  expect(spans.map((s) => s.name).sort()).toEqual(["stt.chunk", "utterance", "vad.frames"]);
  const root = spans.find((s) => s.name === "utterance")!;
  for (const child of spans.filter((s) => s !== root))
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
}

describe("OtelPipelineObserver with no providers given", () => {
  it("records spans and histograms into the NodeSDK the application started", async () => {
    const sdk = startInMemoryNodeSdk();
    const observer = new OtelPipelineObserver();
    await transcribeOne(observer);
    await expectLandedInSdk(sdk);
  });

  it("records into a NodeSDK started after the observer was made", async () => {
    const observer = new OtelPipelineObserver();
    const sdk = startInMemoryNodeSdk();
    await transcribeOne(observer);
    await expectLandedInSdk(sdk);
  });

  it("follows the global providers when one SDK is shut down and another started", async () => {
    const observer = new OtelPipelineObserver();
    const first = startInMemoryNodeSdk();
    await transcribeOne(observer);
    await first.shutdown();
    const second = startInMemoryNodeSdk();
    await transcribeOne(observer);
    await expectLandedInSdk(second);
  });
});
