import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/jobs/abc`): the gateway serves one index.html and needs no fallback route. */
export type Route =
  | { page: 'jobs'; state?: string }
  | { page: 'job'; id: string }
  | { page: 'new-join' }
  | { page: 'batches' }
  | { page: 'batch'; id: string }
  | { page: 'templates' }
  | { page: 'template'; id: string }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'jobs')) return { page: 'jobs', state: query.get('state') ?? undefined };
  if (parts[0] === 'jobs' && parts.length === 2) return parts[1] === 'new' ? { page: 'new-join' } : { page: 'job', id: parts[1] };
  if (parts[0] === 'batches') return parts.length === 1 ? { page: 'batches' } : { page: 'batch', id: parts[1] };
  if (parts[0] === 'templates') return parts.length === 1 ? { page: 'templates' } : { page: 'template', id: parts[1] };
  return { page: 'not-found', path };
}

export const hrefFor = {
  jobs: (state?: string) => (state ? `#/jobs?state=${encodeURIComponent(state)}` : '#/jobs'),
  job: (id: string) => `#/jobs/${encodeURIComponent(id)}`,
  newJoin: () => '#/jobs/new',
  batches: () => '#/batches',
  batch: (id: string) => `#/batches/${encodeURIComponent(id)}`,
  templates: () => '#/templates',
  template: (id: string) => `#/templates/${encodeURIComponent(id)}`,
};

export const navigate = (href: string) => {
  location.hash = href;
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
