import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error';

/** A JSON file named on the command line, with errors that name the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `File not found: ${path}` : `${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
