import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { DaemonStatus } from "../../src/daemon/ControlProtocol.js";
import { escapeTerminal } from "../../src/text/escapeTerminal.js";

// `voxtrace ctl status` against a fake daemon that answers whatever the run chose: the
// answer is data from another process, so nothing in it may crash ctl or reach the
// terminal as a control sequence.
const RUNS = 400;

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-ctl-answers-"));
const socket = path.join(tmp, "control.sock");
let answer = "";
const fake = net.createServer((client) => {
  client.on("error", () => {});
  client.once("data", () => client.end(answer));
});
beforeAll(() => new Promise<void>((resolve) => fake.listen(socket, resolve)));
afterAll(async () => {
  await new Promise((resolve) => fake.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs ctl in this process with its output captured. */
async function ctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: "", stderr: "" };
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array): boolean => (
    (out.stdout += String(chunk)),
    true
  );
  process.stderr.write = (chunk: string | Uint8Array): boolean => (
    (out.stderr += String(chunk)),
    true
  );
  try {
    const code = await main(["ctl", ...args, "--socket", socket, "--timeout", "2"]);
    return { code, ...out };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

const validStatus: DaemonStatus = {
  state: "recording",
  pid: 42,
  uptimeSeconds: 61,
  utterances: 3,
  latencyP95Ms: 812,
  droppedSeconds: 1.5,
  memory: { rssBytes: 200e6, heapUsedBytes: 40e6 },
  gpu: null,
  capture: { command: "pw-record", running: true, restarts: 1, lastRestartReason: "exit 1" },
  alerts: [{ rule: "cpu", value: 0.8, threshold: 0.5 }],
  eventLog: "/var/log/x.ndjson",
};

/** Any code point, controls and lone surrogates included. */
const anyText = fc.string({ unit: "binary", maxLength: 40 });

/** A valid status whose strings are hostile. */
const hostileStatus = fc
  .record({ command: anyText, reason: anyText, rule: anyText, eventLog: anyText })
  .map((s) => ({
    ok: true,
    ...validStatus,
    capture: { ...validStatus.capture, command: s.command, lastRestartReason: s.reason },
    alerts: [{ rule: s.rule, value: 1, threshold: 0.5 }],
    eventLog: s.eventLog,
  }));

/** A valid status with one field replaced by random JSON or removed. */
const mutatedStatus = fc
  .record({
    key: fc.constantFrom(...Object.keys(validStatus), "ok"),
    value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  })
  .map(({ key, value }) => {
    const copy: Record<string, unknown> = { ok: true, ...validStatus };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  });

const anyAnswer = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileStatus,
  mutatedStatus,
  fc.constantFrom(null, {}, { ok: true }, { ok: false }, { ok: true, state: "nonsense" }),
);

// eslint-disable-next-line no-control-regex -- the characters under test
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

describe("ctl status against any answer", () => {
  it("exits 0 or 2 with one line on error and prints no terminal control character, as text or JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyAnswer.map((a) => JSON.stringify(a) ?? "null"),
          fc.string(),
        ),
        fc.boolean(),
        async (line, json) => {
          answer = `${line}\n`;
          const result = await ctl("status", ...(json ? ["--json"] : []));
          expect([0, 2]).toContain(result.code);
          expect(result.stdout + result.stderr).not.toMatch(CONTROL);
          if (result.code === 2) {
            // --json shows a refusal as the daemon sent it, then says why it fails.
            if (!json) expect(result.stdout).toBe("");
            expect(result.stderr).toMatch(/^voxtrace: [^\n]*\n$/);
            expect(result.stderr).not.toMatch(/\n\s+at /);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("refuses null and a partial status with one line naming the socket, exit 2", async () => {
    for (const bad of [
      null,
      { ok: true, state: "recording", pid: 1 },
      { ok: true, uptimeSeconds: 1 },
    ]) {
      answer = `${JSON.stringify(bad)}\n`;
      const result = await ctl("status");
      expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr: expect.stringMatching(
          new RegExp(
            `^voxtrace: the daemon on ${socket} sent an answer this ctl does not understand[^\\n]*\\n$`,
          ),
        ) as string,
      });
    }
  });

  it("shows a daemon's escape sequences as text instead of sending them to the terminal", async () => {
    answer = `${JSON.stringify({
      ok: true,
      ...validStatus,
      capture: { ...validStatus.capture, command: "\u001b]0;pwned\u0007\u001b[2J\r\u009b" },
    })}\n`;
    const result = await ctl("status");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("running: \\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x9b\n");
  });
});

describe("escapeTerminal", () => {
  it("escapes C0, DEL and C1 controls but keeps newline, tab and other text", () => {
    expect(escapeTerminal("a\u0000b\u001b[31m\u007f\u0085\u009f\n\té€😀")).toBe(
      "a\\x00b\\x1b[31m\\x7f\\x85\\x9f\n\té€😀",
    );
  });

  it("leaves no control character but newline and tab in any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(escapeTerminal(text).replace(/[\n\t]/g, "")).not.toMatch(CONTROL);
      }),
      { numRuns: 2000 },
    );
  });
});
