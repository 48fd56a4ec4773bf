import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/freePort.js";
import { REPO } from "./support/runCli.js";

describe("examples", () => {
  it("instrument-your-pipeline runs and its metrics show on /metrics", async () => {
    const port = await freePort();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["examples/instrument-your-pipeline.mjs"],
        { cwd: REPO, env: { ...process.env, PORT: String(port) } },
        (error, out) => (error ? reject(new Error(error.message)) : resolve(out)),
      ),
    );
    expect(stdout).toMatch(/^voxtrace_utterances_total\{.*\} 3$/m);
  });
});
