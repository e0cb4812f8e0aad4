import type { StoredTemplate } from '../../infrastructure/template-catalogue';

/** A template as the API shows it; `template` (the stored body) only when asked for one template. */
export function presentTemplate(stored: StoredTemplate, withBody: boolean) {
  const body = stored.body as { driver?: string; compositions?: Record<string, unknown> };
  return {
    id: stored.id,
    name: stored.name,
    driver: body.driver,
    compositions: Object.keys(body.compositions ?? {}),
    createdAt: stored.createdAt.toISOString(),
    ...(withBody ? { template: stored.body } : {}),
  };
}
