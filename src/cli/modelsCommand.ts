// `voxtrace models list|verify DIR|pull NAME`: what models there are, whether a
// directory holds a usable one, and fetching one into the cache.

import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import cliProgress from "cli-progress";
import { VoxtraceError } from "../errors.js";
import { MODEL_CATALOG } from "../models/ModelCatalog.js";
import { modelCacheDir } from "../models/modelCacheDir.js";
import { pullModel } from "../models/pullModel.js";
import { verifyModelFiles } from "../pipeline/stt/ModelFiles.js";
import { ZipformerModel } from "../pipeline/stt/ZipformerModel.js";

export function modelsCommand(): Command {
  const models = new Command("models").description("list, verify and download models");
  models
    .command("list")
    .description("known models and which are in the cache")
    .option(
      "--cache-dir <dir>",
      "model cache (default: $VOXTRACE_CACHE_DIR or ~/.cache/voxtrace/models)",
    )
    .action(async (flags: { cacheDir?: string }) => {
      const cache = flags.cacheDir ?? modelCacheDir();
      process.stdout.write(`cache: ${cache}\n`);
      for (const entry of MODEL_CATALOG) {
        const size = await directorySize(path.join(cache, entry.name));
        const state =
          size === undefined ? "not downloaded" : `cached, ${(size / 1e6).toFixed(1)} MB`;
        process.stdout.write(`${entry.name}\n  ${entry.description}\n  ${state}\n`);
      }
    });
  models
    .command("verify")
    .description("check that DIR holds a complete, loadable streaming transducer")
    .argument("<dir>", "model directory")
    .action(async (dir: string) => {
      const { files, checked } = await verifyModelFiles(dir);
      const model = await ZipformerModel.load(dir, { provider: "cpu" });
      await model.release();
      process.stdout.write(
        `${files.dir}: ok - ${checked.length} file(s) checked, encoder/decoder/joiner load; chunk ${model.chunkFrames} frames, shift ${model.shiftFrames}\n`,
      );
    });
  models
    .command("pull")
    .description("download a named model into the cache")
    .argument("<name>", "a name from `voxtrace models list`")
    .option("--sha256 <hex>", "expected SHA-256 of the archive")
    .option(
      "--cache-dir <dir>",
      "model cache (default: $VOXTRACE_CACHE_DIR or ~/.cache/voxtrace/models)",
    )
    .action(async (name: string, flags: { sha256?: string; cacheDir?: string }) => {
      if (flags.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(flags.sha256)) {
        throw new VoxtraceError(
          "usage",
          `--sha256 ${flags.sha256}: expected 64 hexadecimal digits`,
        );
      }
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: "downloading [{bar}] {percentage}% | {value}/{total} MB",
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      let started = false;
      process.stderr.write(`voxtrace: downloading ${name}\n`);
      const result = await pullModel(name, {
        cacheDir: flags.cacheDir ?? modelCacheDir(),
        ...(flags.sha256 ? { sha256: flags.sha256 } : {}),
        onProgress: (received, total) => {
          if (!bar || total === undefined) return;
          if (!started) bar.start(Math.round(total / 1e6), 0);
          started = true;
          bar.update(Math.round(received / 1e6));
        },
      }).finally(() => bar?.stop());
      const how = {
        given: "matches the given --sha256",
        pinned: "matches the catalog",
        recorded: "recorded (no published checksum; pass --sha256 to check one)",
      }[result.verified];
      process.stdout.write(`${result.dir}\nsha256 ${result.sha256} ${how}\n`);
    });
  return models;
}

async function directorySize(dir: string): Promise<number | undefined> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    let total = 0;
    for (const entry of entries) {
      if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
    }
    return total;
  } catch {
    return undefined;
  }
}
