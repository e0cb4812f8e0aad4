/** One problem with a caller's input, addressed by its path (e.g. `compositions.intro.layers[2].color`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Bad input from the caller (template, assets or settings): a 400, never retried and never
 * counted against a render driver's health.
 */
export class RenderInputError extends Error {
  constructor(message: string, readonly details: FieldError[]) {
    super(message);
    this.name = new.target.name;
  }
}

export class TemplateValidationError extends RenderInputError {}
export class AssetInjectionError extends RenderInputError {}
export class RenderSettingsError extends RenderInputError {}

/** Formats a path like `['compositions', 'intro', 'layers', 2, 'color']` as `compositions.intro.layers[2].color`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}
