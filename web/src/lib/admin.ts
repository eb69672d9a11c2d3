// The admin area's rules, kept apart from the pages so they can be tested:
// who may open which page, which roles an organisation's kind allows, how the
// trust store's entries read, and what is wrong with a file an admin uploads.
import type { OrgRef, SessionUser } from '../api/types';
import type { StoredCertificate } from './certificates';

export type OrgKind = OrgRef['kind'];
export type AdminPage = 'users' | 'trust' | 'organisations';

// A hub administrator belongs to no organisation; the hub says so outright,
// and an account without an organisation is read the same way in case an
// older hub leaves the flag out.
export function isHubAdmin(user: SessionUser): boolean {
  return user.hub_admin === true || (user.hub_admin === undefined && user.organisation === null);
}

export function isOrgAdmin(user: SessionUser): boolean {
  return user.organisation !== null && user.roles.includes('org_admin');
}

// Auditors may read the user list too, but they can change nothing, so the
// admin pages are offered only to those who can use them.
export function adminPages(user: SessionUser): AdminPage[] {
  if (isHubAdmin(user)) return ['users', 'trust', 'organisations'];
  if (isOrgAdmin(user)) return ['users', 'trust'];
  return [];
}

export const roleLabels: Record<string, string> = {
  officer: 'Officer',
  validator: 'Validator',
  supervisor: 'Supervisor',
  analyst: 'Analyst',
  counsel: 'Counsel',
  org_admin: 'Organisation admin',
  auditor: 'Auditor',
};

export const roleDescriptions: Record<string, string> = {
  officer: 'drafts, signs and sends requests',
  validator: 'a prosecutor or judge who validates other authorities\' requests',
  supervisor: 'co-signs the organisation\'s emergency requests',
  analyst: 'works the requests addressed to the provider',
  counsel: 'reviews requests for the provider',
  org_admin: 'manages the organisation\'s accounts and certificates',
  auditor: 'reads everything the organisation sees and changes nothing',
};

// The hub refuses any other combination (role_allowed_for); offering only
// these saves a round trip and a refusal.
export function rolesForKind(kind: OrgKind): string[] {
  const everywhere = ['org_admin', 'auditor'];
  if (kind === 'provider') return ['analyst', 'counsel', ...everywhere];
  return ['officer', 'validator', 'supervisor', ...everywhere];
}

export const orgKindLabels: Record<OrgKind, string> = {
  authority: 'Authority',
  provider: 'Service provider',
  central_authority: 'Central authority',
};

export const authorityTypes = ['police', 'prosecutor', 'judge'] as const;

export interface NewOrganisation {
  kind: OrgKind;
  name: string;
  country: string;
  endpoint_uid: string;
  authority_type: string;
}

// What POST /api/v1/organisations is sent. Only an authority may carry a type
// (the hub refuses one on a provider, and gives a central authority its own),
// and an empty choice means "not set", which the hub allows.
export function organisationBody(form: NewOrganisation): Record<string, string> {
  const body: Record<string, string> = {
    kind: form.kind,
    name: form.name.trim(),
    country: form.country.trim().toUpperCase(),
    endpoint_uid: form.endpoint_uid.trim(),
  };
  if (form.kind === 'authority' && form.authority_type) body['authority_type'] = form.authority_type;
  return body;
}

// Fingerprints and key ids are read aloud and compared over the phone:
// groups of four are easier to keep one's place in.
export function groupedHex(hex: string): string {
  return (hex.toLowerCase().match(/.{1,4}/g) ?? []).join(' ');
}

