// Against requests the command line signed on a real hub: the payload the
// portal rebuilds from the request's representation is the one signed, its
// digest is the hub's, and the officer's signature verifies over the bytes
// the portal would sign.
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/signed-requests.json';
import { canonicalJson } from './canonical';
import {
  fromBase64url, hex, keyId, payloadDigest, payloadFromView, signatureBody, verifySignature, type Envelope,
} from './signing';
import type { LiaisonRequest } from '../api/types';

type View = LiaisonRequest & Record<string, unknown>;

describe.each(fixtures)('the $name request', ({ view, envelope }) => {
  const env = envelope as unknown as Envelope;
  const signed = env.payload;
  const officer = env.signatures[0]!;

  it('rebuilds the signed payload from the representation', async () => {
    const callback = (view as { emergency_callback: { kind: string; value: string } | null }).emergency_callback;
    const mine = payloadFromView(view as unknown as View, String(signed['nonce']), String(signed['issued_at']), callback);
    expect(canonicalJson(mine)).toBe(canonicalJson(signed));
    expect(hex(await payloadDigest(mine))).toBe((view as { payload_digest: string }).payload_digest);
  });

  it('verifies the officer signature over the portal\'s signing input', async () => {
    const pub = fromBase64url(officer.certificate.public_key);
    expect(await keyId(pub)).toBe(officer.certificate.key_id);
    expect(await verifySignature(pub, 'officer', officer.signed_at, signed, fromBase64url(officer.signature))).toBe(true);
    expect(await verifySignature(pub, 'validator', officer.signed_at, signed, fromBase64url(officer.signature))).toBe(false);
    const altered = { ...signed, offence_description: 'something else' };
    expect(await verifySignature(pub, 'officer', officer.signed_at, altered, fromBase64url(officer.signature))).toBe(false);
  });

  it('co-signs only the request it is shown', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const body = await signatureBody(view as unknown as View, env, 'validator', pair.privateKey, officer.certificate, [], new Date());
    expect(body.payload).toEqual(signed);
    const pub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    expect(await verifySignature(pub, 'validator', String(body.signature['signed_at']), signed,
      fromBase64url(String(body.signature['signature'])))).toBe(true);
    const tampered = { ...(view as object), targets: [{ kind: 'email', value: 'someone.else@example.org' }] } as unknown as View;
    await expect(signatureBody(tampered, env, 'validator', pair.privateKey, officer.certificate, [], new Date()))
      .rejects.toThrow('not the request the hub shows you');
  });
});
