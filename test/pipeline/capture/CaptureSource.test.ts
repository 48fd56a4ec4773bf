import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isVoxtraceError } from "../../../src/errors.js";
import type { CaptureCommand } from "../../../src/pipeline/capture/CaptureCommand.js";
import { resolveCaptureCommand } from "../../../src/pipeline/capture/CaptureCommand.js";
import { CaptureSource, type CaptureRestart } from "../../../src/pipeline/capture/CaptureSource.js";
import { alive, waitFor } from "../../support/daemon.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-capture-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shell = (script: string): CaptureCommand => ({
  description: script,
  file: "/bin/sh",
  args: ["-c", script],
  format: "s16le",
  rate: 16_000,
  channels: 1,
});

/** 0.1 s of s16le silence per write. */
const TENTH_OF_SILENCE = "head -c 3200 /dev/zero";

describe("CaptureSource", () => {
  it("restarts a command that exits, with doubling back-off, and keeps the audio coming", async () => {
    const abort = new AbortController();
    const restarts: CaptureRestart[] = [];
    const source = new CaptureSource(shell(`${TENTH_OF_SILENCE}; echo 'mic gone' >&2; exit 3`), {
      signal: abort.signal,
      initialBackoffMs: 20,
      onRestart: (restart) => restarts.push(restart),
    });
    let samples = 0;
    for await (const chunk of source.chunks()) {
      samples += chunk.length;
      if (restarts.length >= 3) abort.abort();
    }
    expect(samples).toBeGreaterThanOrEqual(3 * 1600);
    expect(restarts.slice(0, 3).map((r) => r.delayMs)).toEqual([20, 40, 80]);
    expect(restarts[0]!.reason).toBe("exited with code 3: mic gone");
    expect(restarts.map((r) => r.attempt).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it("stopping kills the whole command, including what its shell started", async () => {
    const pidFile = path.join(tmp, "child.pid");
    const abort = new AbortController();
    const source = new CaptureSource(
      shell(`sh -c 'echo $$ > ${pidFile}; while :; do ${TENTH_OF_SILENCE}; sleep 0.1; done' | cat`),
      { signal: abort.signal, onRestart: () => {} },
    );
    const iterator = source.chunks()[Symbol.asyncIterator]();
    await iterator.next();
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    const shellPid = source.pid!;
    expect(alive(grandchild)).toBe(true);
    abort.abort();
    while (!(await iterator.next()).done);
    await waitFor("the capture group to exit", () => !alive(grandchild) && !alive(shellPid), 5000);
  });

  it("kills and restarts a command that stops sending audio", async () => {
    const abort = new AbortController();
    const restarts: CaptureRestart[] = [];
    const source = new CaptureSource(shell(`${TENTH_OF_SILENCE}; sleep 30`), {
      signal: abort.signal,
      stallMs: 300,
      initialBackoffMs: 10,
      onRestart: (restart) => {
        restarts.push(restart);
        abort.abort();
      },
    });
    const started = performance.now();
    for await (const chunk of source.chunks()) expect(chunk.length).toBeGreaterThan(0);
    expect(restarts[0]?.reason).toBe("no audio for 0.3 s");
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses a command that cannot run at all instead of retrying forever", async () => {
    const source = new CaptureSource(shell("no-such-recorder-xyz --raw"), {
      signal: new AbortController().signal,
      onRestart: () => {
        throw new Error("should not restart");
      },
    });
    const error = await (async () => {
      try {
        for await (const _chunk of source.chunks());
      } catch (caught) {
        return caught;
      }
    })();
    expect(isVoxtraceError(error) && error.code).toBe("unavailable");
    expect((error as Error).message).toMatch(/no-such-recorder-xyz.*not found/);
  });

  it("runs --input-command through the shell and describes its PCM as given", async () => {
    const command = await resolveCaptureCommand("arecord | cat", {
      format: "f32le",
      rate: 48_000,
      channels: 2,
    });
    expect(command).toMatchObject({ file: "/bin/sh", args: ["-c", "arecord | cat"], rate: 48_000 });
  });

  it("names every recorder it tried when none is installed", async () => {
    const path = process.env.PATH;
    process.env.PATH = tmp;
    try {
      await expect(
        resolveCaptureCommand(undefined, { format: "s16le", rate: 16_000, channels: 1 }),
      ).rejects.toThrow(/pw-record, parec, arecord, sox/);
    } finally {
      process.env.PATH = path;
    }
  });
});
