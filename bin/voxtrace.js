#!/usr/bin/env node
// Thin launcher: the command line lives in the compiled src/cli.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
// Everything the command owed is written by now; a telemetry request still waiting on a
// hanging collector must not hold the process open past its export timeout.
setTimeout(() => process.exit(), 2000).unref();
