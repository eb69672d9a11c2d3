import { describe, expect, it } from 'vitest';
import type { LiaisonRequest } from '../api/types';
import { byDeadline, deadlineOf, deadlineView, emptyFilter, matches, mayConverse, needsMe } from './requests';

const now = new Date('2026-11-02T12:00:00Z');

function request(over: Partial<LiaisonRequest>): LiaisonRequest {
  return {
    id: 'r', reference: 'NL-NPCU-2026-000001', kind: 'production', status: 'submitted', version: 1,
    categories: ['SubscriberData'], targets: [], legal_basis: { instrument: 'i', article: 'a' },
    offence_description: 'o', issuer: { id: 'i', name: 'Police', country: 'NL', kind: 'authority' },
    provider: { id: 'p', name: 'Mail', country: 'IE', kind: 'provider' }, created_at: '2026-11-01T00:00:00Z',
    warnings: [], allowed_actions: [], ...over,
  };
}

describe('queue', () => {
  it('sorts by the deadline that binds, undated last', () => {
    const a = request({ id: 'a', due_at: '2026-11-02T18:00:00Z' });
    const b = request({ id: 'b', deadline: '2026-11-02T13:00:00Z' });
    const c = request({ id: 'c' });
    const d = request({ id: 'd', status: 'preserved', preserved_until: '2026-12-01T00:00:00Z' });
    expect([c, d, a, b].sort(byDeadline).map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(deadlineOf(request({ status: 'accepted', preserved_until: '2026-12-01T00:00:00Z' }))).toBeNull();
  });
  it('filters by status, country, kind, emergency and overdue', () => {
    const late = request({ due_at: '2026-11-02T11:00:00Z', kind: 'emergency_disclosure' });
    const closed = request({ status: 'produced', due_at: '2026-11-02T11:00:00Z' });
    const german = request({ issuer: { id: 'x', name: 'BKA', country: 'DE', kind: 'authority' } });
    expect(matches(late, emptyFilter, now)).toBe(true);
    expect(matches(closed, emptyFilter, now)).toBe(false);
    expect(matches(closed, { ...emptyFilter, status: '' }, now)).toBe(true);
    expect(matches(closed, { ...emptyFilter, status: 'produced' }, now)).toBe(true);
    expect(matches(german, { ...emptyFilter, country: 'NL' }, now)).toBe(false);
    expect(matches(german, { ...emptyFilter, kind: 'preservation' }, now)).toBe(false);
    expect(matches(german, { ...emptyFilter, emergencyOnly: true }, now)).toBe(false);
    expect(matches(late, { ...emptyFilter, emergencyOnly: true, overdueOnly: true }, now)).toBe(true);
    expect(matches(german, { ...emptyFilter, overdueOnly: true }, now)).toBe(false);
    expect(matches(closed, { ...emptyFilter, status: '', overdueOnly: true }, now)).toBe(false);
  });
  it('says what needs the caller', () => {
    expect(needsMe(request({ allowed_actions: ['clarify', 'cancel'] }))).toBe('the provider asked a question');
    expect(needsMe(request({ allowed_actions: ['acknowledge', 'reject'] }))).toBe('new: acknowledge');
    expect(needsMe(request({ allowed_actions: ['cancel'] }))).toBeNull();
    expect(needsMe(request({ status: 'draft' }), 'prosecutors')).toBe('asked to validate');
    expect(needsMe(request({ status: 'draft' }), 'i')).toBeNull();
    expect(needsMe(request({ allowed_actions: ['submit'], signatures_required: { missing: ['x'], ready: false } }))).toBe('signatures missing');
  });
});

describe('deadline shown', () => {
  it('counts down an open request, and nothing once it is answered or ended', () => {
    expect(deadlineView(request({ due_at: '2026-11-12T00:00:00Z' }))).toEqual({ kind: 'due', due: '2026-11-12T00:00:00Z' });
    for (const status of ['produced', 'rejected', 'cancelled', 'not_available', 'expired', 'released', 'quarantined']) {
      expect(deadlineView(request({ status, due_at: '2026-11-12T00:00:00Z' }))).toEqual({ kind: 'finished' });
    }
    expect(deadlineView(request({ status: 'draft', deadline: '2026-11-12T00:00:00Z' }))).toEqual({ kind: 'due', due: '2026-11-12T00:00:00Z' });
    expect(deadlineView(request({}))).toEqual({ kind: 'none' });
  });
  it('says the clock is paused while the authority answers a question', () => {
    const rule = 'response: 10 days from receipt under x; the clock is stopped while the authority answers a clarification';
    expect(deadlineView(request({ status: 'clarification_requested', due_at: null, due_rule: rule, deadline: '2026-11-12T00:00:00Z' })))
      .toEqual({ kind: 'paused' });
    expect(deadlineView(request({ status: 'clarification_requested', due_at: '2026-11-12T00:00:00Z', due_rule: 'emergency: 8 hours' })))
      .toEqual({ kind: 'due', due: '2026-11-12T00:00:00Z' });
  });
});

describe('who may write', () => {
  const user = (org: string, roles: string[]) => ({
    id: 'u', email: 'e', roles, organisation: { id: org, name: org, country: 'NL', kind: 'authority' as const },
  });
  it('lets both sides write, and not a validating authority', () => {
    const r = request({ validator: { id: 'v', name: 'Prosecutor', country: 'NL', kind: 'authority' } });
    expect(mayConverse(r, user('i', ['officer']))).toBe(true);
    expect(mayConverse(r, user('i', ['org_admin']))).toBe(false);
    expect(mayConverse(r, user('p', ['analyst']))).toBe(true);
    expect(mayConverse(r, user('p', ['officer']))).toBe(false);
    expect(mayConverse(r, user('v', ['validator']))).toBe(false);
    expect(mayConverse(r, { id: 'u', email: 'e', roles: ['officer'], organisation: null })).toBe(false);
  });
});
