export interface StoredTemplate {
  id: string;
  tenantId: string;
  name: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

/** The tenants' template catalogue. */
export interface Templates {
  create(template: StoredTemplate): Promise<void>;
  /** False when the tenant has no such template. */
  delete(tenantId: string, id: string): Promise<boolean>;
  get(tenantId: string, id: string): Promise<StoredTemplate | null>;
  /** Newest first. */
  list(tenantId: string, limit: number): Promise<StoredTemplate[]>;
}

export const TEMPLATES = Symbol('TEMPLATES');
