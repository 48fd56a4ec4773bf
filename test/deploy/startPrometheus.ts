// A real Prometheus server for tests: a free loopback port, its own temporary directory,
// 1 s scrape and evaluation, our rule files; stopped and removed afterwards.

import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO } from "../support/runCli.js";
import { requireTool } from "./tools.js";
import { freePort } from "../support/freePort.js";

export { freePort };

export interface RunningPrometheus {
  url: string;
  query(expr: string): Promise<{ status: string; data: { result: unknown[] } }>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const binary = requireTool("prometheus");
  const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-prometheus-"));
  cpSync(path.join(REPO, "deploy", "prometheus", "rules"), path.join(dir, "rules"), {
    recursive: true,
  });
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "rule_files: [rules/*.yml]",
      "scrape_configs:",
      "  - job_name: voxtrace",
      `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(", ")}] }]`,
    ].join("\n"),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-lifecycle",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("prometheus did not become ready in 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await response.json()) as { status: string; data: { result: unknown[] } };
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
