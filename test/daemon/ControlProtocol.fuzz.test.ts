import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isVoxtraceError } from "../../src/errors.js";
import {
  CONTROL_COMMANDS,
  LineSplitter,
  MAX_MESSAGE_BYTES,
  parseControlRequest,
  type ControlResponse,
} from "../../src/daemon/ControlProtocol.js";
import { ControlServer } from "../../src/daemon/ControlServer.js";

// Bounded runs with fast-check's default random seed: it prints the seed and the
// shrunk input of any failure, so a failure found in CI can be replayed exactly.
const RUNS = 300;

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-ctl-fuzz-"));
const socket = path.join(tmp, "control.sock");
let server: ControlServer;
beforeAll(async () => {
  server = await ControlServer.listen(socket, (request) =>
    Promise.resolve({ ok: true, state: request.command === "start" ? "recording" : "paused" }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Things a confused or hostile client might send as one request line. */
const requestLine = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record({ command: fc.oneof(fc.constantFrom(...CONTROL_COMMANDS), fc.string()) })
    .map((r) => JSON.stringify(r)),
  fc
    .record({ command: fc.constantFrom(...CONTROL_COMMANDS), extra: fc.anything() })
    .map((r) => JSON.stringify(r)),
);

describe("control protocol under fuzzing", () => {
  it("parses a request or refuses it with a one-line bad_input error, never anything else", () => {
    fc.assert(
      fc.property(requestLine, (line) => {
        try {
          const request = parseControlRequest(line);
          expect(CONTROL_COMMANDS).toContain(request.command);
          expect(Object.keys(request)).toEqual(["command"]);
        } catch (error) {
          expect(isVoxtraceError(error) && error.code).toBe("bad_input");
          expect((error as Error).message).not.toContain("\n");
        }
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it("splits any byte stream, however cut, into the same lines, and refuses over-long ones", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 50 }).filter((s) => !s.includes("\n")),
          { maxLength: 20 },
        ),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }),
        (lines, cuts) => {
          const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(""));
          const splitter = new LineSplitter();
          const seen: string[] = [];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const size = cuts[i % cuts.length]!;
            seen.push(...splitter.push(bytes.subarray(at, at + size)));
            at += size;
          }
          expect(seen).toEqual(lines);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    const splitter = new LineSplitter();
    splitter.push(Buffer.alloc(MAX_MESSAGE_BYTES - 1, 0x20));
    expect(() => splitter.push(Buffer.alloc(2, 0x20))).toThrow(/message too large/);
  });

  it("a live server answers every line of random traffic with one JSON answer and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestLine, { minLength: 1, maxLength: 8 }), async (requests) => {
        const lines = requests.map((r) => r.replaceAll("\n", " ")).filter((r) => r.trim() !== "");
        const answers = await converse(lines.map((l) => `${l}\n`).join(""), lines.length);
        expect(answers).toHaveLength(lines.length);
        for (const answer of answers) expect(typeof answer.ok).toBe("boolean");
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it("survives random raw bytes, half-sent lines and abrupt disconnects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await converse(Buffer.from(bytes), 0);
      }),
      { numRuns: RUNS / 3 },
    );
    const [answer] = await converse('{"command":"status"}\n', 1);
    expect(answer).toEqual({ ok: true, state: "paused" });
  });
});

/** Sends `payload`, reads `expected` answer lines (or gives up after 2 s), disconnects. */
function converse(payload: string | Buffer, expected: number): Promise<ControlResponse[]> {
  return new Promise((resolve, reject) => {
    const client = net.connect(socket);
    const splitter = new LineSplitter();
    const answers: ControlResponse[] = [];
    const done = (): void => {
      clearTimeout(timer);
      client.destroy();
      resolve(answers);
    };
    const timer = setTimeout(done, expected === 0 ? 20 : 2000);
    client.on("data", (data: Buffer) => {
      for (const line of splitter.push(data)) answers.push(JSON.parse(line) as ControlResponse);
      if (expected > 0 && answers.length >= expected) done();
    });
    client.on("error", (error) => (expected === 0 ? done() : reject(error)));
    client.write(payload);
  });
}
