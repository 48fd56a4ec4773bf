// The VAD thread's own code: loads Silero VAD, then runs a segmenter over each chunk it
// is sent and answers with the segment events, in order (see VadThread).

import { parentPort, workerData } from "node:worker_threads";
import { isVoxtraceError } from "../../errors.js";
import { SileroVad } from "./SileroVad.js";
import { VadSegmenter } from "./VadSegmenter.js";
import type { VadAnswer, VadRequest } from "./VadThread.js";

const port = parentPort!;
const { modelPath, threads } = workerData as { modelPath: string | undefined; threads: number };
const answer = (message: VadAnswer): void => port.postMessage(message);
const failed = (error: unknown): VadAnswer => ({
  kind: "failed",
  code: isVoxtraceError(error) ? error.code : "internal",
  message: error instanceof Error ? error.message : String(error),
});

let vad: SileroVad;
try {
  vad = await SileroVad.load({ ...(modelPath ? { modelPath } : {}), threads });
  answer({ kind: "ready" });
} catch (error) {
  answer(failed(error));
  port.close();
  process.exit(1);
}

let segmenter: VadSegmenter | undefined;
// One request at a time, in the order sent, whatever the model's run awaits.
let queue = Promise.resolve();
port.on("message", (request: VadRequest) => {
  queue = queue.then(() => handle(request)).catch((error: unknown) => answer(failed(error)));
});

async function handle(request: VadRequest): Promise<void> {
  switch (request.kind) {
    case "begin":
      vad.reset();
      segmenter = new VadSegmenter(vad, request.config);
      return;
    case "push": {
      const startedAt = performance.timeOrigin + performance.now();
      const events = await current().push(request.samples);
      const seconds = (performance.timeOrigin + performance.now() - startedAt) / 1000;
      // Each audio array is new and the segmenter keeps no reference to it (joinAudio):
      // it moves to the other thread without a copy.
      const buffers = events.flatMap((e) =>
        e.type === "audio" ? [e.samples.buffer as ArrayBuffer] : [],
      );
      port.postMessage(
        { kind: "segments", events, startedAt, seconds } satisfies VadAnswer,
        buffers,
      );
      return;
    }
    case "flush": {
      const startedAt = performance.timeOrigin + performance.now();
      answer({ kind: "segments", events: current().flush(), startedAt, seconds: 0 });
      return;
    }
    case "close":
      await vad.release();
      port.close();
      return;
  }
}

function current(): VadSegmenter {
  if (!segmenter) throw new Error("a VAD request before any segmenter began");
  return segmenter;
}
