// Every file voxtrace writes is opened one way (openPrivateFile): a symbolic link is
// refused with exit 2 naming the path and its target is left alone, and a file that was
// already there with a looser mode ends up 0600. Checked at each entry point.

import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EventLog } from "../../src/analysis/EventLog.js";
import { isVoxtraceError } from "../../src/errors.js";
import { openPrivateFile } from "../../src/files/openPrivateFile.js";
import { FileSink } from "../../src/pipeline/sinks/FileSink.js";
import { AUDIO_DIR, MODEL_DIR, runCli } from "../support/runCli.js";
import { writeHostileLog } from "../report/writeHostileLog.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string): string => path.join(tmp, `${++n}-${name}`);

/** A link at a fresh path to a 0644 target holding "precious\n". */
function plantLink(name: string): { link: string; target: string } {
  const target = fresh(`${name}-target`);
  writeFileSync(target, "precious\n", { mode: 0o644 });
  chmodSync(target, 0o644);
  const link = fresh(name);
  symlinkSync(target, link);
  return { link, target };
}
const untouched = (target: string): void => {
  expect(readFileSync(target, "utf8")).toBe("precious\n");
  expect(statSync(target).mode & 0o777).toBe(0o644);
};
const loose = (name: string, content = ""): string => {
  const file = fresh(name);
  writeFileSync(file, content);
  chmodSync(file, 0o644);
  return file;
};
const mode = (file: string): number => statSync(file).mode & 0o777;

async function refusal(promise: Promise<unknown>): Promise<{ exit: number; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isVoxtraceError(error)) throw new Error(`expected a VoxtraceError, got ${String(error)}`);
  return { exit: error.exitCode, message: error.message };
}

describe("openPrivateFile", () => {
  it("refuses a symbolic link for every way of opening, naming the path", () => {
    for (const how of ["append", "append-read", "new"] as const) {
      const { link, target } = plantLink(`helper-${how}`);
      expect(() => openPrivateFile(link, how, "do something")).toThrow(
        how === "new" ? /EEXIST/ : new RegExp(`^${link}: is a symbolic link.* - do something$`),
      );
      untouched(target);
    }
  });
});

describe("event log", () => {
  it("refuses --events that is a symbolic link (exit 2) and leaves the target alone", async () => {
    const { link, target } = plantLink("events.ndjson");
    const { exit, message } = await refusal(EventLog.open(link));
    expect(exit).toBe(2);
    expect(message).toMatch(new RegExp(`^${link}: is a symbolic link`));
    untouched(target);
    expect(readdirSync(tmp).filter((f) => f.endsWith(".lock"))).toEqual([]);
  });

  it("refuses a lock path that is a symbolic link and leaves the target alone", async () => {
    const file = fresh("locked.ndjson");
    const { target } = plantLink("lock-target");
    symlinkSync(target, `${file}.lock`);
    const { exit, message } = await refusal(EventLog.open(file));
    expect(exit).toBe(2);
    expect(message).toMatch(new RegExp(`^${file}.lock: the lock path is a symbolic link`));
    untouched(target);
  });

  it("makes an existing empty 0644 log, and the rotated parts and new live file, 0600", async () => {
    const file = loose("loose.ndjson");
    await writeHostileLog(file, { stages: ["stt"], intervals: 40 });
    expect(mode(file)).toBe(0o600);
    const log = await EventLog.open(fresh("rotating.ndjson"), { maxBytes: 2000 });
    for (let seq = 1; seq <= 40; seq++)
      log.append({ seq, time: seq, type: "SessionEnded", data: { reason: "x".repeat(100) } });
    log.close();
    for (const part of [log.path, `${log.path}.1`, `${log.path}.2`]) expect(mode(part)).toBe(0o600);
  });
});

describe("--output file sink", () => {
  it("refuses a symbolic link (exit 2) and leaves the target alone", async () => {
    const { link, target } = plantLink("out.txt");
    const { exit, message } = await refusal(new FileSink(link).open());
    expect(exit).toBe(2);
    expect(message).toMatch(new RegExp(`^${link}: is a symbolic link.*--output`));
    untouched(target);
  });

  it("appends to an existing 0644 file and makes it 0600", async () => {
    const file = loose("out-existing.txt", "earlier\n");
    const sink = new FileSink(file);
    await sink.open();
    await sink.write({ text: "hello" } as Parameters<FileSink["write"]>[0]);
    await sink.close();
    expect(readFileSync(file, "utf8")).toBe("earlier\nhello\n");
    expect(mode(file)).toBe(0o600);
  });
});

describe("command line", () => {
  it("report --out and compare --html refuse a symbolic link, and replace a 0644 file with a 0600 one", async () => {
    const log = fresh("session.ndjson");
    await writeHostileLog(log, { stages: ["stt"], intervals: 12 });
    const out = plantLink("report.html");
    const report = await runCli(["report", log, "--out", out.link]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(new RegExp(`${out.link}: is a symbolic link.*--out`));
    untouched(out.target);
    const html = plantLink("compare.html");
    const compare = await runCli(["compare", log, log, "--html", html.link]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(new RegExp(`${html.link}: is a symbolic link.*--html`));
    untouched(html.target);

    const existing = loose("existing.html", "old");
    expect((await runCli(["report", log, "--out", existing])).code).toBe(0);
    expect(mode(existing)).toBe(0o600);
    expect(readFileSync(existing, "utf8")).toMatch(/^<!doctype html>/);
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("transcribe refuses --events and --output that are symbolic links, with exit 2 naming them", async () => {
    const audio = path.join(AUDIO_DIR, "utt-01-24bit.wav");
    const events = plantLink("cli-events.ndjson");
    const output = plantLink("cli-out.txt");
    for (const [flag, planted] of [
      ["--events", events],
      ["--output", output],
    ] as const) {
      const result = await runCli(["transcribe", audio, "--model", MODEL_DIR, flag, planted.link]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`${planted.link}: is a symbolic link`));
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      untouched(planted.target);
    }
  });
});
