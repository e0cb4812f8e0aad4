import type { FieldIssue } from '@vrs/contracts';

/**
 * Bad input from the caller (template, assets or settings): a 400, never retried and never
 * counted against a render driver's health.
 */
export class RenderInputError extends Error {
  constructor(
    message: string,
    readonly details: FieldIssue[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class TemplateValidationError extends RenderInputError {}
export class AssetInjectionError extends RenderInputError {}
export class RenderSettingsError extends RenderInputError {}
