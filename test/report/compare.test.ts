import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSyntheticLog } from "../support/makeSyntheticLog.js";
import { runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-compare-"));
const log = (name: string): string => path.join(tmp, `${name}.ndjson`);
beforeAll(async () => {
  await makeSyntheticLog(log("base"), { intervals: 60, seed: 1 });
  await makeSyntheticLog(log("same"), { intervals: 60, seed: 2 });
  await makeSyntheticLog(log("slow"), { intervals: 60, seed: 3, sttScale: 2 });
  await makeSyntheticLog(log("tiny"), { intervals: 4, seed: 4, sttScale: 2 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Comparison {
  metrics: { name: string; verdict: string; p95Change: number | null }[];
  regressions: string[];
}

describe("voxtrace compare", () => {
  it("names a known regression: the STT stage twice as slow", async () => {
    const result = await runCli(["compare", log("base"), log("slow"), "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout) as Comparison;
    expect(comparison.regressions).toContain("stage stt");
    expect(comparison.regressions).not.toContain("stage vad");
    const stt = comparison.metrics.find((m) => m.name === "stage stt")!;
    expect(stt.p95Change).toBeGreaterThan(0.5);
    const text = await runCli(["compare", log("base"), log("slow")]);
    expect(text.stdout).toMatch(/REGRESSION: .*stage stt/);
  });

  it("reports no regression between two sessions of the same build", async () => {
    const result = await runCli(["compare", log("base"), log("same"), "--json"]);
    expect((JSON.parse(result.stdout) as Comparison).regressions).toEqual([]);
    const text = await runCli(["compare", log("base"), log("same")]);
    expect(text.stdout).toMatch(/no regression found/);
  });

  it("says when there is too little data to tell", async () => {
    const result = await runCli(["compare", log("base"), log("tiny")]);
    expect(result.stdout).toMatch(
      /stage stt .* too little data \(60 and 4 intervals; need 8 each\)/,
    );
    expect(result.stdout).toMatch(/no regression found/);
  });

  it("writes a self-contained HTML comparison with --html", async () => {
    const html = path.join(tmp, "compare.html");
    const result = await runCli(["compare", log("base"), log("slow"), "--html", html]);
    expect(result.code).toBe(0);
    expect(readFileSync(html, "utf8")).toMatch(/REGRESSION/);
  });

  it("refuses a missing log with exit 2", async () => {
    const result = await runCli(["compare", log("base"), log("missing")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.ndjson: no such event log/);
  });
});
