// An archive is input: whatever its bytes, extracting it ends in a list of files or a
// one-line bad_input error, within its bounds, and never writes outside the target.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import fc from "fast-check";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isVoxtraceError } from "../../src/errors.js";
import { extractArchive } from "../../src/models/extractArchive.js";

const RUNS = 100;
const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-extract-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function tarOf(entries: { name: string; type?: "file" | "directory"; body?: string }[]) {
  const pack = tar.pack();
  const packed = buffer(pack);
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(header, body ?? "", (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  return packed;
}
const bzip2 = (data: Uint8Array): Buffer => execFileSync("bzip2", ["-c"], { input: data });

let goodTar: Buffer;
let goodArchive: Buffer;
beforeAll(async () => {
  goodTar = await tarOf([
    { name: "m/", type: "directory" },
    { name: "m/tokens.txt", body: "a 0\nb 1\n" },
    { name: "m/sub/", type: "directory" },
    { name: "m/sub/x.onnx", body: "x".repeat(3000) },
  ]);
  goodArchive = bzip2(goodTar);
});

/** Extracts `bytes` in a sandbox; returns what happened. */
async function attempt(bytes: Uint8Array, limits = { maxBytes: 1 << 20, maxEntries: 50 }) {
  const outside = path.join(tmp, `box-${++n}`);
  mkdirSync(outside);
  const file = path.join(outside, "a.tar.bz2");
  writeFileSync(file, bytes);
  const outcome = await extractArchive(file, path.join(outside, "model"), limits).then(
    (files) => ({ files }),
    (error: unknown) => ({ error }),
  );
  const left = readdirSync(outside).sort();
  rmSync(outside, { recursive: true, force: true });
  return { outcome, left };
}

function expectContained(result: Awaited<ReturnType<typeof attempt>>): void {
  if ("error" in result.outcome) {
    const error = result.outcome.error;
    expect(isVoxtraceError(error) ? error.code : error).toBe("bad_input");
    expect((error as Error).message).toMatch(/^[^\n]+$/);
  }
  expect(result.left.filter((f) => f !== "a.tar.bz2" && f !== "model")).toEqual([]);
}

describe("extractArchive on any bytes", () => {
  it("extracts or refuses with one bad_input line: random bytes, with and without bzip2's magic", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (bytes, magic) => {
        const data = magic ? Buffer.concat([Buffer.from("BZh9"), bytes]) : bytes;
        expectContained(await attempt(data));
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("extracts or refuses with one bad_input line: a good archive with bytes flipped or cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (flips, cut) => {
          const data = Buffer.from(goodArchive);
          for (const [at, value] of flips) data[at % data.length] = value;
          expectContained(
            await attempt(cut === undefined ? data : data.subarray(0, cut % data.length)),
          );
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("extracts or refuses with one bad_input line: a tar with bytes flipped, then compressed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (flips) => {
          const data = Buffer.from(goodTar);
          // Headers hold the interesting fields (name, size, type): aim most flips there.
          for (const [at, value] of flips) data[at % 3 === 0 ? at % data.length : at % 512] = value;
          expectContained(await attempt(bzip2(data)));
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("extracts or refuses with one bad_input line: random entry lists within the bounds", async () => {
    const name = fc.stringMatching(/^[a-z./]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: name.map((s) => `m/${s}`),
            type: fc.constantFrom("file" as const, "directory" as const),
            body: fc.string({ maxLength: 50 }),
          }),
          { maxLength: 12 },
        ),
        async (entries) => {
          const list = entries.map((e) => (e.type === "directory" ? { ...e, body: "" } : e));
          const result = await attempt(bzip2(await tarOf(list)), { maxBytes: 200, maxEntries: 8 });
          expectContained(result);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
