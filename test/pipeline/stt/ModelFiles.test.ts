import { chmod, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { locateModelFiles, verifyModelFiles } from "../../../src/pipeline/stt/ModelFiles.js";

const MODEL_DIR = new URL(
  "../../../../shared/models/zipformer-gigaspeech-3.3m-int8/",
  import.meta.url,
).pathname.replace(/\/$/, "");

function thrown(fn: () => unknown): VoxtraceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VoxtraceError);
    return error as VoxtraceError;
  }
  throw new Error("expected a VoxtraceError");
}

describe("model files", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "voxtrace-files-"));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function upstreamLayout(name: string, files: string[]): Promise<string> {
    const dir = join(scratch, name);
    await cp(join(MODEL_DIR, "tokens.txt"), join(dir, "tokens.txt"));
    for (const file of files) await writeFile(join(dir, file), "");
    return dir;
  }

  it("finds the demo model's four files by absolute path", () => {
    const files = locateModelFiles(MODEL_DIR);
    expect(files).toEqual({
      dir: MODEL_DIR,
      name: "zipformer-gigaspeech-3.3m-int8",
      encoder: join(MODEL_DIR, "encoder.int8.onnx"),
      decoder: join(MODEL_DIR, "decoder.onnx"),
      joiner: join(MODEL_DIR, "joiner.int8.onnx"),
      tokens: join(MODEL_DIR, "tokens.txt"),
    });
  });

  it("prefers int8 files when an upstream release ships int8 and fp32 side by side", async () => {
    const dir = await upstreamLayout("upstream", [
      "encoder-epoch-99-avg-1-chunk-16-left-128.onnx",
      "encoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx",
      "decoder-epoch-99-avg-1-chunk-16-left-128.onnx",
      "joiner-epoch-99-avg-1-chunk-16-left-128.onnx",
      "joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx",
    ]);
    const files = locateModelFiles(dir);
    expect(files.encoder).toBe(join(dir, "encoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx"));
    expect(files.decoder).toBe(join(dir, "decoder-epoch-99-avg-1-chunk-16-left-128.onnx"));
    expect(files.joiner).toBe(join(dir, "joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx"));
    expect(files.name).toBe("upstream");
  });

  it("names the missing file, the directory and how to get a model", async () => {
    const dir = await upstreamLayout("no-decoder", ["encoder.onnx", "joiner.onnx"]);
    const error = thrown(() => locateModelFiles(dir));
    expect(error.code).toBe("model");
    expect(error.message).toBe(
      `decoder*.onnx is missing in ${dir} - get one with \`voxtrace models pull no-decoder\`, or pass --model DIR / set VOXTRACE_MODEL_DIR`,
    );
    expect(thrown(() => locateModelFiles(join(scratch, "nowhere"))).code).toBe("model");
  });

  it("verifies the demo model against its SHA256SUMS", async () => {
    const { files, checked } = await verifyModelFiles(MODEL_DIR);
    expect(files.encoder).toBe(join(MODEL_DIR, "encoder.int8.onnx"));
    expect(checked.sort()).toEqual(
      ["decoder.onnx", "encoder.int8.onnx", "joiner.int8.onnx", "tokens.txt"].sort(),
    );
  });

  it("reports a checksum mismatch as a model error naming the file", async () => {
    const dir = join(scratch, "tampered");
    await cp(MODEL_DIR, dir, { recursive: true });
    await chmod(dir, 0o755);
    await chmod(join(dir, "joiner.int8.onnx"), 0o644);
    await writeFile(join(dir, "joiner.int8.onnx"), "not the joiner");
    const error: unknown = await verifyModelFiles(dir).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("model");
    expect((error as VoxtraceError).message).toContain("joiner.int8.onnx: checksum mismatch");
  });

  it("checks that tokens.txt parses when there is no SHA256SUMS", async () => {
    const dir = await upstreamLayout("bad-tokens", ["encoder.onnx", "decoder.onnx", "joiner.onnx"]);
    await writeFile(join(dir, "tokens.txt"), "<blk> 0\nno-id-here\n");
    const error: unknown = await verifyModelFiles(dir).catch((failure: unknown) => failure);
    expect((error as VoxtraceError).code).toBe("model");
    expect((error as VoxtraceError).message).toContain("tokens.txt:2");
  });
});
