// Finding the signer's certificates in the hub's trust store: the newest
// user certificate for their key that is valid now, and the organisation
// certificate that issued it.
import type { Certificate } from './signing';

export interface StoredCertificate {
  fingerprint: string;
  kind: string;
  key_id: string;
  not_before: string;
  not_after: string;
  issuer_key_id: string;
  certificate: Certificate;
}

export function signerCertificates(all: StoredCertificate[], keyId: string, now: Date):
  { certificate: Certificate; chain: Certificate[] } | null {
  const t = now.getTime();
  const valid = all
    .filter((c) => c.kind === 'user' && c.key_id === keyId && Date.parse(c.not_before) <= t && t < Date.parse(c.not_after))
    .sort((a, b) => Date.parse(b.not_before) - Date.parse(a.not_before));
  for (const user of valid) {
    const org = all.find((c) => c.kind === 'organisation' && c.key_id === user.issuer_key_id);
    if (org) return { certificate: user.certificate, chain: [org.certificate] };
  }
  return null;
}
