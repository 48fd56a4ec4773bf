import {
  appendFileSync,
  existsSync,
  readdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Analyzer } from "../../src/analysis/Analyzer.js";
import { EventLog } from "../../src/analysis/EventLog.js";
import { readEventLog } from "../../src/analysis/readEventLog.js";
import { replay } from "../../src/analysis/replay.js";
import { applyRuleOverrides, DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { serializeEvent } from "../../src/analysis/AnalyzerEvent.js";
import { VoxtraceError } from "../../src/errors.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-log-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(tmp, `session-${++n}.ndjson`);

/** Records a session whose CPU goes high then low, and GPU memory stays high. */
async function recordSession(file: string, options: { maxBytes?: number } = {}): Promise<void> {
  const log = await EventLog.open(file, options);
  const analyzer = new Analyzer({
    rules: DEFAULT_RULES,
    sessionId: "s",
    intervalMs: 5000,
    log,
    now: () => 1_000,
  });
  for (let i = 0; i < 200; i++) {
    const t = 1_000 + i * 5000;
    const cpu = i > 40 && i < 100 ? 0.9 : 0.1;
    analyzer.observe(
      [
        { type: "GaugeObserved", data: { metric: "process.cpu.utilization", value: cpu } },
        {
          type: "GaugeObserved",
          data: { metric: "process.memory.usage", value: 2e8 + (i % 7) * 1e6 },
        },
        {
          type: "GaugeObserved",
          data: {
            metric: "process.gpu.memory.usage",
            value: i > 150 ? 5e9 : 1e9,
            attributes: { "hw.id": "0" },
          },
        },
      ],
      t,
    );
  }
  analyzer.end("completed");
}

describe("event log", () => {
  it("is private (0600) and one JSON object a line with seq, time, type and data", async () => {
    const file = fresh();
    await recordSession(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(600);
    lines.forEach((line, i) => {
      const event = JSON.parse(line) as { seq: number; time: number; type: string; data: unknown };
      expect(event.seq).toBe(i + 1);
      expect(Object.keys(event)).toEqual(["seq", "time", "type", "data"]);
    });
  });

  it("replays to alert events byte-identical to the recorded ones", async () => {
    const file = fresh();
    await recordSession(file);
    const { events } = await readEventLog(file);
    const recorded = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => /"type":"Alert/.test(l));
    expect(recorded.length).toBeGreaterThanOrEqual(3); // cpu fired + resolved, gpu fired
    expect(replay(events).alerts.map(serializeEvent)).toEqual(recorded);
  });

  it("answers what would have fired with other thresholds", async () => {
    const file = fresh();
    await recordSession(file);
    const { events } = await readEventLog(file);
    const lenient = replay(events, (r) =>
      applyRuleOverrides(["cpu.threshold=0.95", "gpu_memory.threshold=8GB"], r),
    );
    expect(lenient.alerts).toHaveLength(0);
    const strict = replay(events, (r) => applyRuleOverrides(["gpu_memory.threshold=512MB"], r));
    expect(strict.alerts.filter((a) => a.data.rule === "gpu_memory")[0]!.time).toBeLessThan(
      replay(events).alerts.filter((a) => a.data.rule === "gpu_memory")[0]!.time,
    );
  });

  it("reads back everything before a torn last line and reports it", async () => {
    const file = fresh();
    await recordSession(file);
    const whole = (await readEventLog(file)).events.length;
    appendFileSync(file, '{"seq":9999,"time":1,"type":"Gauge');
    const torn = await readEventLog(file);
    expect(torn.events).toHaveLength(whole);
    expect(torn.damage?.message).toMatch(/torn last line/);
    truncateSync(file, statSync(file).size - 500);
    const truncated = await readEventLog(file);
    expect(truncated.events.length).toBeGreaterThan(whole - 10);
    expect(truncated.damage).toBeDefined();
  });

  it("refuses a log damaged in the middle, naming file and line", async () => {
    const file = fresh();
    writeFileSync(
      file,
      '{"seq":1,"time":1,"type":"SessionEnded","data":{}}\nnot json\n{"seq":2,"time":1,"type":"SessionEnded","data":{}}\n',
    );
    await expect(readEventLog(file)).rejects.toThrow(
      new RegExp(`${path.basename(file)}:2: not JSON`),
    );
  });

  it("lets only one writer hold a log, and takes over the lock of a dead one", async () => {
    const file = fresh();
    const first = await EventLog.open(file);
    await expect(EventLog.open(file)).rejects.toThrow(
      new RegExp(`being written by pid ${process.pid}`),
    );
    first.close();
    first.close();
    writeFileSync(`${file}.lock`, "999999"); // a writer that no longer exists
    const second = await EventLog.open(file);
    second.close();
  });

  it("refuses to append a second session to a log that holds one, with one line and exit 2, leaving it as it was", async () => {
    const file = fresh();
    await recordSession(file);
    const before = readFileSync(file);
    const error = await EventLog.open(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).exitCode).toBe(2);
    expect((error as VoxtraceError).message).toBe(
      `${file} already holds a session - choose another --events path or remove it`,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("refuses a crashed writer's log too, taking its stale lock away and leaving the log alone", async () => {
    const file = fresh();
    await recordSession(file);
    appendFileSync(file, '{"seq":9999,"time":1,"type":"Gauge');
    writeFileSync(`${file}.lock`, "999999"); // the crashed writer's lock
    const before = readFileSync(file);
    await expect(EventLog.open(file)).rejects.toThrow(/already holds a session/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect((await readEventLog(file)).damage?.message).toMatch(/torn last line/);
  });

  it("refuses a file that is not a log without touching it", async () => {
    const file = fresh();
    writeFileSync(file, "notes without a newline");
    await expect(EventLog.open(file)).rejects.toThrow(/already holds a session/);
    expect(readFileSync(file, "utf8")).toBe("notes without a newline");
  });

  it("refuses a log whose live file is empty but whose rotated parts hold a session", async () => {
    const file = fresh();
    await recordSession(file, { maxBytes: 20_000 });
    writeFileSync(file, ""); // as if the last rotation came just before the end
    const parts = readdirSync(tmp).filter((f) => f.startsWith(`${path.basename(file)}.`));
    expect(parts.length).toBeGreaterThan(1);
    await expect(EventLog.open(file)).rejects.toThrow(
      new RegExp(`already holds a session \\(and rotated parts up to ${file}\\.${parts.length}\\)`),
    );
  });

  it("never renames over a rotated part that is already there: numbering goes on after the highest", async () => {
    const file = fresh();
    const log = await EventLog.open(file, { maxBytes: 2000 });
    writeFileSync(`${file}.1`, "older part\n"); // appears while the session runs
    writeFileSync(`${file}.3`, "another older part\n");
    for (let seq = 1; seq <= 60; seq++)
      log.append({ seq, time: seq, type: "SessionEnded", data: { reason: "x".repeat(100) } });
    log.close();
    expect(readFileSync(`${file}.1`, "utf8")).toBe("older part\n");
    expect(readFileSync(`${file}.3`, "utf8")).toBe("another older part\n");
    expect(readFileSync(`${file}.4`, "utf8")).toMatch(/^\{"seq":1,/);
    expect(existsSync(`${file}.2`)).toBe(false);
  });

  it("rotates by size and still reads every event in order", async () => {
    const file = fresh();
    await recordSession(file, { maxBytes: 20_000 });
    const { events } = await readEventLog(file);
    expect(statSync(`${file}.1`).size).toBeGreaterThan(0);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    expect(events[events.length - 1]!.type).toBe("SessionEnded");
  });
});

describe("logs from before rules had warmup", () => {
  it("read back with warmup 0, so they replay as they ran", async () => {
    const file = fresh();
    const rules = Object.fromEntries(
      Object.entries(DEFAULT_RULES).map(([name, { warmup: _warmup, ...rest }]) => [name, rest]),
    );
    writeFileSync(
      file,
      `${JSON.stringify({ seq: 1, time: 0, type: "SessionStarted", data: { sessionId: "old", version: "0.1.0", rules, intervalMs: 5000 } })}\n`,
    );
    const { events } = await readEventLog(file);
    const started = events[0];
    expect(started?.type === "SessionStarted" && started.data.rules.memory_leak.warmup).toBe(0);
  });
});

describe("a crashed writer's torn line, of any length", () => {
  const CHUNK = 64 * 1024;
  const torn = (length: number): string =>
    `{"seq":1,"time":1,"type":"GaugeObserved","data":{"metric":"${"m".repeat(Math.max(0, length - 60))}`.slice(
      0,
      length,
    );
  const lengths = fc.oneof(
    fc.constantFrom(
      7,
      CHUNK - 1,
      CHUNK,
      CHUNK + 1,
      2 * CHUNK,
      (1 << 20) - 1,
      1 << 20,
      (1 << 20) + 1,
    ),
    fc.integer({ min: 7, max: 3 << 20 }),
  );

  it("is cut when it is all the log holds, so the next session reads back intact (40 lengths up to 3 MB)", async () => {
    await fc.assert(
      fc.asyncProperty(lengths, async (length) => {
        const file = fresh();
        writeFileSync(file, torn(length));
        writeFileSync(`${file}.lock`, "999999"); // its writer died
        await recordSession(file);
        const { events, damage } = await readEventLog(file);
        expect(damage).toBeUndefined();
        expect(events[0]!.type).toBe("SessionStarted");
        events.forEach((e, i) => expect(e.seq).toBe(i + 1));
      }),
      { numRuns: 40 },
    );
  });

  it("leaves a log with a whole line before it untouched and refuses it (20 lengths up to 3 MB)", async () => {
    await fc.assert(
      fc.asyncProperty(lengths, async (length) => {
        const file = fresh();
        writeFileSync(file, `{"seq":1,"time":1,"type":"SessionEnded","data":{}}\n${torn(length)}`);
        const before = statSync(file).size;
        await expect(EventLog.open(file)).rejects.toThrow(/already holds a session/);
        expect(statSync(file).size).toBe(before);
      }),
      { numRuns: 20 },
    );
  });

  it('is not cut when it is not ours (no {"seq": at its start), whatever its length', async () => {
    for (const length of [10, CHUNK + 1, (1 << 20) + 5]) {
      const file = fresh();
      writeFileSync(file, "x".repeat(length));
      await expect(EventLog.open(file)).rejects.toThrow(/already holds a session/);
      expect(statSync(file).size).toBe(length);
    }
  });
});
