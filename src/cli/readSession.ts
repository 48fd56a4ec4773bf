// Reads a session log for analyze, report and compare, and says on stderr what a user
// should know about it: a torn last line, or several sessions in one file.

import { analyzeLog, type AnalyzedLog } from "../analysis/analyzeLog.js";
import type { RulesOverride } from "../analysis/replay.js";
import { escapeTerminal } from "../text/escapeTerminal.js";

export async function readSession(
  file: string,
  options: { override?: RulesOverride; series?: boolean } = {},
): Promise<AnalyzedLog> {
  const log = await analyzeLog(file, options);
  const warn = (line: string): void =>
    void process.stderr.write(`voxtrace: warning: ${escapeTerminal(line)}\n`);
  if (log.damage) warn(`${log.damage.file}:${log.damage.line}: ${log.damage.message}`);
  if (log.sessions > 1)
    warn(
      `${file} holds ${log.sessions} sessions: alerts are judged per session, the summary covers them all`,
    );
  return log;
}
