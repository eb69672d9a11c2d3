// The signer's own key: created in this browser, never leaving it, and
// certified by the organisation's admin before it can sign.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import type { Page, SessionUser } from '../api/types';
import { Banner } from '../components/ui';
import { signerCertificates, type StoredCertificate } from '../lib/certificates';
import { createKey, loadKey, publicKeyBytes } from '../lib/keystore';
import { base64url, keyId } from '../lib/signing';
import { localTime } from '../lib/time';

export const signingRoles = ['officer', 'validator', 'supervisor'];

export function KeysPage({ user }: { user: SessionUser }) {
  const [key, setKey] = useState<{ publicKey: string; keyId: string } | null | undefined>(undefined);
  const [certified, setCertified] = useState<StoredCertificate | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const refresh = async () => {
    try {
      const pair = await loadKey(user.id);
      if (!pair) return setKey(null);
      const pub = await publicKeyBytes(pair);
      const id = await keyId(pub);
      setKey({ publicKey: base64url(pub), keyId: id });
      const all = await call<Page<StoredCertificate>>(`/api/v1/trust/certificates?organisation=${user.organisation?.id ?? ''}`);
      const found = signerCertificates(all.items, id, new Date());
      setCertified(found ? all.items.find((c) => c.kind === 'user' && c.key_id === id && c.certificate === found.certificate) ?? null : null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => { void refresh(); }, [user.id]);

  const create = async () => {
    try {
      await createKey(user.id);
      await refresh();
    } catch (e) {
      setFailure(`This browser could not create an Ed25519 key: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const roles = user.roles.filter((r) => signingRoles.includes(r)).join(',');
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">My signing key</h1>
      <Banner messages={failure ? [failure] : []} />
      <p>
        Requests are trusted because of who signed them. Your key is made in this browser and cannot be copied out of
        it; your organisation's admin certifies it, and from then on you can sign and co-sign requests here.
      </p>
      {key === undefined && <p>Loading…</p>}
      {key === null && <button type="button" class="primary" onClick={create}>Create my signing key</button>}
      {key && (
        <div class="panel">
          <dl>
            <dt>Key id</dt><dd><code>{key.keyId}</code></dd>
            <dt>Public key</dt><dd><code class="wrap" data-testid="public-key">{key.publicKey}</code></dd>
            <dt>Certificate</dt>
            <dd>{certified ? `certified until ${localTime(certified.not_after)}` : 'not certified yet'}</dd>
          </dl>
          {!certified && (
            <>
              <p>Send the public key to your organisation's admin, who certifies it with:</p>
              <pre class="command">{`liaison trust certify-user --issuer-key ORGANISATION.key --issuer-cert ORGANISATION.cert.json \\
  --public-key ${key.publicKey} \\
  --name "${user.name ?? ''}" --email ${user.email} --roles ${roles || 'officer'} --out user.cert.json
liaison trust import user.cert.json`}</pre>
              <button type="button" onClick={() => void refresh()}>Check again</button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
