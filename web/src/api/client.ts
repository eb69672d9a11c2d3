// The hub's HTTP API as the portal calls it: same origin, the session cookie
// (HttpOnly, never seen here), and the CSRF token the login returned, sent
// with every change.
import { ApiError, problemFrom } from './problem';

// Kept where every tab of the portal finds it: the cookie is shared by all
// of them, so the token that goes with it must be too, or a page opened in a
// new tab could read but never change anything.
const csrfKey = 'liaison.csrf';

export function setCsrfToken(token: string | null): void {
  if (token) localStorage.setItem(csrfKey, token);
  else localStorage.removeItem(csrfKey);
}

// Calls that sign in answer 401 for a wrong password or code; that is the
// form's error, not the end of a session. Signing out of a session that has
// already ended is not news either.
const signInPaths = ['/api/v1/session', '/api/v1/session/enrolment', '/api/v1/session/enrolment/confirm'];

// True when a failed call means the session is gone (expired, signed out in
// another tab, or its CSRF token no longer matches): the only way on is to
// sign in again.
export function endsSession(path: string, status: number, kind: string): boolean {
  if (signInPaths.includes(path)) return false;
  if (status === 401) return true;
  return status === 403 && (kind === 'csrf-token-missing' || kind === 'csrf-token-invalid');
}

type SessionListener = () => void;
const sessionListeners = new Set<SessionListener>();

// The shell subscribes, to send the user to the sign-in page with a reason.
export function onSessionEnded(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
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
    const csrf = localStorage.getItem(csrfKey);
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
  if (!response.ok) {
    const error = new ApiError(problemFrom(response.status, parsed));
    if (endsSession(path, response.status, error.kind)) {
      for (const listener of sessionListeners) listener();
    }
    throw error;
  }
  return parsed as T;
}
