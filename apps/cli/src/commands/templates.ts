import type { Command } from 'commander';
import type { TemplateList, TemplateView } from '@vrs/contracts';
import { table, type CliIo } from '../output/output';
import { commandContext } from './command-context';
import { readJsonFile } from './read-json-file';

export function registerTemplates(program: Command, io: CliIo): void {
  const templates = program.command('templates').description("the tenant's templates");

  templates
    .command('push')
    .description('create a template from a JSON file (format: docs/rendering.md)')
    .argument('<file>', 'template JSON')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = await commandContext(command, io);
      const created = await ctx.api.json<TemplateView>('POST', '/templates', await readJsonFile(file));
      ctx.out.result(created, () => `template ${created.id} ${created.name} (compositions: ${created.compositions.join(', ')})`);
    });

  templates
    .command('ls')
    .description('list templates, newest first')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await commandContext(command, io);
      const answer = await ctx.api.json<TemplateList>('GET', '/templates');
      ctx.out.result(answer, () =>
        answer.templates.length === 0
          ? ['no templates']
          : table([
              ['ID', 'NAME', 'DRIVER', 'COMPOSITIONS', 'CREATED'],
              ...answer.templates.map((t) => [t.id, t.name, t.driver ?? '', t.compositions.join(','), t.createdAt]),
            ]),
      );
    });
}
