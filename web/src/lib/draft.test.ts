import { describe, expect, it } from 'vitest';
import { draftBody, emptyDraft, emptyTarget, instant, missingFields, requiredFields, targetWarning } from './draft';

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
