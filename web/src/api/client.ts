// The hub's HTTP API as the portal calls it: same origin, the session cookie
// (HttpOnly, never seen here), and the CSRF token the login returned, sent
// with every change.
import { ApiError, problemFrom } from './problem';

const csrfKey = 'liaison.csrf';

export function setCsrfToken(token: string | null): void {
  if (token) sessionStorage.setItem(csrfKey, token);
  else sessionStorage.removeItem(csrfKey);
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  ifMatch?: number;
  headers?: Record<string, string>;
}

export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(csrfKey);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (options.body instanceof Blob) {
      body = options.body;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
  }
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(problemFrom(0, null));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(problemFrom(response.status, parsed));
  return parsed as T;
}
