import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MODEL_NAME } from "../../src/models/ModelCatalog.js";
import { MODEL_DIR, runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-pull-"));
const archives = new Map<string, Buffer>();
let server: http.Server;
let baseUrl: string;

/** Packs `files` (name -> content or a special entry) under a top folder into .tar.bz2. */
function pack(label: string, build: (root: string) => void, tarArgs: string[] = []): Buffer {
  const work = path.join(tmp, `src-${label}`);
  mkdirSync(work, { recursive: true });
  build(work);
  const out = path.join(tmp, `${label}.tar.bz2`);
  execFileSync("tar", ["-cjf", out, ...tarArgs, "-C", work, "."]);
  return readFileSync(out);
}

const sha = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  // A real (copied) demo model, so the pulled directory also passes `models verify`.
  archives.set(
    "good",
    pack("good", (root) =>
      cpSync(MODEL_DIR, path.join(root, DEFAULT_MODEL_NAME), { recursive: true }),
    ),
  );
  archives.set(
    "dotdot",
    pack("dotdot", (root) => writeFileSync(path.join(root, "x"), "x"), [
      "--transform",
      "s,^\\./x,../evil,",
    ]),
  );
  archives.set(
    "symlink",
    pack("symlink", (root) => {
      mkdirSync(path.join(root, "m"));
      symlinkSync("/etc/passwd", path.join(root, "m", "tokens.txt"));
    }),
  );
  archives.set(
    "nomodel",
    pack("nomodel", (root) => {
      mkdirSync(path.join(root, "m"));
      writeFileSync(path.join(root, "m", "README.md"), "no model here\n");
    }),
  );
  archives.set("garbage", Buffer.from("<html>404 from a captive portal</html>\n"));
  server = http.createServer((request, response) => {
    const which = new URL(request.url ?? "/", "http://x").searchParams.get("a") ?? currentArchive;
    if (which === "cut") {
      // A connection that drops halfway through the promised length.
      const good = archives.get("good")!;
      response.writeHead(200, { "content-length": good.length });
      response.write(good.subarray(0, good.length >> 1), () => response.destroy());
      return;
    }
    const body = archives.get(which);
    if (!body || request.url?.includes("missing")) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

let currentArchive = "good";
function pull(archive: string, cacheDir: string, ...extra: string[]) {
  currentArchive = archive;
  return runCli(["models", "pull", DEFAULT_MODEL_NAME, "--cache-dir", cacheDir, ...extra], {
    env: { VOXTRACE_MODELS_BASE_URL: baseUrl },
  });
}

describe("voxtrace models pull", () => {
  it("downloads, checks the given checksum, unpacks into the cache, and the result verifies", async () => {
    const cache = path.join(tmp, "cache-good");
    const result = await pull("good", cache, "--sha256", sha(archives.get("good")!));
    expect(result.code, result.stderr).toBe(0);
    const dir = path.join(cache, DEFAULT_MODEL_NAME);
    expect(existsSync(path.join(dir, "encoder.int8.onnx"))).toBe(true);
    expect(result.stdout).toContain("matches the given --sha256");
    const verify = await runCli(["models", "verify", dir]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain("ok");
  });

  it("records the checksum when none is known, and says so", async () => {
    const result = await pull("good", path.join(tmp, "cache-tofu"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(sha(archives.get("good")!));
    expect(result.stdout).toContain("recorded");
  });

  it("refuses a checksum mismatch and leaves nothing behind", async () => {
    const cache = path.join(tmp, "cache-mismatch");
    const result = await pull("good", cache, "--sha256", "0".repeat(64));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/checksum mismatch/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it("reports a download cut off halfway in one line and leaves nothing behind", async () => {
    const cache = path.join(tmp, "cache-cut");
    const result = await pull("cut", cache);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/download failed .*--model DIR/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it.each(["dotdot", "symlink"])(
    "refuses an archive with a %s entry and leaves nothing behind",
    async (name) => {
      const cache = path.join(tmp, `cache-${name}`);
      const result = await pull(name, cache);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/refused archive entry/);
      expect(readdirSync(cache)).toEqual([]);
    },
  );

  it("refuses an archive without the model files and keeps the working cached model", async () => {
    const cache = path.join(tmp, "cache-keep");
    expect((await pull("good", cache)).code).toBe(0);
    const dir = path.join(cache, DEFAULT_MODEL_NAME);
    const before = readFileSync(path.join(dir, "encoder.int8.onnx"));
    const result = await pull("nomodel", cache);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      /^voxtrace: .*the archive holds no model \(encoder\*\.onnx, decoder\*\.onnx, joiner\*\.onnx, tokens\.txt missing.*the cache was not changed$/,
    );
    expect(readdirSync(cache)).toEqual([DEFAULT_MODEL_NAME]);
    expect(readFileSync(path.join(dir, "encoder.int8.onnx")).equals(before)).toBe(true);
    expect((await runCli(["models", "verify", dir])).code).toBe(0);
  });

  it("reports a download that is not an archive as bad input in one line, not an internal error", async () => {
    const cache = path.join(tmp, "cache-garbage");
    const result = await pull("garbage", cache);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/not a readable bzip2 archive/);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it("reports an unreachable server in one line with what to do", async () => {
    currentArchive = "good";
    const result = await runCli(
      ["models", "pull", DEFAULT_MODEL_NAME, "--cache-dir", path.join(tmp, "c-dead")],
      {
        env: { VOXTRACE_MODELS_BASE_URL: "http://127.0.0.1:9" },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/download failed .*--model DIR/);
  });

  it("rejects an unknown model name", async () => {
    const result = await runCli(["models", "pull", "no-such-model", "--cache-dir", tmp]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown model/);
  });
});

describe("voxtrace models list and verify", () => {
  it("lists the catalog and what is cached", async () => {
    const result = await runCli(["models", "list", "--cache-dir", path.join(tmp, "empty")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(DEFAULT_MODEL_NAME);
    expect(result.stdout).toContain("not downloaded");
  });

  it("verifies the shared demo model", async () => {
    const result = await runCli(["models", "verify", MODEL_DIR]);
    expect(result.code, result.stderr).toBe(0);
  });

  it("fails verification of a directory with a garbled encoder, with exit 2", async () => {
    const dir = path.join(tmp, "garbled");
    cpSync(MODEL_DIR, dir, { recursive: true });
    rmSync(path.join(dir, "SHA256SUMS"));
    writeFileSync(path.join(dir, "encoder.int8.onnx"), "not a model");
    const result = await runCli(["models", "verify", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/encoder/);
  });
});
