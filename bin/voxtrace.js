#!/usr/bin/env node
// Thin launcher: the command line lives in the compiled src/cli.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
