/** This service's copy of the tenants' templates (the gateway owns the catalogue and publishes template.changed). */
export interface TemplateReplica {
  /** Idempotent; `body` null deletes. */
  apply(tenantId: string, id: string, body: Record<string, unknown> | null): Promise<void>;
  /**
   * The template's body, waiting up to `waitMs` for it: a template created just before the job travels
   * on another topic and may arrive a moment after the render request. Undefined when it never comes.
   */
  find(tenantId: string, id: string, waitMs: number, signal: AbortSignal): Promise<unknown | undefined>;
}

export const TEMPLATE_REPLICA = Symbol('TEMPLATE_REPLICA');
