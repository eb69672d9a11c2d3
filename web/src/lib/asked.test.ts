import { describe, expect, it } from 'vitest';
import type { LiaisonRequest } from '../api/types';
import { askedRows, nonDisclosureText, periodText, words } from './asked';
import { localTime } from './time';

function request(over: Partial<LiaisonRequest>): LiaisonRequest {
  return {
    id: 'r', reference: 'NL-1', kind: 'production', status: 'submitted', version: 1,
    categories: ['SubscriberData'], targets: [], legal_basis: { instrument: 'i', article: 'a' },
    offence_description: 'o', issuer: { id: 'i', name: 'Police', country: 'NL', kind: 'authority' },
    provider: { id: 'p', name: 'Mail', country: 'IE', kind: 'provider' }, created_at: '2026-11-01T00:00:00Z',
    warnings: [], allowed_actions: [], ...over,
  };
}

describe('what is asked', () => {
  it('names the period in local time, or says there is none', () => {
    const start = '2026-10-01T00:00:00Z';
    const end = '2026-10-31T00:00:00Z';
    expect(periodText({ start, end })).toBe(`From ${localTime(start)} to ${localTime(end)}`);
    expect(periodText(null)).toMatch(/^No period given/);
    expect(periodText({ start })).toMatch(/no end given/);
  });
  it('says whether the user may be told', () => {
    expect(nonDisclosureText(request({}))).toMatch(/^None/);
    const until = '2027-01-01T00:00:00Z';
    expect(nonDisclosureText(request({ non_disclosure_until: until }))).toBe(`The user must not be told of this request before ${localTime(until)}`);
    expect(nonDisclosureText(request({ non_disclosure_until: until, user_notification: { permitted_at: until, notified_at: null } })))
      .toMatch(/may now be told/);
  });
  it('lists the case number, period, gag order, case type, penalty and asked deadline', () => {
    const rows = askedRows(request({
      issuer_reference: 'NPCU-2026-0142', case_type: 'OtherFinancialCrimeOrFraud', max_penalty_months: 72,
      deadline: '2026-12-01T00:00:00Z', period: { start: '2026-10-01T00:00:00Z', end: '2026-10-31T00:00:00Z' },
    }));
    expect(rows.map((x) => x.label)).toEqual([
      "Authority's case number", 'Period of the data', 'Non-disclosure (gag order)', 'Type of case', 'Maximum penalty', 'Answer asked by',
    ]);
    expect(rows[0]?.text).toBe('NPCU-2026-0142');
    expect(rows[3]?.text).toBe('Other financial crime or fraud');
    expect(rows[4]?.text).toBe('72 months');
    expect(askedRows(request({ case_type: 'NotSpecified' })).map((x) => x.label)).toEqual(['Period of the data', 'Non-disclosure (gag order)']);
  });
  it('spells codes as words', () => {
    expect(words('notify_user')).toBe('Notify user');
  });
});
