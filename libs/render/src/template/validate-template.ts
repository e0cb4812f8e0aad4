import type { z } from 'zod';
import { FieldError, TemplateValidationError, formatFieldPath } from '../render-input-error';
import { Template, templateSchema } from './template-schema';

export type TemplateValidation = { ok: true; template: Template } | { ok: false; errors: FieldError[] };

/** Checks a JSON template and fills in defaults; every problem is reported, each with its field path. */
export function validateTemplate(input: unknown): TemplateValidation {
  const result = templateSchema.safeParse(input, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (result.success) return { ok: true, template: result.data };
  return { ok: false, errors: zodIssuesToFieldErrors(result.error.issues) };
}

/** Like `validateTemplate`, but throws a `TemplateValidationError` (a 400) listing the problems. */
export function parseTemplate(input: unknown): Template {
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(`The template is invalid: ${summarise(result.errors)}`, result.errors);
  return result.template;
}

export function zodIssuesToFieldErrors(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: formatFieldPath([...path, key]), message: 'is not a recognised field here' }));
    }
    return [{ field: formatFieldPath(path), message: issue.message }];
  });
}

export function summarise(errors: FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.field || '(body)'} ${e.message}`);
  return shown.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}
