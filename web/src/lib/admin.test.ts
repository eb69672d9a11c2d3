import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../api/types';
import {
  adminPages, certificateEmail, certificateRoles, certificateState, groupedHex, isHubAdmin, organisationBody,
  readTrustFile, revocationOf, rolesForKind, suggestedPassword, trustFileErrors,
  type ListedCertificate, type RevocationList, type UploadContext,
} from './admin';

const police = { id: 'p', name: 'Northport Police', country: 'NL', kind: 'authority' as const, endpoint_uid: 'NPCU' };

function user(patch: Partial<SessionUser>): SessionUser {
  return { id: 'u', email: 'ada.kramer@police.example.org', roles: [], organisation: police, hub_admin: false, ...patch };
}

function listed(patch: Partial<ListedCertificate> = {}): ListedCertificate {
  return {
    fingerprint: 'f'.repeat(64),
    kind: 'user',
    key_id: '01c4bcf7f433165783d9682eab57a915',
    serial: '80420d8c6a8a349426d2cb102d63fc0c',
    subject_name: 'Noor Bakker',
    country: 'NL',
    trusted_root: false,
    added_at: '2026-12-01T00:00:00Z',
    not_before: '2026-12-01T00:00:00Z',
    not_after: '2027-12-01T00:00:00Z',
    issuer_key_id: '95053bab7056005376a21fe5697dfccd',
    certificate: {
      key_id: '01c4bcf7f433165783d9682eab57a915', public_key: 'x', kind: 'user',
      roles: ['officer', 'supervisor'], subject: { name: 'Noor Bakker', email: 'noor.bakker@police.example.org' },
    },
    ...patch,
  };
}

function revocations(entries: RevocationList['entries'], issuer = '95053bab7056005376a21fe5697dfccd'): RevocationList[] {
  return [{
    liaison_revocation_list: 1, issuer: { key_id: issuer, name: 'Northport Police' }, number: 1,
    issued_at: '2026-12-02T00:00:00Z', entries, signature: 's',
  }];
}

describe('who may use the admin area', () => {
  it('gives hub administrators every page and org admins their organisation\'s', () => {
    const hubAdmin = user({ organisation: null, hub_admin: true, roles: [] });
    expect(isHubAdmin(hubAdmin)).toBe(true);
    expect(adminPages(hubAdmin)).toEqual(['users', 'trust', 'organisations']);
    expect(adminPages(user({ roles: ['org_admin'] }))).toEqual(['users', 'trust']);
  });

  it('gives officers, auditors and analysts none', () => {
    expect(adminPages(user({ roles: ['officer', 'supervisor'] }))).toEqual([]);
    expect(adminPages(user({ roles: ['auditor'] }))).toEqual([]);
    expect(isHubAdmin(user({ roles: ['org_admin'] }))).toBe(false);
  });

  it('reads an account without an organisation as a hub administrator only when the hub does not say', () => {
    expect(isHubAdmin(user({ organisation: null, hub_admin: undefined }))).toBe(true);
    expect(isHubAdmin(user({ organisation: null, hub_admin: false }))).toBe(false);
  });
});

describe('roles by kind of organisation', () => {
  it('offers only the roles the hub accepts for the kind', () => {
    expect(rolesForKind('authority')).toEqual(['officer', 'validator', 'supervisor', 'org_admin', 'auditor']);
    expect(rolesForKind('provider')).toEqual(['analyst', 'counsel', 'org_admin', 'auditor']);
    expect(rolesForKind('central_authority')).toEqual(rolesForKind('authority'));
    expect(rolesForKind('provider')).not.toContain('officer');
  });
});

describe('a new organisation', () => {
  it('sends an authority\'s type, trimmed fields and an upper-case country', () => {
    expect(organisationBody({ kind: 'authority', name: ' Southport Police ', country: 'nl ', endpoint_uid: ' SPPD', authority_type: 'police' }))
      .toEqual({ kind: 'authority', name: 'Southport Police', country: 'NL', endpoint_uid: 'SPPD', authority_type: 'police' });
  });

  it('sends no type for a provider, a central authority, or an authority left without one', () => {
    expect(organisationBody({ kind: 'provider', name: 'P', country: 'IE', endpoint_uid: 'P', authority_type: 'police' }))
      .not.toHaveProperty('authority_type');
    expect(organisationBody({ kind: 'central_authority', name: 'C', country: 'NL', endpoint_uid: 'C', authority_type: 'judge' }))
      .not.toHaveProperty('authority_type');
    expect(organisationBody({ kind: 'authority', name: 'A', country: 'NL', endpoint_uid: 'A', authority_type: '' }))
      .not.toHaveProperty('authority_type');
  });
});

