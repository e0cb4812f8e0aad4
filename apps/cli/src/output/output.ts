/** Where a command's results go: JSON documents for scripts (--json), or lines for people. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress bars are shown only then). */
  interactive: boolean;
}

export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Prints `value` as JSON with --json, else the human lines. */
  result(value: unknown, human: () => string | string[]): void {
    if (this.json) this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    else this.io.stdout(`${([] as string[]).concat(human()).join('\n')}\n`);
  }

  /** Remarks along the way, on stderr, so stdout stays the result alone. */
  note(text: string): void {
    if (!this.json) this.io.stderr(`${text}\n`);
  }
}

/** Left-aligned columns for lists (jobs, templates). */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
}
