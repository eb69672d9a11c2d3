// Signing a request in the browser, as `liaison request sign` does on the
// command line (src/cli/request_signer.cc): the payload is rebuilt here from
// the request as the hub shows it, so what is signed is what the signer was
// shown; co-signers check that the officer's payload is that same request.
//
//   signed bytes = "liaison-request-signature-v1" NUL role NUL signed_at NUL SHA-256(canonical payload)
//
// Keys are Ed25519 through WebCrypto. The private key is generated as not
// extractable: the browser can sign with it but never export it.
import type { LiaisonRequest } from '../api/types';
import { canonicalJson, type Json } from './canonical';

export interface Contact {
  kind: string;
  value: string;
}

export interface Certificate {
  key_id: string;
  public_key: string;
  kind: string;
  emergency_contacts?: Contact[];
  [member: string]: unknown;
}

export interface Envelope {
  liaison_signed_request: number;
  payload: Record<string, Json>;
  signatures: { role: string; signed_at: string; certificate: Certificate; chain: Certificate[]; signature: string }[];
}

const context = 'liaison-request-signature-v1';

// Bytes WebCrypto accepts: backed by an ordinary ArrayBuffer.
export type Bytes = Uint8Array<ArrayBuffer>;

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Bytes {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The hub's name for a key: hex of the first 16 bytes of its SHA-256.
export async function keyId(publicKey: Bytes): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey)).slice(0, 16));
}

export function newNonce(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

// RFC 3339 in UTC to the second, as the hub writes signing times.
export function wholeSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The canonical payload of the request `view` describes (src/trust/request_payload.cc).
export function payloadFromView(view: LiaisonRequest & Record<string, unknown>, nonce: string, issuedAt: string,
  callback: Contact | null): Record<string, Json> {
  const v = view as unknown as Record<string, Json>;
  const text = (name: string): Json => (typeof v[name] === 'string' ? v[name] : null);
  const justification = typeof v['emergency_justification'] === 'string' ? v['emergency_justification'] : null;
  const emergency = view.kind === 'emergency_disclosure' || justification !== null || callback !== null
    ? { justification: justification ?? '', callback: callback ? { kind: callback.kind, value: callback.value } : null }
    : null;
  const period = v['period'] as { start: string; end: string } | null | undefined;
  const payload: Record<string, Json> = {
    liaison_request: 1,
    request_id: view.id,
    kind: view.kind,
    issuer: { country: view.issuer.country, endpoint_uid: view.issuer.endpoint_uid ?? '' },
    provider: { country: view.provider.country, endpoint_uid: view.provider.endpoint_uid ?? '' },
    categories: view.categories,
    targets: view.targets as unknown as Json,
    legal_basis: {
      instrument: view.legal_basis.instrument,
      article: view.legal_basis.article,
      domestic_reference: view.legal_basis.domestic_reference ?? '',
    },
    period: period ? { start: period.start, end: period.end } : null,
    case_type: (v['case_type'] as string | undefined) ?? 'NotSpecified',
    offence_description: view.offence_description,
    max_penalty_months: typeof v['max_penalty_months'] === 'number' ? v['max_penalty_months'] : null,
    non_disclosure_until: text('non_disclosure_until'),
    deadline: text('deadline'),
    emergency,
    issuer_reference: (v['issuer_reference'] as string | undefined) ?? '',
    nonce,
    issued_at: issuedAt,
  };
  if (view.route) {
    payload['route'] = view.route;
    payload['offence_category'] = (v['offence_category'] as string | undefined) ?? 'other';
  }
  return payload;
}

export async function payloadDigest(payload: Record<string, Json>): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(payload))));
}

export function signingInput(role: string, signedAt: string, digest: Bytes): Bytes {
  const head = new TextEncoder().encode(`${context}\0${role}\0${signedAt}\0`);
  const out = new Uint8Array(head.length + digest.length);
  out.set(head);
  out.set(digest, head.length);
  return out;
}

export async function verifySignature(publicKey: Bytes, role: string, signedAt: string,
  payload: Record<string, Json>, signature: Bytes): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify('Ed25519', key, signature, signingInput(role, signedAt, await payloadDigest(payload)));
}

// The body of POST /api/v1/requests/{id}/signatures. The officer starts a
// fresh payload (new nonce, now; for an emergency the first call-back contact
// the organisation certificate vouches for); a co-signer signs the officer's
// payload after checking that it is the request shown.
export async function signatureBody(view: LiaisonRequest & Record<string, unknown>, envelope: Envelope | null,
  role: string, key: CryptoKey, certificate: Certificate, chain: Certificate[], now: Date): Promise<{ payload: Record<string, Json>; signature: Record<string, Json> }> {
  let payload: Record<string, Json>;
  const signedAt = wholeSeconds(now);
  if (role === 'officer') {
    const contact = view.kind === 'emergency_disclosure' ? chain[0]?.emergency_contacts?.[0] ?? null : null;
    payload = payloadFromView(view, newNonce(), signedAt, contact);
  } else {
    if (!envelope) throw new Error('the officer signs first');
    const signed = envelope.payload;
    const emergency = signed['emergency'] as { callback: Contact | null } | null;
    const mine = payloadFromView(view, String(signed['nonce']), String(signed['issued_at']), emergency?.callback ?? null);
    if (canonicalJson(mine) !== canonicalJson(signed)) {
      throw new Error('what the officer signed is not the request the hub shows you; do not co-sign, and tell your organisation\'s security contact');
    }
    payload = signed;
  }
  const digest = await payloadDigest(payload);
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key, signingInput(role, signedAt, digest)));
  return {
    payload,
    signature: {
      role, signed_at: signedAt, certificate: certificate as unknown as Json, chain: chain as unknown as Json,
      signature: base64url(signature),
    },
  };
}