describe('fingerprints and first passwords', () => {
  it('groups hex by four', () => {
    expect(groupedHex('95053BAB7056005376a21fe5697dfccd')).toBe('9505 3bab 7056 0053 76a2 1fe5 697d fccd');
    expect(groupedHex('abcdef')).toBe('abcd ef');
    expect(groupedHex('')).toBe('');
  });

  it('suggests a 19-character password from 16 random bytes, every byte counting', () => {
    const zero = suggestedPassword(new Uint8Array(16));
    expect(zero).toBe('0000-0000-0000-0000');
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 2 + 1);
    const p = suggestedPassword(bytes);
    expect(p).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(p).toBe('1357-9bdf-hknq-svxz');
    expect([...p].length).toBeGreaterThanOrEqual(12);
    expect(() => suggestedPassword(new Uint8Array(8))).toThrow();
  });
});

describe('certificates in the store', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('finds a revocation only in the certificate\'s own issuer\'s list', () => {
    const entry = { serial: '80420d8c6a8a349426d2cb102d63fc0c', key_id: '01c4bcf7f433165783d9682eab57a915', revoked_at: '2026-12-03T00:00:00Z', reason: 'superseded' };
    expect(revocationOf(listed(), revocations([entry]))).toEqual(entry);
    expect(revocationOf(listed(), revocations([entry], 'another issuer'))).toBeNull();
    expect(revocationOf(listed(), revocations([{ ...entry, serial: '00' }]))).toBeNull();
  });

  it('says whether a certificate counts now', () => {
    expect(certificateState(listed(), [], now)).toBe('valid');
    expect(certificateState(listed({ not_after: '2026-12-04T11:00:00Z' }), [], now)).toBe('expired');
    expect(certificateState(listed({ not_before: '2026-12-05T00:00:00Z' }), [], now)).toBe('not-yet-valid');
    const entry = { serial: '80420d8c6a8a349426d2cb102d63fc0c', key_id: '01c4bcf7f433165783d9682eab57a915', revoked_at: '2026-12-03T00:00:00Z', reason: 'key_compromise' };
    expect(certificateState(listed(), revocations([entry]), now)).toBe('revoked');
    // Revoked and expired: revocation is what matters.
    expect(certificateState(listed({ not_after: '2026-12-04T11:00:00Z' }), revocations([entry]), now)).toBe('revoked');
    // A revocation dated later does not count yet.
    expect(certificateState(listed(), revocations([{ ...entry, revoked_at: '2026-12-10T00:00:00Z' }]), now)).toBe('valid');
    expect(certificateState(listed({ kind: 'root', trusted_root: false }), [], now)).toBe('distrusted');
    expect(certificateState(listed({ kind: 'root', trusted_root: true }), [], now)).toBe('valid');
  });

  it('reads the roles and e-mail address a user certificate names', () => {
    expect(certificateRoles(listed())).toEqual(['officer', 'supervisor']);
    expect(certificateEmail(listed())).toBe('noor.bakker@police.example.org');
    const recipient = listed({ kind: 'recipient', certificate: { key_id: 'k', public_key: 'x', kind: 'recipient', subject: { name: 'Evidence unit' } } });
    expect(certificateRoles(recipient)).toEqual([]);
    expect(certificateEmail(recipient)).toBeUndefined();
  });
});

