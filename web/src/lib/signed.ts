// Whether the person at the keyboard has already signed a draft: a signature
// made with the key this browser holds for them, or, when the browser holds
// none, one in their name from their own organisation. The hub takes one
// signature from each person, so the page then says they signed instead of
// offering the button again.
import type { Signature } from '../api/types';

export interface Signer {
  keyId: string | null;
  name?: string;
  endpointUid?: string;
}

export function mySignature(signatures: Signature[], me: Signer): Signature | null {
  const byKey = me.keyId ? signatures.find((s) => s.key_id === me.keyId) : undefined;
  if (byKey) return byKey;
  if (!me.name || !me.endpointUid) return null;
  return signatures.find((s) => s.name === me.name && s.organisation?.endpoint_uid === me.endpointUid) ?? null;
}
