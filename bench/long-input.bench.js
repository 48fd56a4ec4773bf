// A two-hour WAV through the whole command (`voxtrace transcribe`, CPU, one thread):
// session-dictation.wav looped to 2 h (230 MB, written to a temporary folder in blocks and
// removed after). Baseline in the same run: the same audio looped to 5 minutes. If memory
// is bounded, the 2 h peak RSS is close to the 5 min one; a leak shows as the difference.
// The test suite checks the reader over 2 h (test/pipeline/audio/openWavSource.long.test.ts);
// this is the full-pipeline figure, too slow for CI (~9 minutes on two shared cores).

import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pcmOf, wavHeader16k } from "./support/wav16k.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const MODEL = path.join(SHARED, "models/zipformer-gigaspeech-3.3m-int8");
const SESSION = path.join(SHARED, "audio/session-dictation.wav");

/** Writes `seconds` of the session's 16 kHz s16 PCM, looped, one copy at a time. */
function loopWav(file, seconds) {
  const pcm = pcmOf(SESSION);
  const dataBytes = seconds * 32000;
  const header = wavHeader16k(dataBytes);
  const fd = openSync(file, "w");
  writeSync(fd, header);
  for (let left = dataBytes; left > 0; left -= Math.min(left, pcm.length))
    writeSync(fd, pcm, 0, Math.min(left, pcm.length));
  closeSync(fd);
}

/** Runs the command, reading its RSS and the kernel's peak (VmHWM) every second. */
function transcribe(file, state) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        "bin/voxtrace.js",
        "transcribe",
        file,
        "--model",
        MODEL,
        "--json",
        "--no-progress",
        "--prometheus-port",
        "0",
      ],
      { cwd: REPO, env: { ...process.env, XDG_STATE_HOME: state } },
    );
    let utterances = 0;
    child.stdout.on("data", (d) => (utterances += d.toString().split("\n").length - 1));
    child.stderr.resume();
    const rss = [];
    let peak = 0;
    const watch = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024);
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)[1]) * 1024);
      } catch {
        // exited between two readings
      }
    }, 1000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(watch);
      if (code !== 0) reject(new Error(`transcribe exited with ${code}`));
      // RSS over the last tenth of the run against the second tenth: growth, not warm-up.
      const tenth = Math.max(1, Math.floor(rss.length / 10));
      const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      resolve({
        wall: (performance.now() - started) / 1000,
        utterances,
        peak,
        early: mean(rss.slice(tenth, 2 * tenth)),
        late: mean(rss.slice(-tenth)),
      });
    });
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-bench-long-"));
try {
  const rows = [];
  for (const [name, seconds] of [
    ["5 min (baseline)", 300],
    ["2 h", 7200],
  ]) {
    const file = path.join(tmp, `${seconds}.wav`);
    loopWav(file, seconds);
    const r = await transcribe(file, path.join(tmp, "state"));
    rmSync(file);
    rows.push({ name, audio: seconds, ...r });
  }
  const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
  console.log("| input | utterances | wall | x real time | peak RSS | RSS early -> late |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.utterances} | ${r.wall.toFixed(0)} s | ${(r.audio / r.wall).toFixed(0)} | ${mb(r.peak)} | ${mb(r.early)} -> ${mb(r.late)} |`,
    );
  }
  const [base, long] = rows;
  console.log(`\npeak RSS, 2 h minus 5 min: ${mb(long.peak - base.peak)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
