// The VAD on its own thread must segment exactly as the VAD on this one, however the audio
// is cut into chunks and however far the pushes run ahead, and must fail, stop and let
// the process exit cleanly. The thread runs from the build, so this test uses dist/ (npm
// test builds first).

import { spawn } from "node:child_process";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VadThread } from "../../../dist/pipeline/vad/VadThread.js";
import type { SegmentEvent } from "../../../src/pipeline/Recognizer.js";
import { SileroVad } from "../../../src/pipeline/vad/SileroVad.js";
import { VadSegmenter, type VadConfig } from "../../../src/pipeline/vad/VadSegmenter.js";
import { samplesOf } from "../../support/readAudio.js";
import { REPO } from "../../support/runCli.js";

let vad: SileroVad;
let thread: VadThread;
beforeAll(async () => {
  vad = await SileroVad.load();
  thread = await VadThread.start();
});
afterAll(async () => {
  await vad.release();
  await thread.release();
});

/** `samples` cut at `cuts` (sorted offsets), as chunks. */
function chunksOf(samples: Float32Array, cuts: readonly number[]): Float32Array[] {
  const edges = [0, ...cuts, samples.length];
  return edges.slice(1).map((end, i) => samples.slice(edges[i], end));
}

async function onThisThread(
  chunks: readonly Float32Array[],
  config: Partial<VadConfig>,
): Promise<SegmentEvent[]> {
  vad.reset();
  const segmenter = new VadSegmenter(vad, config);
  const events: SegmentEvent[] = [];
  for (const chunk of chunks) events.push(...(await segmenter.push(chunk)));
  return [...events, ...segmenter.flush()];
}

/** Every chunk is pushed before any answer is awaited, as the pipeline may. */
async function onItsThread(
  chunks: readonly Float32Array[],
  config: Partial<VadConfig>,
): Promise<SegmentEvent[]> {
  const segmenter = thread.segmenter(config);
  const batches = await Promise.all(chunks.map((chunk) => segmenter.push(chunk)));
  return [...batches.flatMap((batch) => batch.events), ...(await segmenter.flush())];
}

/**
 * Events with each run of audio as one plain array, so equality compares the samples
 * between starts and ends (the thread sends a run of frames as one array).
 */
function comparable(events: SegmentEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const last = out.at(-1) as { type: string; samples: number[] } | undefined;
    if (e.type !== "audio") out.push(e);
    else if (last?.type === "audio") last.samples.push(...e.samples);
    else out.push({ type: "audio", samples: Array.from(e.samples) });
  }
  return out;
}

describe("VadThread", () => {
  it("gives the same segment events as the VAD on this thread, however the audio is chunked", async () => {
    const samples = await samplesOf("session-dictation.wav");
    for (const size of [4096, 1600, 512, 333]) {
      const cuts = Array.from(
        { length: Math.ceil(samples.length / size) - 1 },
        (_, i) => (i + 1) * size,
      );
      const chunks = chunksOf(samples, cuts);
      const config = size === 333 ? { minSilenceMs: 300, tailMs: 0 } : {};
      const mine = await onThisThread(chunks, config);
      expect(mine.some((e) => e.type === "end")).toBe(true);
      const theirs = await onItsThread(chunks, config);
      expect(comparable(theirs)).toEqual(comparable(mine));
    }
  });

  it("agrees with this thread for any cutting of an utterance (fuzzed)", async () => {
    const samples = (await samplesOf("utt-02.wav")).subarray(0, 3 * 16000);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: samples.length - 1 }), { maxLength: 30 }),
        fc.record({ minSilenceMs: fc.constantFrom(100, 500), tailMs: fc.constantFrom(0, 200) }),
        async (cuts, config) => {
          const chunks = chunksOf(
            samples,
            [...cuts].sort((a, b) => a - b),
          );
          expect(comparable(await onItsThread(chunks, config))).toEqual(
            comparable(await onThisThread(chunks, config)),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it("reports when the VAD began each chunk and how long it took, on this thread's clock", async () => {
    const before = performance.now();
    const batch = await thread.segmenter().push(new Float32Array(4096));
    expect(batch.startedAt).toBeGreaterThanOrEqual(before - 5);
    expect(batch.startedAt).toBeLessThanOrEqual(performance.now());
    expect(batch.seconds).toBeGreaterThan(0);
    expect(batch.seconds).toBeLessThan(5);
  });

  it("refuses a segmenter used after a newer one began", async () => {
    const old = thread.segmenter();
    thread.segmenter();
    await expect(old.push(new Float32Array(512))).rejects.toThrow(/newer one began/);
  });

  it("names a missing VAD model as SileroVad.load does", async () => {
    const error = await VadThread.start({ modelPath: "/nonexistent/vad.onnx" }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe("model");
    expect(error?.message).toMatch(/nonexistent\/vad\.onnx: cannot load the Silero VAD model/);
  });

  it("rejects work in flight and after release, and releases twice without harm", async () => {
    const own = await VadThread.start();
    const segmenter = own.segmenter();
    const pushes = Array.from({ length: 8 }, () => segmenter.push(new Float32Array(16000)));
    const outcomes = Promise.allSettled(pushes);
    await own.release();
    const settled = await outcomes;
    // Pushes answered before the release resolve; the rest are rejected, none hangs.
    for (const s of settled) {
      if (s.status === "rejected") expect(String(s.reason)).toMatch(/VAD thread was released/);
    }
    await expect(segmenter.push(new Float32Array(512))).rejects.toThrow(/released/);
    await expect(own.release()).resolves.toBeUndefined();
  });

  it("starts in a process run with V8 options a thread may not have (node --expose-gc)", async () => {
    const { out, code } = await runScript(
      ["--expose-gc", "--max-old-space-size=512"],
      "await thread.release();",
    );
    expect(out).toContain("answered 0");
    expect(code).toBe(0);
  });

  it("does not keep the process alive once idle", async () => {
    // No release: the thread, idle after its answer, must not hold the process open.
    const { out, code } = await runScript([], "");
    expect(out).toContain("answered 0");
    expect(code).toBe(0);
  });
});

/**
 * Runs, in a new `node` with `nodeOptions`, a script that starts a VAD thread from the
 * build, pushes one chunk, prints the answer and then runs `ending`.
 */
async function runScript(
  nodeOptions: readonly string[],
  ending: string,
): Promise<{ out: string; code: number | null }> {
  const script = `
    import { VadThread } from ${JSON.stringify(path.join(REPO, "dist/pipeline/vad/VadThread.js"))};
    const thread = await VadThread.start();
    const batch = await thread.segmenter().push(new Float32Array(4096));
    console.log("answered", batch.events.length);
    ${ending}
  `;
  const child = spawn(process.execPath, [...nodeOptions, "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { out, code };
}
