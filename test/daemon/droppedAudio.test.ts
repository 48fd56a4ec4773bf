import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { droppedAudioWarning } from "../../src/pipeline/capture/droppedAudioWarning.js";
import { DaemonProcess, waitFor } from "../support/daemon.js";
import { AUDIO_DIR } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-dropped-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("a recorder that floods the daemon", () => {
  it("shows dropped audio in ctl status while it runs, and blames the recorder at the end", async () => {
    // Speech as fast as the shell can write it, far faster than real time. The transcriber
    // runs ONNX synchronously, so a pipe recorder is held back by the pipe itself while
    // the pipeline works; the stt-delay drill makes the pipeline wait asynchronously, so
    // the recorder runs ahead and the live queue must drop.
    const wav = path.join(AUDIO_DIR, "utt-01.wav");
    const daemon = new DaemonProcess(path.join(tmp, "flood", "control.sock"), [
      "--input-command",
      `while :; do tail -c +45 '${wav}'; done`,
      "--fault",
      "stt-delay=1500",
    ]);
    try {
      await waitFor("the daemon to listen", () => daemon.stderr.includes("listening"), 60_000);
      const status = await waitFor(
        "dropped audio in ctl status",
        async () => {
          const s = await daemon.status();
          return s.droppedSeconds > 0 && s;
        },
        30_000,
      );
      expect(status.state).toBe("recording");
      expect((await daemon.ctl("shutdown")).code).toBe(0);
      await daemon.exited;
      expect(daemon.stderr).toMatch(
        /voxtrace: warning: dropped [\d.]+ s of audio: the audio source runs faster than real time \([\d.]+ s of audio arrived in [\d.]+ s\): check that the recorder's rate/,
      );
    } finally {
      daemon.kill();
    }
  }, 120_000);
});

describe("droppedAudioWarning", () => {
  it("blames the pipeline when audio arrived at real time", () => {
    expect(droppedAudioWarning({ droppedSeconds: 2, audioSeconds: 60, wallSeconds: 60.2 })).toBe(
      "voxtrace: warning: dropped 2.00 s of audio: the pipeline fell behind real time (60.0 s of audio arrived in 60.2 s): use a smaller model or a faster machine",
    );
  });

  it("blames the source when audio arrived faster than real time", () => {
    expect(droppedAudioWarning({ droppedSeconds: 50, audioSeconds: 90, wallSeconds: 30 })).toMatch(
      /: the audio source runs faster than real time \(90\.0 s of audio arrived in 30\.0 s\)/,
    );
  });
});
