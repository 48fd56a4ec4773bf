import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { createSinks } from "../../../src/pipeline/sinks/createSinks.js";
import { FileSink } from "../../../src/pipeline/sinks/FileSink.js";
import { InjectSink } from "../../../src/pipeline/sinks/InjectSink.js";
import type { Utterance } from "../../../src/pipeline/Utterance.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-sinks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const utterance = (index: number, text: string): Utterance => ({
  index,
  start: 1.23456,
  end: 2.5,
  text,
  tokens: 7,
  latencyMs: 12.345,
  finalizeMs: 3.21,
});

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return () => text;
}

/** A fake tool on PATH that records its arguments. */
function fakeTool(name: string): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(tmp, "bin-"));
  const log = path.join(dir, "calls.log");
  writeFileSync(path.join(dir, name), `#!/bin/sh\nprintf 'ARGS:%s|\\n' "$*" >> ${log}\n`);
  chmodSync(path.join(dir, name), 0o755);
  return { dir, log };
}

describe("sinks", () => {
  it("writes one JSON object per utterance with start, end, text and latency_ms", async () => {
    const out = new PassThrough();
    const read = collect(out);
    const [sink] = createSinks({ json: true, stdout: out });
    await sink!.open();
    await sink!.write(utterance(0, "hello there"));
    await sink!.write(utterance(1, "second"));
    await sink!.close();
    const lines = read()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      index: 0,
      start: 1.235,
      end: 2.5,
      text: "hello there",
      latency_ms: 12.3,
    });
  });

  it("writes plain text lines by default", async () => {
    const out = new PassThrough();
    const read = collect(out);
    const [sink] = createSinks({ stdout: out });
    await sink!.write(utterance(0, "plain words"));
    expect(read()).toBe("plain words\n");
  });

  it("appends to an output file created with mode 0600", async () => {
    const file = path.join(tmp, "out.txt");
    const sink = new FileSink(file);
    await sink.open();
    await sink.write(utterance(0, "one"));
    await sink.write(utterance(1, "two"));
    await sink.close();
    await sink.close();
    expect(readFileSync(file, "utf8")).toBe("one\ntwo\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("types the text with the chosen tool, a space between utterances", async () => {
    const { dir, log } = fakeTool("wtype");
    const previous = process.env.PATH;
    process.env.PATH = `${dir}:${previous ?? ""}`;
    try {
      const sink = new InjectSink("wtype");
      await sink.open();
      await sink.write(utterance(0, "hello"));
      await sink.write(utterance(1, "world"));
      expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
        "ARGS:-- hello|",
        "ARGS:--  world|",
      ]);
    } finally {
      process.env.PATH = previous;
    }
  });

  it("hands the text to --inject-command on its stdin, without a shell seeing the text", async () => {
    const file = path.join(tmp, "injected.txt");
    const sink = new InjectSink("command", { command: `cat >> ${file}; echo >> ${file}` });
    await sink.open();
    await sink.write(utterance(0, "it's $(rm -rf nothing) `quoted`"));
    expect(readFileSync(file, "utf8")).toBe("it's $(rm -rf nothing) `quoted`\n");
  });

  it("fails at open when the injection tool is missing, naming it and what to do", async () => {
    const previous = process.env.PATH;
    process.env.PATH = tmp;
    try {
      const error = await new InjectSink("xdotool").open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VoxtraceError);
      expect((error as VoxtraceError).message).toMatch(/xdotool not found on PATH.*--inject/);
    } finally {
      process.env.PATH = previous;
    }
  });

  it("reports a failing injection without stopping", async () => {
    const errors = new PassThrough();
    const read = collect(errors);
    const sink = new InjectSink("command", { command: "exit 3", stderr: errors });
    await sink.open();
    await sink.write(utterance(0, "x"));
    expect(sink.failures).toBe(1);
    expect(read()).toMatch(/text injection failed/);
  });
});
