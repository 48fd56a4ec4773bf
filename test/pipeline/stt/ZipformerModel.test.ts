import { cp, chmod, mkdtemp, open, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { ZipformerModel } from "../../../src/pipeline/stt/ZipformerModel.js";

const MODEL_DIR = new URL(
  "../../../../shared/models/zipformer-gigaspeech-3.3m-int8/",
  import.meta.url,
).pathname;

async function loadError(dir: string): Promise<VoxtraceError> {
  const error: unknown = await ZipformerModel.load(dir).then(
    async (model) => {
      await model.release();
      return undefined;
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(VoxtraceError);
  return error as VoxtraceError;
}

describe("ZipformerModel", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "voxtrace-model-"));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** A writable copy of the demo model to break. */
  async function modelCopy(name: string): Promise<string> {
    const dir = join(scratch, name);
    await cp(MODEL_DIR, dir, { recursive: true });
    await chmod(dir, 0o755);
    return dir;
  }

  it("reads chunking, features and context from the model files and runs on the CPU here", async () => {
    const model = await ZipformerModel.load(MODEL_DIR, { provider: "auto", threads: 1 });
    try {
      expect(model.name).toBe("zipformer-gigaspeech-3.3m-int8");
      expect(model.chunkFrames).toBe(45);
      expect(model.shiftFrames).toBe(32);
      expect(model.featureDim).toBe(80);
      expect(model.contextSize).toBe(2);
      expect(model.stateNames).toContain("processed_lens");
      // The 37 float32 states travel packed as one (packEncoderStates), beside processed_lens.
      expect(model.stateNames).toEqual(["processed_lens", "states"]);
      expect(model.executionProvider.name).toBe("cpu");
      expect(model.executionProvider.reason).toMatch(/CUDA binaries not installed/);
      expect(model.loadMs).toBeGreaterThan(0);
      const states = model.initialStates();
      expect(states.processed_lens!.type).toBe("int64");
      expect(states.states!.dims).toEqual([79_744]);
    } finally {
      await model.release();
      await model.release();
    }
  });

  it("fails with a model error naming the missing joiner and how to get a model", async () => {
    const dir = await modelCopy("missing");
    await rm(join(dir, "joiner.int8.onnx"));
    const error = await loadError(dir);
    expect(error.code).toBe("model");
    expect(error.message).toContain(`joiner*.onnx is missing in ${dir}`);
    // "missing" is no catalog name, so the hint points at the catalog, not at a pull.
    expect(error.message).toContain("pass --model DIR with a complete model");
    expect(error.message).not.toContain("voxtrace models pull");
  });

  it("fails with a model error for a truncated encoder", async () => {
    const dir = await modelCopy("truncated");
    await chmod(join(dir, "encoder.int8.onnx"), 0o644);
    await truncate(join(dir, "encoder.int8.onnx"), 100_000);
    const error = await loadError(dir);
    expect(error.code).toBe("model");
    expect(error.message).toMatch(
      /encoder\.int8\.onnx: not a valid ONNX model .* - copy the model again/,
    );
  });

  it("fails with a model error for a decoder whose header is garbage", async () => {
    const dir = await modelCopy("garbled");
    const path = join(dir, "decoder.onnx");
    await chmod(path, 0o644);
    const file = await open(path, "r+");
    await file.write(Buffer.alloc(256, 0xff), 0, 256, 0);
    await file.close();
    const error = await loadError(dir);
    expect(error.code).toBe("model");
    expect(error.message).toContain("decoder.onnx: not a valid ONNX model");
  });

  it("refuses an explicit CUDA request on a machine without CUDA binaries", async () => {
    const error: unknown = await ZipformerModel.load(MODEL_DIR, { provider: "cuda" }).catch(
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("unavailable");
  });
});
