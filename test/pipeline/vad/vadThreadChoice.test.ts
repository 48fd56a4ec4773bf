// When the VAD gets its own thread. From the build, where the thread can start; from
// source (the other unit tests) it never does.

import os from "node:os";
import { describe, expect, it } from "vitest";
import { useVadThread } from "../../../dist/session/TranscriberSession.js";
import { useVadThread as fromSource } from "../../../src/session/TranscriberSession.js";

describe("useVadThread", () => {
  it("auto: a thread for input read faster than real time on 2+ cores, none for live input", () => {
    expect(useVadThread("auto", false)).toBe(os.availableParallelism() >= 2);
    expect(useVadThread("auto", true)).toBe(false);
  });

  it("on and off are obeyed, live or not", () => {
    expect(useVadThread("on", true)).toBe(true);
    expect(useVadThread("off", false)).toBe(false);
  });

  it("from source, auto uses no thread and on is a usage error naming the flag", () => {
    expect(fromSource("auto", false)).toBe(false);
    expect(() => fromSource("on", false)).toThrow(/--vad-thread on: .*npm run build/);
  });
});
