import { useState } from 'preact/hooks';
import { ApiError, apiFor } from '../api/client';

/** Asks for an API token and checks it with one cheap call before keeping it. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (token: string, remember: boolean) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (!trimmed) return setError('Paste your API token first.');
    setBusy(true);
    setError(undefined);
    try {
      await apiFor(trimmed).jobs({ limit: 1 });
      onSignedIn(trimmed, remember);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'This token was not accepted. Check that you copied all of it; an operator can create a new one.'
          : (failure as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <form class="card signin__card" onSubmit={submit} noValidate>
        <p class="brand brand--large">
          <span class="brand__mark" aria-hidden="true">
            ▶
          </span>{' '}
          vrs
        </p>
        <h1>Sign in</h1>
        <p class="muted">
          Use your tenant's API token, the one <code>POST /admin/tenants</code> gave. It stays in this browser and is sent only to this gateway.
        </p>
        {notice && (
          <p class="notice notice--info" role="status">
            {notice}
          </p>
        )}
        <label class="field">
          <span class="field__label">API token</span>
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            spellcheck={false}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
            required
          />
        </label>
        <label class="check">
          <input type="checkbox" name="remember" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
          <span>Keep me signed in on this device</span>
        </label>
        {error && (
          <p id="signin-error" class="field__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--wide" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
