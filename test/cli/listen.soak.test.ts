import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/runCli.js";

interface SoakFigures {
  audioSeconds: number;
  utterances: number;
  droppedSeconds: number;
  rssGrowthMB: number;
  rssMaxAfterWarmUpMB: number;
  rssWarmMB: number;
  alertsFired: string[];
}

/** The soak lives in bench/soak.bench.js (its figures go to docs/benchmarks.md); this runs it. */
function soak(args: string[]): Promise<SoakFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO, "bench", "soak.bench.js"), "--json", ...args],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (data: Buffer) => (out += data.toString()));
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`soak exited with ${code}`));
      else resolve(JSON.parse(out) as SoakFigures);
    });
  });
}

describe("voxtrace listen soak", () => {
  it("keeps RSS flat after warm-up and fires no alert over 10 minutes of looped dictation", async () => {
    // 600 s of audio at 4x real time: 2.5 minutes of wall time.
    const figures = await soak(["--audio-seconds", "600", "--speed", "4"]);
    console.log("soak:", JSON.stringify(figures));
    expect(figures.rssGrowthMB).toBeLessThan(10);
    expect(figures.alertsFired).toEqual([]);
    // session-dictation.wav holds 8 sentences in 38 s: 600 s carries 126.
    expect(figures.utterances).toBeGreaterThanOrEqual(110);
    expect(figures.droppedSeconds).toBe(0);
  }, 400_000);
});
