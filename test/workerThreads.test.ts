// Which of this process's Node options a worker thread gets: those it needs to load code
// as we do, never those that make `new Worker` throw or stop a thread started from a file.

import { describe, expect, it } from "vitest";
import { threadExecArgv } from "../src/workerThreads.js";

describe("threadExecArgv", () => {
  it("keeps the options that say how code loads, with their values", () => {
    const loading = [
      "--conditions",
      "development",
      "-C=node",
      "--import",
      "tsx",
      "-r",
      "./setup.cjs",
      "--require=./x.cjs",
      "--enable-source-maps",
      "--no-warnings",
      "--experimental-vm-modules",
    ];
    expect(threadExecArgv(loading)).toEqual(loading);
  });

  it("drops V8 and per-process options, and the entry code of -e/-p", () => {
    expect(
      threadExecArgv([
        "--expose-gc",
        "--max-old-space-size=200",
        "--title=voxtrace",
        "--input-type=module",
        "-e",
        "import('x')",
        "--print",
        "1",
        "--inspect",
      ]),
    ).toEqual([]);
  });
});
