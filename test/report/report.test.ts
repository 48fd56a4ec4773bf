import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { makeSyntheticLog } from "../support/makeSyntheticLog.js";
import { REPO, runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-report-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CHROMIUM = "/usr/bin/chromium";

describe("voxtrace report", () => {
  it("writes one self-contained page that opens in Chromium with every chart drawn and no request", async () => {
    if (!existsSync(CHROMIUM))
      throw new Error("Chromium is not installed: apt-get install chromium (.ci/run does this)");
    const log = path.join(tmp, "session.ndjson");
    // An hour: with no GC drops in the series the leak tracker needs tens of minutes of floors
    // (docs/leak-detection.md, limits).
    await makeSyntheticLog(log, { intervals: 720, seed: 9, leakBytesPerSecond: 2e6 });
    const out = path.join(tmp, "report.html");
    const result = await runCli(["report", log, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 2200 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("request", (request) => requests.push(request.url()));
      const url = pathToFileURL(out).href;
      await page.goto(url);
      await page.waitForLoadState("load");
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      for (const id of ["latency", "stages", "memory", "cpu", "gpu"]) {
        // Counts painted pixels of the chart's canvas (run in the page; DOM types are not ours).
        const drawn = await page.evaluate<number>(`(() => {
          const canvas = document.querySelector("#${id} canvas");
          if (!canvas) return 0;
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return painted;
        })()`);
        expect(drawn, `chart ${id}`).toBeGreaterThan(1000);
      }
      expect(await page.textContent("#summary")).toMatch(/utterances\s*720/);
      expect(await page.textContent("#alerts")).toMatch(/AlertFired\s+memory_leak/);
      mkdirSync(path.join(REPO, "test-output"), { recursive: true });
      await page.screenshot({ path: path.join(REPO, "test-output", "report.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it("refuses an unreadable log with exit 2 and leaves no report", async () => {
    const out = path.join(tmp, "none.html");
    const result = await runCli(["report", path.join(tmp, "missing.ndjson"), "--out", out]);
    expect(result.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
