import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { V8HeapSampler } from "../../src/instrumentation/samplers/V8HeapSampler.js";
import { forceGc } from "../support/forceGc.js";
import { inMemoryMeter } from "../support/inMemoryTelemetry.js";

const MB = 1024 * 1024;

describe("V8HeapSampler", () => {
  it("reports no heap-after-GC value before a major GC, then the heap used right after it", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new V8HeapSampler();
    await sampler.start(meter);
    const before = await collect();
    await forceGc();
    const heapAfterGc = v8.getHeapStatistics().used_heap_size;
    const after = await collect();
    sampler.stop();
    await shutdown();
    expect(before.value("voxtrace.memory.heap.after_gc")).toBeUndefined();
    expect(before.value("v8js.memory.heap.used")).toBeGreaterThan(MB);
    const value = after.value("voxtrace.memory.heap.after_gc")!;
    expect(Math.abs(value - heapAfterGc)).toBeLessThan(2 * MB);
  });

  it("rises by what stays live across a major GC and not by garbage", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new V8HeapSampler();
    await sampler.start(meter);
    await forceGc();
    const baseline = (await collect()).value("voxtrace.memory.heap.after_gc")!;
    // A flat 20 MB one-byte string: V8 heap that stays reachable.
    // (Decoded as UTF-8: Node keeps large latin1 strings outside the heap.)
    const retained = Buffer.alloc(20 * MB, "x").toString("utf8");
    // And 50 MB of strings that are garbage by the next collection.
    for (let i = 0; i < 5; i++) Buffer.alloc(10 * MB, 65 + i).toString("utf8");
    await forceGc();
    const grown = (await collect()).value("voxtrace.memory.heap.after_gc")!;
    sampler.stop();
    await shutdown();
    expect(retained.length).toBe(20 * MB);
    expect(grown - baseline).toBeGreaterThan(15 * MB);
    expect(grown - baseline).toBeLessThan(30 * MB);
  });
});
