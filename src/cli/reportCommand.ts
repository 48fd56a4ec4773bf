// `voxtrace report LOG --out report.html`: a self-contained HTML report of a session.

import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { VoxtraceError } from "../errors.js";
import { loadSession } from "../report/loadSession.js";
import { renderReport } from "../report/renderReport.js";
import { escapeTerminal } from "../text/escapeTerminal.js";

export function reportCommand(): Command {
  return new Command("report")
    .description(
      "write a self-contained HTML report (charts, alerts, summary) of a session's event log",
    )
    .argument("<log>", "event log written by transcribe (--events)")
    .requiredOption("--out <file>", "where to write the HTML")
    .action(async (file: string, flags: { out: string }) => {
      const session = await loadSession(file, (line) =>
        process.stderr.write(`voxtrace: warning: ${escapeTerminal(line)}\n`),
      );
      const html = renderReport({ title: `voxtrace session ${path.basename(file)}`, ...session });
      await writeAtomically(flags.out, html);
      process.stdout.write(`${flags.out}\n`);
    });
}

/** Writes next to the target and renames, so a failure never leaves half a file. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    throw new VoxtraceError(
      "bad_input",
      `${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)}) - choose another --out path`,
    );
  }
}
