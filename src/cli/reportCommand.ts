// `voxtrace report LOG --out report.html`: a self-contained HTML report of a session.

import path from "node:path";
import { Command } from "commander";
import { writeFileAtomically } from "../files/writeFileAtomically.js";
import { renderReport } from "../report/renderReport.js";
import { readSession } from "./readSession.js";

export function reportCommand(): Command {
  return new Command("report")
    .description(
      "write a self-contained HTML report (charts, alerts, summary) of a session's event log",
    )
    .argument("<log>", "event log written by transcribe (--events)")
    .requiredOption("--out <file>", "where to write the HTML")
    .action(async (file: string, flags: { out: string }) => {
      const session = await readSession(file, { series: true });
      const html = renderReport({
        title: `voxtrace session ${path.basename(file)}`,
        series: session.series!,
        summary: session.summary,
        alerts: session.alerts,
        leakVerdict: session.leakVerdict,
      });
      writeAtomically(flags.out, html);
      process.stdout.write(`${flags.out}\n`);
    });
}

/** Writes next to the target and renames, so a failure never leaves half a file. */
export function writeAtomically(file: string, content: string, flag = "--out"): void {
  writeFileAtomically(file, content, `choose another ${flag} path`);
}
