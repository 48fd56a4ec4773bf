import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../support/runCli.js";
import { requireTool, run } from "./tools.js";

const deploy = (...parts: string[]): string => path.join(REPO, "deploy", ...parts);

describe("Prometheus configuration", () => {
  it("passes promtool check config and check rules", async () => {
    const promtool = requireTool("promtool");
    const config = await run(promtool, ["check", "config", "prometheus.yml"], {
      cwd: deploy("prometheus"),
    });
    expect(config.code, config.stdout + config.stderr).toBe(0);
    const rules = await run(promtool, ["check", "rules", "rules/voxtrace.rules.yml"], {
      cwd: deploy("prometheus"),
    });
    expect(rules.code, rules.stdout + rules.stderr).toBe(0);
    expect(rules.stdout).toMatch(/9 rules found/);
  });

  it("passes promtool test rules: every rule fires when it should and stays quiet otherwise", async () => {
    const result = await run(
      requireTool("promtool"),
      ["test", "rules", "tests/voxtrace.test.yml"],
      {
        cwd: deploy("prometheus"),
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS/);
  });
});

describe("Alertmanager configuration", () => {
  it("passes amtool check-config", async () => {
    const result = await run(requireTool("amtool"), [
      "check-config",
      deploy("alertmanager", "alertmanager.yml"),
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});

describe("docker-compose.yml", () => {
  it("passes docker-compose config -q and every file it mounts exists", async () => {
    const result = await run(requireTool("docker-compose"), ["config", "-q"], {
      cwd: REPO,
      env: { GRAFANA_ADMIN_PASSWORD: "test" },
    });
    expect(result.code, result.stderr).toBe(0);
    const compose = parse(readFileSync(path.join(REPO, "docker-compose.yml"), "utf8")) as {
      services: Record<string, { image?: string; volumes?: string[] }>;
    };
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image && name !== "voxtrace") expect(service.image, name).toMatch(/:[\w.-]+$/);
      expect(service.image ?? "", name).not.toMatch(/:latest$/);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith("./")) expect(existsSync(path.join(REPO, source)), source).toBe(true);
      }
    }
  });

  it("refuses to start Grafana without an admin password", async () => {
    const result = await run(requireTool("docker-compose"), ["config", "-q"], {
      cwd: REPO,
      env: { GRAFANA_ADMIN_PASSWORD: "" },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/GRAFANA_ADMIN_PASSWORD/);
  });
});

describe("otel-collector.yaml", () => {
  it("receives OTLP, limits memory before batching, and routes traces, metrics and logs", () => {
    const config = parse(readFileSync(path.join(REPO, "otel-collector.yaml"), "utf8")) as {
      receivers: { otlp: { protocols: Record<string, unknown> } };
      extensions: Record<string, unknown>;
      service: {
        extensions: string[];
        pipelines: Record<
          string,
          { receivers: string[]; processors: string[]; exporters: string[] }
        >;
      };
      exporters: Record<string, unknown>;
    };
    expect(Object.keys(config.receivers.otlp.protocols).sort()).toEqual(["grpc", "http"]);
    expect(config.service.extensions).toContain("health_check");
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      expect(pipeline.processors, name).toEqual(["memory_limiter", "batch"]);
      for (const exporter of pipeline.exporters)
        expect(config.exporters[exporter], exporter).toBeDefined();
    }
    expect(config.service.pipelines.traces?.exporters).toEqual(["otlp/jaeger"]);
    expect(config.service.pipelines.metrics?.exporters).toEqual(["prometheus"]);
    expect(config.service.pipelines.logs?.exporters).toContain("debug");
  });
});

describe("Grafana dashboard", () => {
  it("parses, has unique panel ids, and every panel names a data source and a query", () => {
    const dashboard = JSON.parse(
      readFileSync(deploy("grafana", "dashboards", "voxtrace.json"), "utf8"),
    ) as {
      panels: {
        id: number;
        title: string;
        datasource?: { uid: string };
        targets?: { expr?: string; datasource?: { uid: string } }[];
      }[];
    };
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const datasources = readFileSync(
      deploy("grafana", "provisioning", "datasources", "datasources.yml"),
      "utf8",
    );
    for (const panel of dashboard.panels) {
      expect(panel.datasource?.uid, panel.title).toBeTruthy();
      expect(datasources).toContain(`uid: ${panel.datasource!.uid}`);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr, panel.title).toBeTruthy();
    }
    const titles = dashboard.panels.map((p) => p.title).join(" | ");
    for (const topic of [
      "latency",
      "stage",
      "Real-time",
      "Throughput",
      "GPU memory",
      "CPU",
      "RSS",
      "growth",
      "alerts",
      "Dropped",
    ]) {
      expect(titles).toContain(topic);
    }
  });
});
