// analyze and compare print strings taken from a log (stage names, metric names, the file
// name, damage messages). Fuzzed logs full of escape sequences must print no control
// character but newline and tab, and --json must stay parseable.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { analyzeCommand } from "../../src/cli/analyzeCommand.js";
import { compareCommand } from "../../src/cli/compareCommand.js";
import { writeHostileLog } from "../report/writeHostileLog.js";
import { runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-tty-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const SEQUENCES = [
  "\x1b]0;pwned\x07",
  "\x1b[2J\x1b[3J\x1bc",
  "\x9b2J",
  "\x9d0;x\x9c",
  "\r",
  "\x7f",
  "\b",
];
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SEQUENCES),
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => parts.join(""))
  .filter((s) => !(s in {}));

/** First control character a terminal would act on, or undefined. */
const control = (out: string): string | undefined =>
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.exec(out)?.[0];

async function captured(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join("");
}

describe("analyze and compare on a log full of escape sequences", () => {
  it("print no control character but newline and tab, and JSON that parses (40 log pairs)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
        hostile,
        async (stages, other) => {
          // File names carry controls too (no "/" or NUL: they cannot be in one).
          const name = (s: string): string => s.replace(/[/\0]/g, "_").slice(0, 60);
          const a = path.join(tmp, `${++n}-${name(other)}.ndjson`);
          const b = path.join(tmp, `${++n}-b.ndjson`);
          await writeHostileLog(a, { stages, other, intervals: 10 });
          await writeHostileLog(b, { stages: [...stages].reverse(), other, intervals: 10 });
          writeFileSync(a, `{"seq":99,"time":1,"type":"${JSON.stringify(other).slice(1, -1)}`, {
            flag: "a",
          }); // a torn last line: the warning quotes the file name
          const outputs = [
            await captured(() => analyzeCommand().parseAsync([a], { from: "user" })),
            await captured(() => analyzeCommand().parseAsync([a, "--json"], { from: "user" })),
            await captured(() => compareCommand().parseAsync([a, b], { from: "user" })),
            await captured(() => compareCommand().parseAsync([a, b, "--json"], { from: "user" })),
          ];
          for (const out of outputs) expect(control(out), JSON.stringify(out)).toBeUndefined();
          const json = outputs[1]!.split("\n").find((line) => line.startsWith("{"))!;
          const summary = (JSON.parse(json) as { summary: { stages: object } }).summary;
          expect(Object.keys(summary.stages).sort()).toEqual([...stages].sort());
          expect(outputs[0]).toContain("torn last line");
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keep an error that quotes a log's bytes off the terminal too", async () => {
    const file = path.join(tmp, "bad-type.ndjson");
    writeFileSync(
      file,
      `{"seq":1,"time":1,"type":"\\u001b]0;pwned\\u0007\\u009b2J","data":{}}\n{"seq":2,"time":1,"type":"SessionEnded","data":{}}\n`,
    );
    const result = await runCli(["analyze", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown event type '\\x1b\]0;pwned\\x07\\x9b2J'/);
    expect(control(result.stderr)).toBeUndefined();
  });
});
