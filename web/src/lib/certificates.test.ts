import { describe, expect, it } from 'vitest';
import { signerCertificates, type StoredCertificate } from './certificates';

function cert(kind: string, key_id: string, issuer_key_id: string, not_before: string, not_after: string): StoredCertificate {
  return { fingerprint: key_id + not_before, kind, key_id, issuer_key_id, not_before, not_after,
    certificate: { kind, key_id, public_key: 'p', serial: key_id + not_before } };
}

const now = new Date('2026-11-02T12:00:00Z');

describe('signer certificates', () => {
  it('takes the newest valid certificate of the key, with its issuer', () => {
    const all = [
      cert('organisation', 'org', 'root', '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      cert('user', 'k', 'org', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
      cert('user', 'k', 'org', '2026-06-01T00:00:00Z', '2027-06-01T00:00:00Z'),
      cert('user', 'k', 'org', '2026-12-01T00:00:00Z', '2027-12-01T00:00:00Z'),
      cert('user', 'other', 'org', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    ];
    const found = signerCertificates(all, 'k', now);
    expect(found?.certificate['serial']).toBe('k2026-06-01T00:00:00Z');
    expect(found?.chain.map((c) => c.key_id)).toEqual(['org']);
  });
  it('finds nothing for an expired key or one whose issuer is not held', () => {
    expect(signerCertificates([cert('user', 'k', 'org', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      cert('organisation', 'org', 'root', '2025-01-01T00:00:00Z', '2028-01-01T00:00:00Z')], 'k', now)).toBeNull();
    expect(signerCertificates([cert('user', 'k', 'gone', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')], 'k', now)).toBeNull();
  });
});
