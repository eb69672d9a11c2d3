import { describe, expect, it } from 'vitest';
import type { Signature } from '../api/types';
import { mySignature } from './signed';

const org = { country: 'NL', endpoint_uid: 'NL.police', name: 'Police' };
const officer: Signature = { role: 'officer', name: 'Olivia Brandt', key_id: 'aaaa', signed_at: '2026-11-02T09:00:00Z', organisation: org };
const validator: Signature = {
  role: 'validator', name: 'Piet Jansen', key_id: 'bbbb', signed_at: '2026-11-02T09:10:00Z',
  organisation: { country: 'NL', endpoint_uid: 'NL.om', name: 'Prosecutor' },
};

describe('my signature', () => {
  it('finds the signature made with this browser\'s key', () => {
    expect(mySignature([officer, validator], { keyId: 'bbbb' })).toBe(validator);
    expect(mySignature([officer], { keyId: 'cccc' })).toBeNull();
  });
  it('falls back to the name within the same organisation', () => {
    expect(mySignature([officer, validator], { keyId: null, name: 'Olivia Brandt', endpointUid: 'NL.police' })).toBe(officer);
    expect(mySignature([officer], { keyId: null, name: 'Olivia Brandt', endpointUid: 'NL.om' })).toBeNull();
    expect(mySignature([], { keyId: 'aaaa' })).toBeNull();
  });
});