describe('an uploaded trust file', () => {
  const orgAdmin: UploadContext = { hubAdmin: false, organisation: { name: 'Northport Police', country: 'NL', endpoint_uid: 'NPCU' } };
  const hubAdmin: UploadContext = { hubAdmin: true, organisation: null };
  const userCert = {
    liaison_certificate: 1, serial: 'a'.repeat(32), kind: 'user',
    subject: { name: 'Noor Bakker', email: 'noor.bakker@police.example.org' },
    public_key: 'x', key_id: 'k', roles: ['officer'], country: 'NL',
    organisation: { country: 'NL', endpoint_uid: 'NPCU', name: 'Northport Police', kind: 'authority' },
    not_before: '2026-12-01T00:00:00Z', not_after: '2027-12-01T00:00:00Z',
    issuer: { key_id: 'i', name: 'Northport Police' }, signature: 'sig',
  };
  const read = (value: unknown, context = orgAdmin) => readTrustFile(typeof value === 'string' ? value : JSON.stringify(value), context);
  const reason = (value: unknown, context = orgAdmin) => {
    const r = read(value, context);
    if (r.ok) throw new Error('expected a refusal');
    return r.reason;
  };

  it('takes a user certificate of the admin\'s own organisation, to the certificates route', () => {
    const r = read(userCert);
    expect(r.ok).toBe(true);
    if (!r.ok || r.file.what !== 'certificate') throw new Error('not a certificate');
    expect(r.file.route).toBe('/api/v1/trust/certificates');
    expect(r.file.subject).toBe('Noor Bakker');
    expect(r.file.email).toBe('noor.bakker@police.example.org');
    expect(r.file.roles).toEqual(['officer']);
    expect(r.file.body).toEqual(userCert);
  });

  it('takes a root from a hub administrator, to the roots route', () => {
    const root = { ...userCert, kind: 'root', roles: undefined, organisation: undefined, subject: { name: 'Point of Contact' } };
    const r = read(root, hubAdmin);
    expect(r.ok && r.file.route).toBe('/api/v1/trust/roots');
    expect(reason(root)).toMatch(/only hub administrators accept roots/);
  });

  it('takes a revocation list, to the revocations route', () => {
    const list = { liaison_revocation_list: 1, issuer: { key_id: 'i', name: 'Northport Police' }, number: 2, issued_at: 'x', entries: [{}, {}], signature: 's' };
    const r = read(list);
    expect(r.ok).toBe(true);
    if (!r.ok || r.file.what !== 'revocation-list') throw new Error('not a list');
    expect(r.file.route).toBe('/api/v1/trust/revocations');
    expect(r.file.number).toBe(2);
    expect(r.file.entries).toBe(2);
  });

  it('names what is wrong with the wrong file', () => {
    expect(reason('')).toMatch(/Paste the certificate/);
    expect(reason('{"liaison_certificate": 1,')).toMatch(/not JSON/);
    expect(reason([userCert])).toMatch(/not one object/);
    expect(reason({ liaison_key_file: 1, ciphertext: 'x' })).toMatch(/private key file/);
    expect(reason({ liaison_trust_store: 1, roots: [] })).toMatch(/trust store bundle/);
    expect(reason({ liaison_signed_request: 1, payload: {} })).toMatch(/signed request/);
    expect(reason({ name: 'Noor' })).toMatch(/no liaison_certificate member/);
    expect(reason({ ...userCert, liaison_certificate: 2 })).toMatch(/format 2/);
    expect(reason({ ...userCert, kind: 'person' })).toMatch(/"person"/);
    expect(reason({ ...userCert, signature: undefined })).toMatch(/no signature/);
    expect(reason({ liaison_revocation_list: 1, entries: [] })).toMatch(/no signature/);
  });

  it('refuses an org admin a certificate for another organisation, or for an organisation', () => {
    const other = { ...userCert, organisation: { country: 'IE', endpoint_uid: 'EXMAIL', name: 'Example Mail Ltd', kind: 'provider' } };
    expect(reason(other)).toBe('This certificate is for Example Mail Ltd (IE/EXMAIL), not for Northport Police: you add certificates for your own organisation only.');
    expect(read(other, hubAdmin).ok).toBe(true);
    expect(reason({ ...userCert, kind: 'organisation' })).toMatch(/central authority issues it/);
    expect(read({ ...userCert, kind: 'organisation' }, hubAdmin).ok).toBe(true);
  });
});

describe('the hub\'s reasons for refusing a file', () => {
  it('says what each is about', () => {
    expect(trustFileErrors({})).toBeUndefined();
    expect(trustFileErrors({ certificate: 'is already in this hub\'s trust store' }))
      .toBe('The certificate is already in this hub\'s trust store');
    expect(trustFileErrors({ 'trust:signature_invalid': 'the user certificate of Noor Bakker does not carry a valid signature' }))
      .toBe('the user certificate of Noor Bakker does not carry a valid signature (signature_invalid)');
    expect(trustFileErrors({ 'certificate/not_after': 'must be after not_before', '': 'refused' }))
      .toBe('certificate/not_after: must be after not_before; refused');
  });
});