// A first password to hand over: 80 random bits in Crockford's base32, which
// leaves out the letters people confuse with digits. It only has to last
// until its holder enrols and chooses their own.
export function suggestedPassword(random: Uint8Array): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  if (random.length < 16) throw new Error('suggestedPassword needs 16 random bytes');
  const chars = [...random.slice(0, 16)].map((b) => alphabet[b & 31]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export interface ListedCertificate extends StoredCertificate {
  serial: string;
  subject_name: string;
  country: string;
  trusted_root: boolean;
  added_at: string;
}

export interface RevocationEntry {
  serial: string;
  key_id: string;
  revoked_at: string;
  reason: string;
}

export interface RevocationList {
  liaison_revocation_list: number;
  issuer: { key_id: string; name: string };
  number: number;
  issued_at: string;
  entries: RevocationEntry[];
  signature: string;
}

export const revocationReasons: Record<string, string> = {
  key_compromise: 'key compromised',
  superseded: 'superseded',
  cessation: 'ceased',
  affiliation_changed: 'affiliation changed',
  unspecified: 'no reason given',
};

// An issuer revokes only what it issued, so an entry counts for a
// certificate only in its own issuer's list.
export function revocationOf(cert: ListedCertificate, lists: RevocationList[]): RevocationEntry | null {
  for (const list of lists) {
    if (list.issuer.key_id !== cert.issuer_key_id) continue;
    const entry = list.entries.find((e) => e.serial === cert.serial && e.key_id === cert.key_id);
    if (entry) return entry;
  }
  return null;
}

export type CertificateState = 'valid' | 'not-yet-valid' | 'expired' | 'revoked' | 'distrusted';

// Revocation outranks expiry: a revoked key is the one to act on. A revoked
// certificate still verifies what was signed before its revocation time, but
// it is shown as revoked from the moment the list says so.
export function certificateState(cert: ListedCertificate, lists: RevocationList[], now: Date): CertificateState {
  if (cert.kind === 'root' && !cert.trusted_root) return 'distrusted';
  const revoked = revocationOf(cert, lists);
  const t = now.getTime();
  if (revoked && Date.parse(revoked.revoked_at) <= t) return 'revoked';
  if (t < Date.parse(cert.not_before)) return 'not-yet-valid';
  if (t > Date.parse(cert.not_after)) return 'expired';
  return 'valid';
}

// The fields of a certificate the portal shows; the rest is the hub's to check.
export function certificateRoles(cert: ListedCertificate): string[] {
  const roles = cert.certificate['roles'];
  return Array.isArray(roles) ? roles.map(String) : [];
}

export function certificateEmail(cert: ListedCertificate): string | undefined {
  const subject = cert.certificate['subject'];
  if (subject && typeof subject === 'object' && typeof (subject as Record<string, unknown>)['email'] === 'string') {
    return (subject as Record<string, string>)['email'];
  }
  return undefined;
}

export interface UploadContext {
  hubAdmin: boolean;
  // The org admin's own organisation; null for a hub administrator.
  organisation: { name: string; country: string; endpoint_uid?: string } | null;
}

export type TrustFile =
  | {
      what: 'certificate';
      route: '/api/v1/trust/certificates' | '/api/v1/trust/roots';
      body: Record<string, unknown>;
      kind: string;
      subject: string;
      email?: string;
      roles: string[];
      organisation?: string;
      notBefore?: string;
      notAfter?: string;
      issuer?: string;
    }
  | {
      what: 'revocation-list';
      route: '/api/v1/trust/revocations';
      body: Record<string, unknown>;
      issuer: string;
      number: number;
      entries: number;
    };

export type ReadTrustFile = { ok: true; file: TrustFile } | { ok: false; reason: string };

const certificateKinds = ['root', 'organisation', 'user', 'recipient'];

function record(x: unknown): Record<string, unknown> | null {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

function text(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

// Reads what an admin pasted or chose, says where it goes, and names what is
// wrong with it before the hub is asked: the commonest mistakes are sending
// the wrong file (a key, a whole bundle, a request), or a certificate this
// admin may not add. Signatures, chains and the strict field checks stay
// with the hub, which is the one that decides.
export function readTrustFile(input: string, context: UploadContext): ReadTrustFile {
  if (input.trim() === '') return { ok: false, reason: 'Paste the certificate, or choose its file.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return { ok: false, reason: 'This is not JSON. Upload the file that liaison trust certify-user wrote with --out, unchanged.' };
  }
  const json = record(parsed);
  if (!json) return { ok: false, reason: 'This is JSON, but not one object as a certificate is.' };
  if ('liaison_key_file' in json) {
    return {
      ok: false,
      reason: 'This is a private key file. Never send a key to anyone: upload the certificate that was made with it.',
    };
  }
  if ('liaison_trust_store' in json) {
    return { ok: false, reason: 'This is a whole trust store bundle. Import it with liaison trust import, entry by entry.' };
  }
  if ('liaison_signed_request' in json) {
    return { ok: false, reason: 'This is a signed request, not a certificate.' };
  }
  if ('liaison_revocation_list' in json) return readRevocationList(json);
  if (!('liaison_certificate' in json)) {
    return { ok: false, reason: 'This JSON is not a Liaison certificate: it has no liaison_certificate member.' };
  }
  if (json['liaison_certificate'] !== 1) {
    return { ok: false, reason: `This is a certificate of format ${String(json['liaison_certificate'])}; the hub reads format 1.` };
  }
  const kind = text(json['kind']);
  if (!kind || !certificateKinds.includes(kind)) {
    return { ok: false, reason: `Its kind is ${kind ? `"${kind}"` : 'missing'}; a certificate is a root, organisation, user or recipient certificate.` };
  }
  if (!text(json['signature'])) return { ok: false, reason: 'It carries no signature, so its issuer never signed it.' };
  if (!context.hubAdmin && kind === 'root') {
    return { ok: false, reason: 'This is a root certificate: only hub administrators accept roots.' };
  }
  if (!context.hubAdmin && kind === 'organisation') {
    return {
      ok: false,
      reason: 'This is an organisation certificate: the central authority issues it and a hub administrator adds it.',
    };
  }
  const subject = record(json['subject']);
  const org = record(json['organisation']);
  const mine = context.organisation;
  if (mine && (kind === 'user' || kind === 'recipient')) {
    const sameOrg = org && org['country'] === mine.country && (mine.endpoint_uid === undefined || org['endpoint_uid'] === mine.endpoint_uid);
    if (!sameOrg) {
      const named = org ? `${text(org['name']) ?? 'another organisation'} (${text(org['country']) ?? '?'}/${text(org['endpoint_uid']) ?? '?'})` : 'no organisation';
      return { ok: false, reason: `This certificate is for ${named}, not for ${mine.name}: you add certificates for your own organisation only.` };
    }
  }
  const issuer = record(json['issuer']);
  return {
    ok: true,
    file: {
      what: 'certificate',
      route: kind === 'root' ? '/api/v1/trust/roots' : '/api/v1/trust/certificates',
      body: json,
      kind,
      subject: text(subject?.['name']) ?? '(no name)',
      email: text(subject?.['email']),
      roles: Array.isArray(json['roles']) ? json['roles'].map(String) : [],
      organisation: org ? text(org['name']) : undefined,
      notBefore: text(json['not_before']),
      notAfter: text(json['not_after']),
      issuer: issuer ? text(issuer['name']) : undefined,
    },
  };
}

function readRevocationList(json: Record<string, unknown>): ReadTrustFile {
  if (json['liaison_revocation_list'] !== 1) {
    return { ok: false, reason: `This is a revocation list of format ${String(json['liaison_revocation_list'])}; the hub reads format 1.` };
  }
  if (!text(json['signature'])) return { ok: false, reason: 'The revocation list carries no signature.' };
  const issuer = record(json['issuer']);
  return {
    ok: true,
    file: {
      what: 'revocation-list',
      route: '/api/v1/trust/revocations',
      body: json,
      issuer: text(issuer?.['name']) ?? '(unnamed issuer)',
      number: typeof json['number'] === 'number' ? json['number'] : 0,
      entries: Array.isArray(json['entries']) ? json['entries'].length : 0,
    },
  };
}

// The hub names a problem with an uploaded file by where in it the problem
// is ("certificate/not_after") or by the trust check that failed
// ("trust:chain_untrusted"); there is one control for the whole file, so
// every reason goes next to it, each saying what it is about.
export function trustFileErrors(errors: Record<string, string>): string | undefined {
  const parts = Object.entries(errors).map(([field, reason]) => {
    if (field === '') return reason;
    if (field === 'certificate') return `The certificate ${reason}`;
    if (field === 'revocation_list') return `The revocation list ${reason}`;
    if (field.startsWith('trust:')) return `${reason} (${field.slice('trust:'.length)})`;
    return `${field}: ${reason}`;
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}
