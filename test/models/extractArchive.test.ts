// Archive entries that would write outside the target are refused with a bad_input error,
// before anything escapes: `..` components, absolute paths, symbolic and hard links. The
// archives are built entry by entry with tar-stream, since GNU tar will not write some
// of these (it strips a leading "/" and has no way to name a hard link outside).

import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import tar from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../src/errors.js";
import { extractArchive } from "../../src/models/extractArchive.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-extract-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

interface Entry {
  name: string;
  type?: "file" | "directory" | "symlink" | "link";
  linkname?: string;
  body?: string;
}

/** A .tar.bz2 of `entries`, in order. */
async function archive(entries: Entry[]): Promise<string> {
  const pack = tar.pack();
  const packed = buffer(pack); // read as it is written, so entries never wait on a full buffer
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(header, body ?? "", (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  const tarball = await packed;
  const file = path.join(tmp, `a-${++n}.tar.bz2`);
  writeFileSync(file, execFileSync("bzip2", ["-c"], { input: tarball }));
  return file;
}

/** A fresh target inside its own folder, so anything escaping it lands where we look. */
function sandbox(): { target: string; outside: string } {
  const outside = path.join(tmp, `box-${++n}`);
  mkdirSync(outside);
  return { target: path.join(outside, "model"), outside };
}

const top = { name: "model-x/", type: "directory" as const };
const tokens = { name: "model-x/tokens.txt", body: "a 0\n" };

describe("extractArchive", () => {
  it("unpacks files under the stripped top folder", async () => {
    const { target } = sandbox();
    const written = await extractArchive(await archive([top, tokens]), target);
    expect(written).toEqual(["tokens.txt"]);
    expect(readdirSync(target)).toEqual(["tokens.txt"]);
  });

  it.each<[string, Entry]>([
    ["a '..' component", { name: "model-x/../../evil.txt", body: "x" }],
    ["a leading '..'", { name: "../evil.txt", body: "x" }],
    ["a '..' behind a backslash", { name: "model-x\\..\\..\\evil.txt", body: "x" }],
    ["an absolute path", { name: "/tmp/voxtrace-evil.txt", body: "x" }],
    ["a symlink out", { name: "model-x/evil.txt", type: "symlink", linkname: "/etc/passwd" }],
    ["a relative symlink up", { name: "model-x/evil.txt", type: "symlink", linkname: "../../x" }],
    ["a hard link out", { name: "model-x/evil.txt", type: "link", linkname: "/etc/passwd" }],
    ["a hard link up", { name: "model-x/evil.txt", type: "link", linkname: "../../../x" }],
  ])("refuses an entry with %s, naming it, and writes nothing outside", async (_what, entry) => {
    const { target, outside } = sandbox();
    const file = await archive([top, tokens, entry, { name: "model-x/after.txt", body: "y" }]);
    const error = await extractArchive(file, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(
      /^[^\n]*refused archive entry '.*' \([^\n]+\) - [^\n]+$/,
    );
    expect((error as Error).message).toContain(entry.name);
    expect(readdirSync(outside)).toEqual(["model"]);
    expect(existsSync(path.join(target, "after.txt"))).toBe(false);
    expect(existsSync("/tmp/voxtrace-evil.txt")).toBe(false);
  });

  it("fails a corrupt archive with an error rather than hanging", async () => {
    const { target } = sandbox();
    const file = path.join(tmp, "corrupt.tar.bz2");
    writeFileSync(file, Buffer.from("BZh91AY&SY this is not bzip2 data at all"));
    await expect(extractArchive(file, target)).rejects.toThrow();
  });

  it("writes files 0600 and folders 0700, whatever the archive says", async () => {
    const { target } = sandbox();
    const file = await archive([
      top,
      { name: "model-x/sub/", type: "directory" },
      { name: "model-x/sub/x.onnx", body: "x" },
      tokens,
    ]);
    await extractArchive(file, target);
    expect(statSync(target).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(target, "sub")).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(target, "sub", "x.onnx")).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(target, "tokens.txt")).mode & 0o777).toBe(0o600);
  });

  it("refuses a small archive that would expand to 96 MiB before writing any of it", async () => {
    const { target } = sandbox();
    const bomb = path.join(tmp, "bomb.tar.bz2");
    execFileSync("sh", [
      "-c",
      `cd ${tmp} && mkdir -p b/model-x && truncate -s 96M b/model-x/encoder.onnx && tar -C b -cf - model-x | bzip2 -9 > ${bomb}`,
    ]);
    expect(statSync(bomb).size).toBeLessThan(2000);
    const error = await extractArchive(bomb, target).catch((e: unknown) => e);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(
      /encoder.onnx' \(the archive expands to more than 67108864 bytes\)/,
    );
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);

  it("refuses more entries than the bound", async () => {
    const { target } = sandbox();
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `model-x/f${i}`, body: "x" }));
    await expect(
      extractArchive(await archive([top, ...many]), target, { maxBytes: 1e6, maxEntries: 10 }),
    ).rejects.toThrow(/refused archive entry 'model-x\/f9' \(more than 10 entries\)/);
  });

  it.each<[string, Entry[], RegExp]>([
    [
      "a file then a folder of the same name",
      [
        { name: "model-x/a", body: "x" },
        { name: "model-x/a/", type: "directory" },
      ],
      /holds it twice/,
    ],
    [
      "a folder then a file of the same name",
      [
        { name: "model-x/a/", type: "directory" },
        { name: "model-x/a", body: "x" },
      ],
      /holds it twice/,
    ],
    [
      "a file inside a file",
      [
        { name: "model-x/a", body: "x" },
        { name: "model-x/a/b", body: "y" },
      ],
      /inside a file of the same name/,
    ],
    [
      "the same file twice",
      [
        { name: "model-x/a", body: "x" },
        { name: "model-x/a", body: "y" },
      ],
      /holds it twice/,
    ],
    ["an over-long name", [{ name: `model-x/${"n".repeat(300)}`, body: "x" }], /name too long/],
  ])("refuses %s as bad input", async (_what, entries, message) => {
    const { target } = sandbox();
    const error = await extractArchive(await archive([top, ...entries]), target).catch(
      (e: unknown) => e,
    );
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(message);
  });

  it.each<[string, Buffer | (() => Buffer)]>([
    ["an empty file", Buffer.alloc(0)],
    ["text that is not bzip2", Buffer.from("hello, this is not an archive\n")],
    [
      "bzip2 of something that is not tar",
      () => execFileSync("bzip2", ["-c"], { input: "not a tar file at all ".repeat(40) }),
    ],
    [
      "bzip2 cut in half",
      () => execFileSync("bzip2", ["-c"], { input: Buffer.alloc(100_000, 7) }).subarray(0, 30),
    ],
  ])("refuses %s with one bad_input line", async (_what, bytes) => {
    const { target } = sandbox();
    const file = path.join(tmp, `bad-${++n}.tar.bz2`);
    writeFileSync(file, typeof bytes === "function" ? bytes() : bytes);
    const error = await extractArchive(file, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("bad_input");
    expect((error as Error).message).toMatch(/^[^\n]+ - [^\n]+$/);
  });
});
