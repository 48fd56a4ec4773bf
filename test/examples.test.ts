import { execFile } from "node:child_process";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { REPO } from "./support/runCli.js";

describe("examples", () => {
  it("instrument-your-pipeline runs and its metrics show on /metrics", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = s.address() as AddressInfo;
        s.close(() => resolve(p));
      });
    });
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
