import { Option, type Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../output/output';
import { commandContext } from './command-context';
import { followSubmitted } from './job-outcome';
import { sourceFor, type MediaKind } from './sources';

/** `layer=value` of --text/--image/--video/--audio, repeatable. */
export function layerAssignment(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CliError(`"${value}" is not LAYER=VALUE (for example --text title="Hello").`, 2);
  return [...previous, [value.slice(0, at), value.slice(at + 1)]];
}

interface RenderOptions {
  composition: string;
  text?: Array<[string, string]>;
  image?: Array<[string, string]>;
  video?: Array<[string, string]>;
  audio?: Array<[string, string]>;
  wait?: boolean;
  out?: string;
}

/** vrs render TEMPLATE -c main --text title=Hello --image logo=logo.png --wait --out out.mp4 */
export function registerRender(program: Command, io: CliIo): void {
  program
    .command('render')
    .description("render one of the tenant's templates with data and media assets")
    .argument('<template>', 'template id (see vrs templates ls)')
    .requiredOption('-c, --composition <name>', 'the composition to render')
    .addOption(new Option('--text <layer=value>', "set a text layer's Source Text (repeatable)").argParser(layerAssignment))
    .addOption(new Option('--image <layer=src>', "replace an image layer's footage: file, URL or upload:// (repeatable)").argParser(layerAssignment))
    .addOption(new Option('--video <layer=src>', "replace a video layer's footage (repeatable)").argParser(layerAssignment))
    .addOption(new Option('--audio <layer=src>', "replace an audio layer's sound (repeatable)").argParser(layerAssignment))
    .option('-w, --wait', 'wait until the job ends; exit non-zero when it fails')
    .option('-o, --out <file>', 'save the rendered MP4 here (implies --wait)')
    .action(async (template: string, options: RenderOptions, command: Command) => {
      const ctx = await commandContext(command, io);
      const assets: unknown[] = (options.text ?? []).map(([layerName, value]) => ({ type: 'data', layerName, property: 'Source Text', value }));
      for (const kind of ['image', 'video', 'audio'] as MediaKind[]) {
        for (const [layerName, src] of options[kind] ?? []) assets.push({ type: kind, layerName, src: await sourceFor(src, kind, ctx.api, ctx.progress) });
      }
      const created = await ctx.api.json('POST', '/jobs', { template: { id: template, composition: options.composition }, assets });
      await followSubmitted(ctx, created, options);
    });
}
