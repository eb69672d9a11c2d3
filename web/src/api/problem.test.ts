import { describe, expect, it } from 'vitest';
import { ApiError, errorWithin, fieldErrors, problemFrom, unplacedErrors } from './problem';

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
    expect(errorWithin(errors, 'targets')).toBe('0/value: not a valid IPv4 or IPv6 address');
    expect(errorWithin(errors, 'legal_basis/article')).toBe('is required');
    expect(unplacedErrors(errors, ['targets'])).toEqual(['legal_basis/article: is required']);
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
});
