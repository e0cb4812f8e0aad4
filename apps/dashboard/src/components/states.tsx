import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';
import { formatClock } from '../format';

export function Loading({ what }: { what: string }) {
  return (
    <p class="state state--loading" role="status">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state--empty">
      <p class="state__title">{title}</p>
      {children}
    </div>
  );
}

/** An error from the API or the network, with the fields it names and a way to try again. */
export function ErrorNotice({ error, retry, title = 'Something went wrong' }: { error: Error; retry?: () => void; title?: string }) {
  const details = error instanceof ApiError ? (error.details ?? []) : [];
  return (
    <div class="notice notice--error" role="alert">
      <p class="notice__title">{title}</p>
      <p>{error.message}</p>
      {details.length > 0 && (
        <ul class="notice__details">
          {details.map((d) => (
            <li key={d.field}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" class="button button--small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** "Live · updated 10:42:07": shows that a view refreshes on its own, and a failed refresh. */
export function LiveIndicator({ updatedAt, error, live }: { updatedAt?: Date; error?: Error; live: boolean }) {
  if (error && updatedAt)
    return (
      <p class="live live--stale" role="status">
        Could not refresh ({error.message}); showing {formatClock(updatedAt)}
      </p>
    );
  if (!updatedAt) return null;
  return (
    <p class={`live ${live ? 'live--on' : ''}`}>
      {live ? (
        <>
          <span class="live__dot" aria-hidden="true" />
          Live ·{' '}
        </>
      ) : null}
      updated {formatClock(updatedAt)}
    </p>
  );
}
