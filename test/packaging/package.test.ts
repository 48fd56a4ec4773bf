// What a user installs: `npm pack` ships the built code, its types, the CLI, the operations
// kit, examples and docs, the README and the licence — no sources, tests or benchmarks. And
// the public API report: any change to what src/index.ts exports shows up in review.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/runCli.js";

describe("the package", () => {
  it("ships what a user needs and nothing else", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, npm_config_loglevel: "silent" },
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const needed of [
      "dist/index.js",
      "dist/index.d.ts",
      "bin/voxtrace.js",
      "README.md",
      "LICENSE",
      "package.json",
      "deploy/prometheus/rules/voxtrace.rules.yml",
      "otel-collector.yaml",
    ])
      expect(files).toContain(needed);
    for (const file of files) {
      expect(file).not.toMatch(/^(src|test|bench|scripts|api|\.ci)\//);
      const sourceOrMap =
        file.endsWith(".map") || (file.endsWith(".ts") && !file.endsWith(".d.ts"));
      expect(sourceOrMap, file).toBe(false);
    }
  });

  it("matches the checked-in public API report (run npm run api:update after a change you mean)", () => {
    const out = path.join(os.tmpdir(), `voxtrace-api-${process.pid}.txt`);
    execFileSync(process.execPath, [path.join(REPO, "scripts/api-report.mjs"), out]);
    expect(readFileSync(out, "utf8")).toBe(
      readFileSync(path.join(REPO, "api/voxtrace.api.txt"), "utf8"),
    );
  });
});
