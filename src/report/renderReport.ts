// One self-contained HTML report of a session: uPlot (MIT) and its CSS are inlined from
// node_modules and the data is embedded, so the page works offline with no request.
// Every string in the page comes from a log someone else may have written: text goes
// through escapeHtml, data sits in a JSON block the page parses, and the CSP lets only
// the page's own two scripts run (by hash), so injected markup stays inert.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AlertEvent, RecordedEvent } from "../analysis/AnalyzerEvent.js";
import type { SessionSeries, Summary } from "../analysis/SessionView.js";
import { escapeHtml } from "../text/escapeHtml.js";
import { jsonForScript } from "../text/jsonForScript.js";
import { memoryGrowth } from "../text/memoryGrowth.js";

const require = createRequire(import.meta.url);
const UPLOT_JS = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
const UPLOT_CSS = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");

// The page's own code. It is constant (the data is read from the JSON block), so its
// hash, and uPlot's, can go in the CSP once and nothing else inline will ever run.
const PAGE_JS = `
const data = JSON.parse(document.getElementById("data").textContent);
const width = Math.min(1060, document.body.clientWidth);
function columns(rows, n) { const cols = Array.from({length: n}, () => []); for (const r of rows) r.forEach((v, i) => cols[i].push(v)); return cols; }
function withLine(cols, value) { return [...cols, cols[0].map(() => value)]; }
function plot(id, cols, names, colors, empty) {
  const el = document.getElementById(id);
  if (!cols[0] || cols[0].length === 0) { el.textContent = empty; return; }
  new uPlot({ width, height: 220, series: [{}, ...names.map((label, i) => ({ label, stroke: colors[i], width: 1.5 }))],
    scales: { x: { time: true } } }, cols, el);
}
plot("latency", withLine(columns(data.latency, 3), data.latencyThreshold), ["P95 s", "mean s", "alert line"], ["#06c", "#999", "#d00"], "no utterances");
const stageNames = Object.keys(data.stages);
const times = [...new Set(stageNames.flatMap((s) => data.stages[s].map((p) => p.t)))].sort((a, b) => a - b);
plot("stages", [times, ...stageNames.map((s) => { const m = new Map(data.stages[s].map((p) => [p.t, p.v])); return times.map((t) => m.get(t) ?? null); })],
  stageNames, ["#06c", "#c60", "#090", "#909"], "no stage data");
plot("memory", columns(data.memory, 3), ["RSS MB", "trend MB"], ["#06c", "#d00"], "no memory data");
plot("cpu", withLine(columns(data.cpu, 2), data.cpuThreshold), ["CPU", "threshold"], ["#06c", "#d00"], "no CPU data");
plot("gpu", withLine(columns(data.gpu, 2), data.gpuThreshold), ["GPU memory GB", "threshold"], ["#06c", "#d00"], "no GPU in this session");
const list = document.getElementById("alerts");
if (data.alerts.length === 0) list.innerHTML = "<li>no alerts</li>";
for (const a of data.alerts) { const li = document.createElement("li"); li.className = a.type === "AlertFired" ? "alert" : "resolved";
  li.textContent = new Date(a.t * 1000).toISOString() + "  " + a.type + "  " + a.rule; list.appendChild(li); }
`;

const sha256 = (code: string): string =>
  `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`;
const CSP = `default-src 'none'; script-src ${sha256(UPLOT_JS)} ${sha256(PAGE_JS)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

export interface ReportInput {
  title: string;
  series: SessionSeries;
  summary: Summary;
  alerts: readonly RecordedEvent<AlertEvent>[];
  leakVerdict: string;
}

export function renderReport(input: ReportInput): string {
  const { series, summary } = input;
  // The leak rule's growth estimate, drawn through the last sample: one estimate, not two.
  const slope = summary.memory.growthBytesPerSecond ?? 0;
  const end = series.memory[series.memory.length - 1];
  const trendAt = (t: number): number => (end ? end.v + slope * (t - end.t) : 0);
  const data = {
    latency: series.latencyP95.map((p, i) => [p.t, p.v, series.latencyMean[i]?.v ?? null]),
    latencyThreshold: series.rules.latency_p95.threshold,
    stages: series.stages,
    memory: series.memory.map((p) => [p.t, p.v / 1e6, trendAt(p.t) / 1e6]),
    cpu: series.cpu.map((p) => [p.t, p.v]),
    cpuThreshold: series.rules.cpu.threshold,
    gpu: series.gpuMemory.map((p) => [p.t, p.v / 1e9]),
    gpuThreshold: series.rules.gpu_memory.threshold / 1e9,
    alerts: input.alerts.map((a) => ({ t: a.time / 1000, type: a.type, rule: a.data.rule })),
  };
  const rows = [
    ["utterances", String(summary.utterances)],
    [
      "latency P50 / P95 / P99",
      [summary.latency.p50, summary.latency.p95, summary.latency.p99].map(seconds).join(" / "),
    ],
    ...Object.entries(summary.stages).map(([stage, q]) => [
      `${stage} P50 / P95 / P99`,
      [q.p50, q.p95, q.p99].map(seconds).join(" / "),
    ]),
    [
      "CPU mean / max (fraction of all cores)",
      `${fixed(summary.cpu.mean)} / ${fixed(summary.cpu.max)}`,
    ],
    [
      "memory first → last (peak)",
      `${mb(summary.memory.first)} → ${mb(summary.memory.last)} (${mb(summary.memory.peak)})`,
    ],
    ["memory growth", memoryGrowth(summary.memory.growthBytesPerSecond)],
    ["leak verdict", input.leakVerdict],
    ["GPU memory peak", summary.gpuPeakBytes === null ? "no GPU data" : mb(summary.gpuPeakBytes)],
    ["alerts", String(input.alerts.length)],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<style>${UPLOT_CSS}
body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:4px 12px}.chart{margin:8px 0}
.alert{color:#b00}.resolved{color:#070}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<h2>Summary</h2><table id="summary">${rows.map(([k, v]) => `<tr><td>${escapeHtml(k ?? "")}</td><td>${escapeHtml(v ?? "")}</td></tr>`).join("")}</table>
<h2>Utterance latency (P95 and mean per interval; red: ${data.latencyThreshold} s alert line)</h2><div class="chart" id="latency"></div>
<h2>Per-stage mean duration per interval</h2><div class="chart" id="stages"></div>
<h2>Process memory with the leak rule's growth estimate</h2><div class="chart" id="memory"></div>
<h2>CPU, fraction of all cores (red: threshold)</h2><div class="chart" id="cpu"></div>
<h2>GPU memory, GB (red: threshold)</h2><div class="chart" id="gpu"></div>
<h2>Alert timeline</h2><ul id="alerts"></ul>
<script>${UPLOT_JS}</script>
<script type="application/json" id="data">${jsonForScript(data)}</script>
<script>${PAGE_JS}</script></body></html>
`;
}

function seconds(value: number | null): string {
  return value === null ? "-" : `${(value * 1000).toFixed(1)} ms`;
}
function fixed(value: number | null): string {
  return value === null ? "-" : value.toFixed(3);
}
function mb(value: number | null): string {
  return value === null ? "-" : `${(value / 1e6).toFixed(1)} MB`;
}
