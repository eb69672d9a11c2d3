import { describe, expect, it } from 'vitest';
import { clearErrors, draftBody, draftErrors, draftWarnings, emptyDraft, emptyTarget, instant, missingFields, requiredFields, targetWarning } from './draft';

describe('the new-request form', () => {
  it('writes local times with the reader\'s offset', () => {
    expect(instant('2026-11-02T09:15', -60)).toBe('2026-11-02T09:15:00+01:00');
    expect(instant('2026-11-02T09:15', 330)).toBe('2026-11-02T09:15:00-05:30');
    expect(instant('2026-11-02T09:15:07', 0)).toBe('2026-11-02T09:15:07+00:00');
    expect(instant('')).toBeUndefined();
    expect(instant('yesterday', 0)).toBe('yesterday');
  });
  it('builds the body the API takes, leaving out what was not given', () => {
    const body = draftBody({
      ...emptyDraft, providerId: 'p', route: 'eu-2023-1543/epoc-subscriber', instrument: 'Regulation (EU) 2023/1543',
      article: 'Art. 4(1)', offenceDescription: ' fraud ', maxPenaltyMonths: '72',
      targets: [{ ...emptyTarget, kind: 'ip', value: ' 192.0.2.44 ', port: '51234', observedAt: '' },
        { ...emptyTarget, kind: 'email', value: 'a@example.org', port: '9' }],
    });
    expect(body).toEqual({
      provider_id: 'p', kind: 'production', categories: ['SubscriberData'],
      targets: [{ kind: 'ip', value: '192.0.2.44', port: 51234 }, { kind: 'email', value: 'a@example.org' }],
      legal_basis: { instrument: 'Regulation (EU) 2023/1543', article: 'Art. 4(1)', domestic_reference: '' },
      offence_description: 'fraud', case_type: 'NotSpecified', offence_category: 'other',
      route: 'eu-2023-1543/epoc-subscriber', max_penalty_months: 72,
    });
    expect(draftBody({ ...emptyDraft, kind: 'emergency_disclosure' })['emergency_justification']).toBe('');
  });
  it('names what the route requires and the form lacks', () => {
    const required = requiredFields({ required_fields: ['issuer_reference', 'legal_basis.domestic_reference', 'targets'] });
    expect([...required]).toEqual(['issuer_reference', 'legal_basis/domestic_reference', 'targets']);
    expect(missingFields(emptyDraft, required)).toEqual({
      issuer_reference: 'this route requires it', 'legal_basis/domestic_reference': 'this route requires it',
      targets: 'this route requires it',
    });
    expect(missingFields({ ...emptyDraft, issuerReference: 'X', domesticReference: 'Y', targets: [{ ...emptyTarget, value: 'a@example.org' }] }, required)).toEqual({});
  });
  it('warns of an IP address that cannot be attributed', () => {
    expect(targetWarning({ ...emptyTarget, kind: 'ip', value: '192.0.2.1' })).toMatch(/source port and time observed/);
    expect(targetWarning({ ...emptyTarget, kind: 'ip', value: '192.0.2.1', port: '1', observedAt: '2026-11-02T09:15' })).toBeUndefined();
    expect(targetWarning({ ...emptyTarget, kind: 'email', value: 'a@example.org' })).toBeUndefined();
  });
});

describe('checks before saving', () => {
  it('flags every required field of an empty form at once', () => {
    const e = draftErrors({ ...emptyDraft, kind: 'emergency_disclosure' });
    expect(Object.keys(e).sort()).toEqual([
      'emergency_justification', 'legal_basis/article', 'legal_basis/instrument', 'offence_description', 'provider_id', 'targets/0/value',
    ]);
  });
  it('puts a period that ends before it starts under Data until', () => {
    const e = draftErrors({ ...emptyDraft, periodStart: '2026-10-10T00:00', periodEnd: '2026-10-01T00:00' });
    expect(e['period/end']).toBe('must be after Data from');
    expect(e['period/start']).toBeUndefined();
  });
  it('adds what the route requires', () => {
    const e = draftErrors(emptyDraft, new Set(['issuer_reference', 'max_penalty_months']));
    expect(e['issuer_reference']).toBe('this route requires it');
    expect(e['max_penalty_months']).toBe('this route requires it');
    expect(draftErrors({ ...emptyDraft, maxPenaltyMonths: 'x' })['max_penalty_months']).toMatch(/whole number/);
  });
  it('warns of a missing period for traffic data and of a past gag date while typing', () => {
    const now = new Date('2026-12-04T12:00:00');
    const w = draftWarnings({ ...emptyDraft, categories: ['TrafficData'], nonDisclosureUntil: '2026-12-01T00:00' }, now);
    expect(w['period']).toMatch(/no period given for traffic or content data/);
    expect(w['non_disclosure_until']).toMatch(/has passed/);
    expect(draftWarnings({ ...emptyDraft, nonDisclosureUntil: '2027-01-01T00:00' }, now)).toEqual({});
  });
  it('clears the errors of the field being edited', () => {
    const e = { 'targets/0/value': 'x', 'targets/1/value': 'y', offence_description: 'z' };
    expect(clearErrors(e, 'targets/0')).toEqual({ 'targets/1/value': 'y', offence_description: 'z' });
    expect(clearErrors(e, 'deadline')).toBe(e);
  });
});
