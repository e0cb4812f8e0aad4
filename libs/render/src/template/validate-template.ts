import { toFieldIssues, type FieldIssue } from '@vrs/contracts';
import { TemplateValidationError } from '../render-input-error';
import { Template, templateSchema } from './template-schema';

export type TemplateValidation = { ok: true; template: Template } | { ok: false; errors: FieldIssue[] };

/** Checks a JSON template and fills in defaults; every problem is reported, each with its field path. */
export function validateTemplate(input: unknown): TemplateValidation {
  const result = templateSchema.safeParse(input, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (result.success) return { ok: true, template: result.data };
  return { ok: false, errors: toFieldIssues(result.error, { eachUnknownKey: true }) };
}

/** Like `validateTemplate`, but throws a `TemplateValidationError` (a 400) listing the problems. */
export function parseTemplate(input: unknown): Template {
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(`The template is invalid: ${summarise(result.errors)}`, result.errors);
  return result.template;
}

export function summarise(errors: FieldIssue[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.field} ${e.message}`);
  return shown.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}
