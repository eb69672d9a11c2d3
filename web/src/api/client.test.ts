import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, endsSession, onSessionEnded, setCsrfToken } from './client';

// A minimal Storage, shared as localStorage is by every tab of one origin.
class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.items.set(k, v); }
  removeItem(k: string) { this.items.delete(k); }
}

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(body === null ? null : JSON.stringify(body), { status }));
}

describe('the API client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('tells a session that has ended from a form error', () => {
    expect(endsSession('/api/v1/requests', 401, 'unauthenticated')).toBe(true);
    expect(endsSession('/api/v1/requests/x/actions', 403, 'csrf-token-invalid')).toBe(true);
    expect(endsSession('/api/v1/requests/x/actions', 403, 'csrf-token-missing')).toBe(true);
    expect(endsSession('/api/v1/requests/x/actions', 403, 'forbidden')).toBe(false);
    // A wrong password at sign-in is the form's error.
    expect(endsSession('/api/v1/session', 401, 'unauthenticated')).toBe(false);
    expect(endsSession('/api/v1/session/enrolment/confirm', 401, 'unauthenticated')).toBe(false);
  });

  it('sends the CSRF token kept for every tab with each change, and not with reads', async () => {
    vi.stubGlobal('localStorage', new MemoryStorage());
    const fetch = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('t0k3n');
    await call('/api/v1/requests', { method: 'POST', body: {} });
    await call('/api/v1/requests');
    const sent = (i: number) => (fetch.mock.calls[i] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(sent(0)['X-CSRF-Token']).toBe('t0k3n');
    expect(sent(1)['X-CSRF-Token']).toBeUndefined();
    setCsrfToken(null);
    expect(localStorage.getItem('liaison.csrf')).toBeNull();
  });

  it('tells its listeners when a call finds the session gone', async () => {
    vi.stubGlobal('localStorage', new MemoryStorage());
    vi.stubGlobal('fetch', answer(401, { type: 'urn:liaison:problem:unauthenticated', title: 'Unauthenticated', status: 401, detail: 'the session has expired' }));
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    await expect(call('/api/v1/requests')).rejects.toThrow('the session has expired');
    expect(ended).toHaveBeenCalledTimes(1);
    await expect(call('/api/v1/session', { method: 'POST', body: {} })).rejects.toThrow();
    expect(ended).toHaveBeenCalledTimes(1);
    stop();
    await expect(call('/api/v1/requests')).rejects.toThrow();
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
