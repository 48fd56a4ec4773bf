// `voxtrace compare LOG_A LOG_B [--json] [--html FILE]`: side by side, with relative
// change and a regression verdict that accounts for sample size.

import { Command } from "commander";
import { compareSessions, MIN_SAMPLES, type SessionComparison } from "../report/compareSessions.js";
import { escapeHtml } from "../text/escapeHtml.js";
import { escapeTerminal } from "../text/escapeTerminal.js";
import { jsonForTerminal } from "../text/jsonForTerminal.js";
import { readSession } from "./readSession.js";
import { writeAtomically } from "./reportCommand.js";

export function compareCommand(): Command {
  return new Command("compare")
    .description(
      "compare two sessions: per-stage quantiles, CPU, memory growth, alerts, regressions",
    )
    .argument("<a>", "baseline event log")
    .argument("<b>", "event log to judge against it")
    .option("--json", "print one JSON object")
    .option("--html <file>", "also write the comparison as a self-contained HTML page")
    .action(async (fileA: string, fileB: string, flags: { json?: boolean; html?: string }) => {
      const [a, b] = await Promise.all([
        readSession(fileA, { series: true }),
        readSession(fileB, { series: true }),
      ]);
      const comparison = compareSessions(
        { series: a.series!, summary: a.summary },
        { series: b.series!, summary: b.summary },
      );
      const text = render(fileA, fileB, comparison);
      if (flags.html) {
        // No script at all: the CSP forbids every one, so nothing from a log can run.
        writeAtomically(
          flags.html,
          `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>voxtrace compare</title><pre>${escapeHtml(text)}</pre>\n`,
          "--html",
        );
      }
      // Stage names and file names come from outside: no control character reaches the tty.
      process.stdout.write(
        flags.json ? jsonForTerminal(`${JSON.stringify(comparison)}\n`) : escapeTerminal(text),
      );
    });
}

const ms = (s: number | null): string => (s === null ? "-" : `${(s * 1000).toFixed(1)}`);

function render(fileA: string, fileB: string, c: SessionComparison): string {
  let out = `A: ${fileA}\nB: ${fileB}\n\n`;
  out += `${"metric".padEnd(20)} ${"P50 A/B ms".padStart(16)} ${"P95 A/B ms".padStart(16)} ${"P99 A/B ms".padStart(16)} ${"P95 change".padStart(10)}  verdict\n`;
  for (const m of c.metrics) {
    const pair = (x: number | null, y: number | null): string => `${ms(x)}/${ms(y)}`.padStart(16);
    const change =
      m.p95Change === null
        ? "-"
        : `${m.p95Change >= 0 ? "+" : ""}${(m.p95Change * 100).toFixed(1)} %`;
    const why =
      m.verdict === "too little data"
        ? ` (${m.samples.join(" and ")} intervals; need ${MIN_SAMPLES} each)`
        : m.pValue === null
          ? ""
          : ` (p = ${m.pValue.toPrecision(2)})`;
    out += `${m.name.padEnd(20)} ${pair(m.a.p50, m.b.p50)} ${pair(m.a.p95, m.b.p95)} ${pair(m.a.p99, m.b.p99)} ${change.padStart(10)}  ${m.verdict}${why}\n`;
  }
  const num = (v: number | null, scale = 1, digits = 3): string =>
    v === null ? "-" : (v * scale).toFixed(digits);
  out += `\nCPU mean             ${num(c.cpuMean[0])} / ${num(c.cpuMean[1])}\n`;
  out += `memory growth MB/s   ${num(c.memoryGrowth[0], 1e-6)} / ${num(c.memoryGrowth[1], 1e-6)}\n`;
  out += `alerts               ${c.alerts[0]} / ${c.alerts[1]}\n\n`;
  out +=
    c.regressions.length > 0
      ? `REGRESSION: ${c.regressions.join(", ")}\n`
      : "no regression found\n";
  return out;
}
