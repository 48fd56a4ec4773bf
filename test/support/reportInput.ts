// What `voxtrace report` renders from a log, for tests that render it themselves.

import { analyzeLog } from "../../src/analysis/analyzeLog.js";
import type { ReportInput } from "../../src/report/renderReport.js";

export async function reportInput(file: string): Promise<Omit<ReportInput, "title">> {
  const { series, summary, alerts, leakVerdict } = await analyzeLog(file, { series: true });
  return { series: series!, summary, alerts, leakVerdict };
}
