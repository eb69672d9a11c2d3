import { describe, expect, it } from 'vitest';
import { ApiError, errorWithin, fieldErrors, fieldLabel, problemFrom, readableReason, unplacedErrors, warningText } from './problem';

const validation = {
  type: 'urn:liaison:problem:validation-failed',
  title: 'The input is not valid',
  status: 422,
  detail: 'targets/0/value: not a valid IPv4 or IPv6 address',
  field: 'targets/0/value',
  errors: [
    { field: 'targets/0/value', reason: 'not a valid IPv4 or IPv6 address' },
    { field: 'legal_basis/article', reason: 'is required' },
  ],
};

describe('problems', () => {
  it('maps every error to its field', () => {
    const errors = fieldErrors(problemFrom(422, validation));
    expect(errors).toEqual({
      'targets/0/value': 'not a valid IPv4 or IPv6 address',
      'legal_basis/article': 'is required',
    });
    expect(errorWithin(errors, 'targets')).toBe('Target 1, identifier: not a valid IPv4 or IPv6 address');
    expect(errorWithin(errors, 'targets/0', 'value')).toBe('not a valid IPv4 or IPv6 address');
    expect(errorWithin(errors, 'legal_basis/article')).toBe('is required');
    expect(unplacedErrors(errors, ['targets'])).toEqual(['Article: is required']);
  });
  it('uses the detail when a problem names a field but lists no errors', () => {
    const p = problemFrom(409, { type: 'x', title: 't', status: 409, detail: 'already held', field: 'certificate' });
    expect(fieldErrors(p)).toEqual({ certificate: 'already held' });
  });
  it('puts a problem about no field under the banner', () => {
    const p = problemFrom(403, { type: 'urn:liaison:problem:forbidden', title: 'Forbidden', status: 403, detail: 'only officers' });
    expect(fieldErrors(p)).toEqual({ '': 'only officers' });
    expect(new ApiError(p).kind).toBe('forbidden');
  });
  it('turns an answer that is no problem into one', () => {
    expect(problemFrom(502, '<html>').detail).toBe('the hub answered 502');
    expect(problemFrom(0, null).detail).toBe('the hub could not be reached');
  });
  it('drops malformed error entries', () => {
    const p = problemFrom(422, { ...validation, errors: [{ field: 1 }, { field: 'a', reason: 'b' }] });
    expect(p.errors).toEqual([{ field: 'a', reason: 'b' }]);
  });
  it('names fields as the page does, counting targets from 1', () => {
    expect(fieldLabel('targets/1/port')).toBe('Target 2, source port');
    expect(fieldLabel('period/end')).toBe('Data until');
    expect(fieldLabel('legal_basis/domestic_reference')).toBe('Domestic legal basis');
    expect(warningText({ field: 'targets/1/port', message: 'an IP address without its source port cannot be attributed' }))
      .toBe('Target 2, source port: an IP address without its source port cannot be attributed');
  });
  it('words reasons for the field they are shown at', () => {
    expect(readableReason("value: e-mail address has no '@'", 'targets/0')).toBe("e-mail address has no '@'");
    expect(readableReason('must be after period/start', 'period/end')).toBe('must be after Data from');
    expect(readableReason("the officer's signature (liaison request sign)")).toBe("the officer's signature");
    const p = problemFrom(422, { type: 'x', title: 't', status: 422, detail: 'must be after period/start', field: 'period/end' });
    expect(fieldErrors(p)).toEqual({ 'period/end': 'must be after Data from' });
    expect(new ApiError(problemFrom(422, { type: 'x', title: 't', status: 422, detail: 'is required to request_clarification' })).message)
      .toBe('is required to ask a question');
  });
});
