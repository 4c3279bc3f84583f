#!/usr/bin/env node
/** Entry point of the `labops` binary. */
import { processIo } from './io.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
