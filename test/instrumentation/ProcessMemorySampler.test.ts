import { describe, expect, it } from "vitest";
import { ProcessMemorySampler } from "../../src/instrumentation/samplers/ProcessMemorySampler.js";
import { inMemoryMeter } from "../support/inMemoryTelemetry.js";

const MB = 1024 * 1024;

describe("ProcessMemorySampler", () => {
  it("reports RSS, RSS minus the V8 heap as native memory, and external memory", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new ProcessMemorySampler();
    await sampler.start(meter);
    const seen = await collect();
    const memory = process.memoryUsage();
    // 64 MB outside the V8 heap, filled so its pages are resident.
    const buffer = Buffer.alloc(64 * MB, 1);
    const grown = await collect();
    sampler.stop();
    await shutdown();
    const rss = seen.value("process.memory.usage")!;
    expect(Math.abs(rss - memory.rss)).toBeLessThan(8 * MB);
    expect(
      Math.abs(seen.value("voxtrace.memory.native")! - (memory.rss - memory.heapTotal)),
    ).toBeLessThan(8 * MB);
    expect(seen.value("voxtrace.memory.native")!).toBeLessThan(rss);
    expect(seen.value("voxtrace.memory.external")).toBeGreaterThan(0);
    // The buffer is external memory; a GC between the two reads may free other external
    // memory (a CI run saw the difference 0.8 MB short of the buffer), so allow what the
    // checks above allow.
    expect(grown.value("voxtrace.memory.external")!).toBeGreaterThanOrEqual(buffer.length);
    expect(
      grown.value("voxtrace.memory.external")! - seen.value("voxtrace.memory.external")!,
    ).toBeGreaterThan(buffer.length - 8 * MB);
    expect(
      grown.value("voxtrace.memory.native")! - seen.value("voxtrace.memory.native")!,
    ).toBeGreaterThan(56 * MB);
  });
});
