#!/usr/bin/env node
// First, as a side-effect import (the import order keeps those on top): maps @vrs/* before anything that imports them loads.
import './runtime-aliases';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { CliError } from './cli-error';
import { buildProgram } from './program';
import { REPOSITORY_ROOT } from './runtime-aliases';

/** Runs `vrs`: usage errors exit 2, a failed job or API error exits 1 with its message on stderr. */
async function main(): Promise<void> {
  const io = {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
    env: process.env,
    interactive: process.stderr.isTTY === true,
  };
  const { version } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { version: string };
  const program = buildProgram(io, version).exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    io.stderr(`vrs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}

void main();
