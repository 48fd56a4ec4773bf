import { chmod, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { DEFAULT_MODEL_NAME } from "../../../src/models/ModelCatalog.js";
import {
  locateModelFiles,
  modelVocabulary,
  verifyModelFiles,
} from "../../../src/pipeline/stt/ModelFiles.js";
import { ZipformerModel } from "../../../src/pipeline/stt/ZipformerModel.js";

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
    // "no-decoder" is no catalog name: `models pull no-decoder` would only fail again.
    expect(error.message).toBe(
      `decoder*.onnx is missing in ${dir} - pass --model DIR with a complete model (\`voxtrace models list\` shows ones to pull), or set VOXTRACE_MODEL_DIR`,
    );
    const catalogName = DEFAULT_MODEL_NAME;
    const named = await upstreamLayout(catalogName, ["encoder.onnx", "joiner.onnx"]);
    expect(thrown(() => locateModelFiles(named)).message).toContain(
      `get one with \`voxtrace models pull ${catalogName}\``,
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

  it("refuses a tokens.txt whose size disagrees with the model's vocabulary, loaded or verified", async () => {
    const dir = join(scratch, "short-tokens");
    await cp(MODEL_DIR, dir, { recursive: true });
    await chmod(dir, 0o755);
    await rm(join(dir, "SHA256SUMS"), { force: true });
    await chmod(join(dir, "tokens.txt"), 0o644);
    const lines = (await readFile(join(MODEL_DIR, "tokens.txt"), "utf8")).trimEnd().split("\n");
    await writeFile(join(dir, "tokens.txt"), `${lines.slice(0, -1).join("\n")}\n`);
    const message = `${join(dir, "tokens.txt")}: 499 tokens, but the model's vocabulary (the decoder's vocab_size) has 500: tokens.txt belongs to another model - `;
    const verified: unknown = await verifyModelFiles(dir).catch((failure: unknown) => failure);
    expect((verified as VoxtraceError).code).toBe("model");
    expect((verified as Error).message).toContain(message);
    const loaded: unknown = await ZipformerModel.load(dir, { provider: "cpu" }).catch(
      (failure: unknown) => failure,
    );
    expect((loaded as VoxtraceError).code).toBe("model");
    expect((loaded as Error).message).toContain(message);
  });

  it("reads the vocabulary from the joiner's output when the decoder does not declare it", () => {
    const joiner = {
      outputMetadata: [
        { name: "logit", isTensor: true as const, type: "float32" as const, shape: ["N", 500] },
      ],
    };
    expect(modelVocabulary(new Map(), joiner)).toEqual({ size: 500, from: "the joiner's output" });
    expect(modelVocabulary(new Map([["vocab_size", "80"]]), joiner)?.size).toBe(80);
    expect(modelVocabulary(new Map())).toBeUndefined();
  });

  it("checks that tokens.txt parses when there is no SHA256SUMS", async () => {
    const dir = await upstreamLayout("bad-tokens", ["encoder.onnx", "decoder.onnx", "joiner.onnx"]);
    await writeFile(join(dir, "tokens.txt"), "<blk> 0\nno-id-here\n");
    const error: unknown = await verifyModelFiles(dir).catch((failure: unknown) => failure);
    expect((error as VoxtraceError).code).toBe("model");
    expect((error as VoxtraceError).message).toContain("tokens.txt:2");
  });
});
