// A log is input someone else may have written: every string in it (stage names, metric
// names, messages, the file's own name) must reach the HTML report and comparison as
// text. Fuzzed markup goes through the real writer, report and compare; the pages are
// loaded in headless Chromium and must run nothing but their own code.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportInput } from "../support/reportInput.js";
import { renderReport } from "../../src/report/renderReport.js";
import { runCli } from "../support/runCli.js";
import { writeHostileLog } from "./writeHostileLog.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-inject-"));
let n = 0;
const fresh = (name = "s"): string => path.join(tmp, `${++n}-${name}.ndjson`);
const CHROMIUM = "/usr/bin/chromium";

// Each payload, if it ever ran, marks the page.
const MARK = "document.documentElement.dataset.pwned='1'";
const PAYLOADS = [
  `</script><script>${MARK}</script>`,
  `</SCRIPT ><script>${MARK}</script>`,
  `<!--<script>`,
  `<script>${MARK}</script>`,
  `"><img src=x onerror="${MARK}">`,
  `'><svg onload="${MARK}">`,
  `<iframe srcdoc="<script>parent.${MARK}</script>">`,
  `]]><style>*{display:none}</style>`,
  "\u2028\u2029",
  "&lt;script&gt;",
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(""))
  // Keys Object.prototype already has break the series table (reported separately).
  .filter((s) => s.trim() !== "" && !(s in {}));
const stageSets = fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 });

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error("Chromium is not installed: apt-get install chromium (.ci/run does this)");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Visit {
  pwned: boolean;
  dialogs: number;
  violations: string[];
  errors: string[];
  page: Page;
}

async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 2200 } });
  const visit: Visit = { pwned: false, dialogs: 0, violations: [], errors: [], page };
  page.on("dialog", (dialog) => {
    visit.dialogs++;
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => visit.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") visit.errors.push(message.text());
  });
  await page.addInitScript(
    `document.addEventListener("securitypolicyviolation", (e) => (window.__violations ??= []).push(e.violatedDirective + " " + e.sample));`,
  );
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState("load");
  visit.pwned = await page.evaluate<boolean>(`document.documentElement.dataset.pwned === "1"`);
  visit.violations = await page.evaluate<string[]>(`window.__violations ?? []`);
  return visit;
}

const paintedPixels = (page: Page, id: string): Promise<number> =>
  page.evaluate<number>(`(() => {
    const canvas = document.querySelector("#${id} canvas");
    if (!canvas) return 0;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    return painted;
  })()`);

describe("report from a log full of markup", () => {
  it("never holds a raw </script or <!-- in its data, which parses back to the log's strings (150 logs)", async () => {
    await fc.assert(
      fc.asyncProperty(stageSets, async (stages) => {
        const file = fresh();
        await writeHostileLog(file, { stages, other: stages[0] });
        const session = await reportInput(file);
        const html = renderReport({ title: stages.join(" "), ...session });
        const block = /<script type="application\/json" id="data">([^]*?)<\/script>/.exec(html);
        expect(block).not.toBeNull();
        expect(block![1]).not.toMatch(/<\/script|<!--|<script/i);
        const data = JSON.parse(block![1]!) as { stages: Record<string, unknown> };
        expect(Object.keys(data.stages).sort()).toEqual([...stages].sort());
        // Exactly the page's own three script elements, whatever the log held.
        expect(html.match(/<script/gi)).toHaveLength(3);
        expect(html.match(/<\/script/gi)).toHaveLength(3);
      }),
      { numRuns: 150 },
    );
  });

  it("runs no injected script in Chromium and still draws every chart, with the strings shown as text (12 logs)", async () => {
    const samples = fc.sample(stageSets, { numRuns: 12, seed: Date.now() });
    samples[0] = PAYLOADS.slice(0, 3); // the classic ones, every run
    for (const stages of samples) {
      const file = fresh();
      await writeHostileLog(file, { stages, other: stages[0] });
      const out = file.replace(/\.ndjson$/, ".html");
      writeFileSync(
        out,
        renderReport({
          title: `voxtrace session ${stages.join(" ")}`,
          ...(await reportInput(file)),
        }),
        { mode: 0o600 },
      );
      const seen = await visit(out);
      try {
        const context = JSON.stringify(stages);
        expect(seen.pwned, context).toBe(false);
        expect(seen.dialogs, context).toBe(0);
        expect(seen.violations, context).toEqual([]); // nothing even tried to run
        expect(seen.errors, context).toEqual([]);
        for (const id of ["latency", "stages", "memory", "cpu"])
          expect(await paintedPixels(seen.page, id), `${id} ${context}`).toBeGreaterThan(1000);
        const labels = await seen.page.evaluate<string[]>(
          `[...document.querySelectorAll("#stages .u-legend .u-label")].map((el) => el.textContent)`,
        );
        expect(labels.slice(1).sort(), context).toEqual([...stages].sort());
        expect(await seen.page.textContent("h1"), context).toBe(
          `voxtrace session ${stages.join(" ")}`,
        );
      } finally {
        await seen.page.close();
      }
    }
  });

  it("blocks inline script by its CSP even where escaping were to fail", async () => {
    const file = fresh();
    await writeHostileLog(file, { stages: ["stt"] });
    const out = path.join(tmp, "tampered.html");
    const html = renderReport({ title: "t", ...(await reportInput(file)) });
    writeFileSync(
      out,
      html.replace("<h1>", `<script>${MARK}</script><img src=x onerror="${MARK}"><h1>`),
    );
    const seen = await visit(out);
    try {
      expect(seen.pwned).toBe(false);
      expect(seen.violations.length).toBeGreaterThanOrEqual(2);
      expect(await paintedPixels(seen.page, "stages")).toBeGreaterThan(1000); // own code ran
    } finally {
      await seen.page.close();
    }
  });

  it("report and compare --html from the command line keep a log's markup inert", async () => {
    const stages = PAYLOADS.slice(0, 5);
    const a = path.join(tmp, `<script>${MARK}<\\script>.ndjson`.replace(/[/\\]/g, "_"));
    const b = fresh("b");
    await writeHostileLog(a, { stages, other: PAYLOADS[0], intervals: 12 });
    await writeHostileLog(b, { stages, other: PAYLOADS[4], intervals: 12 });
    const report = path.join(tmp, "cli-report.html");
    const compare = path.join(tmp, "cli-compare.html");
    const r = await runCli(["report", a, "--out", report]);
    expect(r.code, r.stderr).toBe(0);
    const c = await runCli(["compare", a, b, "--html", compare]);
    expect(c.code, c.stderr).toBe(0);
    for (const out of [report, compare]) {
      const seen = await visit(out);
      try {
        expect(seen.pwned, out).toBe(false);
        expect(seen.dialogs, out).toBe(0);
        expect(seen.violations, out).toEqual([]);
        expect(await seen.page.textContent("body"), out).toContain(PAYLOADS[0]);
      } finally {
        await seen.page.close();
      }
    }
    expect(readFileSync(compare, "utf8")).toMatch(/Content-Security-Policy/);
  });
});
