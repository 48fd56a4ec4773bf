// `voxtrace analyze LOG [--json] [--set RULE.FIELD=VALUE ...]`: replays a session's event
// log, re-deriving the alerts (with other thresholds: "what would have fired?"), and
// prints a summary.

import { Command } from "commander";
import { serializeEvent } from "../analysis/AnalyzerEvent.js";
import { applyRuleOverrides } from "../analysis/RulesConfig.js";
import type { Quantiles, Summary } from "../analysis/SessionView.js";
import { escapeTerminal } from "../text/escapeTerminal.js";
import { jsonForTerminal } from "../text/jsonForTerminal.js";
import { memoryGrowth } from "../text/memoryGrowth.js";
import { readSession } from "./readSession.js";
import { collect } from "./options.js";

export function analyzeCommand(): Command {
  return new Command("analyze")
    .description("replay an event log: alerts (optionally with other thresholds) and a summary")
    .argument("<log>", "event log written by transcribe or listen (--events)")
    .option("--json", 'print one JSON object: {"alerts": [...], "summary": {...}}')
    .option("--set <rule.field=value>", "replay with another rule setting (repeatable)", collect)
    .action(async (file: string, flags: { json?: boolean; set?: string[] }) => {
      const sets = flags.set ?? [];
      applyRuleOverrides(sets); // bad settings fail before any reading
      const { alerts, summary } = await readSession(file, {
        override: (recorded) => applyRuleOverrides(sets, recorded),
      });
      if (flags.json) {
        const body = alerts.map((a) => serializeEvent(a)).join(",");
        process.stdout.write(
          jsonForTerminal(`{"alerts":[${body}],"summary":${JSON.stringify(summary)}}\n`),
        );
        return;
      }
      // Stage names and the file name come from outside: no control character reaches the tty.
      process.stdout.write(escapeTerminal(render(file, summary)));
    });
}

const ms = (s: number | null): string => (s === null ? "-" : `${(s * 1000).toFixed(1)} ms`);
const mb = (b: number | null): string => (b === null ? "-" : `${(b / 1e6).toFixed(1)} MB`);
const row = (name: string, q: Quantiles): string =>
  `  ${name.padEnd(10)} ${String(q.count).padStart(7)}  ${ms(q.p50).padStart(10)}  ${ms(q.p95).padStart(10)}  ${ms(q.p99).padStart(10)}\n`;

function render(file: string, s: Summary): string {
  let out = `${file}: ${s.durationSeconds.toFixed(0)} s, ${s.utterances} utterance(s)\n\n`;
  out += `  ${"latency".padEnd(10)} ${"count".padStart(7)}  ${"P50".padStart(10)}  ${"P95".padStart(10)}  ${"P99".padStart(10)}\n`;
  out += row("utterance", s.latency);
  for (const [stage, q] of Object.entries(s.stages)) out += row(stage, q);
  out += `\n  CPU        mean ${s.cpu.mean === null ? "-" : s.cpu.mean.toFixed(3)}, max ${s.cpu.max === null ? "-" : s.cpu.max.toFixed(3)} (fraction of all cores)\n`;
  out += `  memory     ${mb(s.memory.first)} -> ${mb(s.memory.last)}, peak ${mb(s.memory.peak)}, growth ${memoryGrowth(s.memory.growthBytesPerSecond)}\n`;
  out += `  GPU peak   ${s.gpuPeakBytes === null ? "no GPU data" : mb(s.gpuPeakBytes)}\n\n`;
  if (s.alerts.length === 0) out += "  alerts     none\n";
  for (const a of s.alerts) {
    out += `  ${new Date(a.time).toISOString()}  ${a.type === "AlertFired" ? "FIRED   " : "RESOLVED"}  ${a.rule} value ${a.value.toPrecision(4)} threshold ${a.threshold}\n`;
  }
  return out;
}
