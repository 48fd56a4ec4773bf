import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { readEventLog } from "../../src/analysis/readEventLog.js";
import { freePort } from "../support/freePort.js";
import { alive, DaemonProcess, lines, playerCommand, waitFor } from "../support/daemon.js";
import { AUDIO_DIR, runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-listen-"));
const wav = path.join(AUDIO_DIR, "session-dictation.wav");
const daemons: DaemonProcess[] = [];
afterEach(() => daemons.splice(0).forEach((d) => d.kill()));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function startDaemon(name: string, args: string[], env: NodeJS.ProcessEnv = {}): DaemonProcess {
  const daemon = new DaemonProcess(path.join(tmp, name, "control.sock"), args, env);
  daemons.push(daemon);
  return daemon;
}

const pidOf = (file: string): number => Number(readFileSync(file, "utf8"));

describe("voxtrace listen", () => {
  it("transcribes live audio into a command sink and obeys ctl status, toggle, stop, start and shutdown", async () => {
    const out = path.join(tmp, "typed.txt");
    const events = path.join(tmp, "live.ndjson");
    const pidFile = path.join(tmp, "player.pid");
    const port = await freePort();
    // A fake nvidia-smi on PATH: one 8 GiB GPU with 1 GiB in use, no process of ours on it.
    const bin = path.join(tmp, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, "nvidia-smi"),
      `#!/bin/sh\ncase "$*" in\n  *query-gpu*) echo "0, Fake GPU, GPU-1, 1024, 8192, 12" ;;\n  *) echo "" ;;\nesac\n`,
      { mode: 0o755 },
    );
    const daemon = startDaemon(
      "main",
      [
        "--input-command",
        playerCommand(wav, { speed: 1, seconds: 3600, pidFile }),
        "--inject-command",
        `cat >> ${JSON.stringify(out)}; echo >> ${JSON.stringify(out)}`,
        "--events",
        events,
        "--prometheus-port",
        String(port),
        "--analysis-interval",
        "1000",
      ],
      { PATH: `${bin}:${process.env.PATH ?? ""}` },
    );
    // Real time: the first two sentences end about 9 s in.
    await waitFor("two transcripts", () => lines(out).length >= 2, 40_000);
    expect(lines(out)[0]).toMatch(/quick .* over the lazy dog/);

    const status = await daemon.status();
    expect(status).toMatchObject({ state: "recording", capture: { running: true, restarts: 0 } });
    expect(status.utterances).toBeGreaterThanOrEqual(2);
    expect(status.latencyP95Ms).toBeGreaterThan(0);
    expect(status.alerts).toEqual([]);
    expect(status.gpu).toEqual({ processMemoryBytes: 0, deviceMemoryBytes: 1024 * 2 ** 20 });
    const readable = await daemon.ctl("status");
    expect(readable.stdout).toMatch(/^state +recording \(pid \d+, up \d+s\)$/m);
    expect(readable.stdout).toMatch(/^utterances +\d+, latency P95 \d+ ms$/m);

    // A second daemon on the same socket refuses before loading anything.
    const second = await runCli(["listen", "--socket", daemon.socket, "--input-command", "true"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another voxtrace daemon is listening on .*control\.sock/);

    // The microphone command dies: it is restarted, counted, logged, and text keeps coming.
    const firstPlayer = pidOf(pidFile);
    const before = lines(out).length;
    process.kill(firstPlayer, "SIGKILL");
    await waitFor("a restart", async () => (await daemon.status()).capture.restarts >= 1);
    await waitFor("a transcript after the restart", () => lines(out).length > before, 30_000);
    expect(pidOf(pidFile)).not.toBe(firstPlayer);
    expect(daemon.stderr).toMatch(
      /capture command exited with code \d+.*restarting in 0\.5 s \(attempt 1\)/,
    );
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^voxtrace_capture_restarts_total\{[^}]*\} 1$/m);
    // Transcripts stay out of telemetry unless --record-transcripts.
    expect(metrics).not.toMatch(/kitchen|lazy/);

    // toggle pauses and releases the capture command; toggle again records anew.
    const player = pidOf(pidFile);
    expect((await daemon.ctl("toggle")).stdout).toBe("paused\n");
    expect((await daemon.status()).capture.running).toBe(false);
    await waitFor("the capture command to exit", () => !alive(player), 5000);
    expect((await daemon.ctl("toggle")).stdout).toBe("recording\n");
    await waitFor(
      "a new capture command",
      () => pidOf(pidFile) !== player && alive(pidOf(pidFile)),
    );
    const resumed = lines(out).length;
    await waitFor("a transcript after resuming", () => lines(out).length > resumed, 30_000);

    expect((await daemon.ctl("stop")).stdout).toBe("paused\n");
    expect((await daemon.ctl("stop")).stdout).toBe("paused\n");
    expect((await daemon.ctl("start")).stdout).toBe("recording\n");
    expect((await daemon.ctl("shutdown")).stdout).toBe("stopping\n");
    expect(await daemon.exited).toBe(0);
    expect(existsSync(daemon.socket)).toBe(false);
    expect(daemon.stderr).toMatch(/voxtrace: summary: .*capture restarts 1/);

    const log = await readEventLog(events);
    const types = log.events.map((e) => e.type);
    expect(types.at(-1)).toBe("SessionEnded");
    expect(log.events.at(-1)?.data).toEqual({ reason: "shutdown" });
    expect(types.filter((t) => t === "CaptureRestarted")).toHaveLength(1);
    expect(types).not.toContain("AlertFired");
    expect(readFileSync(events, "utf8")).not.toMatch(/kitchen|lazy/);
  });

  it("stops gracefully on SIGTERM and flushes the event log", async () => {
    const events = path.join(tmp, "sigterm.ndjson");
    const daemon = startDaemon("sigterm", [
      "--paused",
      "--input-command",
      playerCommand(wav, {}),
      "--events",
      events,
    ]);
    await waitFor("the daemon to listen", () => /voxtrace: listening/.test(daemon.stderr));
    expect((await daemon.status()).state).toBe("paused");
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    const log = await readEventLog(events);
    expect(log.events.at(-1)).toMatchObject({ type: "SessionEnded", data: { reason: "shutdown" } });
  });

  it("refuses an input command that cannot run, with a one-line error and exit 2", async () => {
    const daemon = startDaemon("missing", ["--input-command", "no-such-recorder-xyz -"]);
    expect(await daemon.exited).toBe(2);
    expect(daemon.stderr).toMatch(/could not run .*not found/);
  });
});

describe("voxtrace ctl", () => {
  it("says no daemon runs, and how to start one", async () => {
    const result = await runCli(["ctl", "status", "--socket", path.join(tmp, "nobody.sock")]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/no voxtrace daemon at .*voxtrace listen/);
  });

  it("rejects an unknown command", async () => {
    const result = await runCli(["ctl", "explode"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/expected one of status, start, stop, toggle, shutdown/);
  });
});
