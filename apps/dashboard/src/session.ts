/**
 * The API token lives in sessionStorage (gone when the tab closes) unless the user asked to stay
 * signed in on this device (localStorage). It is sent only as `Authorization: Bearer` to this origin.
 */
const KEY = 'vrs.apiToken';

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
}

export function storeToken(token: string, remember: boolean): void {
  forgetToken();
  (remember ? localStorage : sessionStorage).setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}
