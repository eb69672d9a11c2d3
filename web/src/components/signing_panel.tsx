// Signing a draft in the browser: as its officer, or as the validator or
// supervisor co-signing it, with the key this browser holds. The officer also
// asks another authority to validate the draft here when its route needs it.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors } from '../api/problem';
import type { LiaisonRequest, OrgRef, Page, SessionUser } from '../api/types';
import { signerCertificates, type StoredCertificate } from '../lib/certificates';
import { loadKey, publicKeyBytes } from '../lib/keystore';
import { mySignature } from '../lib/signed';
import { keyId, signatureBody, type Envelope } from '../lib/signing';
import { localTime } from '../lib/time';
import { Banner, Field, Link } from './ui';

const signing = ['officer', 'validator', 'supervisor'];

export function SigningPanel({ request: r, user, onChanged }: { request: LiaisonRequest; user: SessionUser; onChanged: () => void }) {
  const ownOrg = user.organisation?.id === r.issuer.id;
  const roles = user.roles.filter((x) => signing.includes(x) && (ownOrg ? x !== 'validator' : x === 'validator'));
  const [role, setRole] = useState(roles.includes('officer') && (r.signatures ?? []).length === 0 ? 'officer' : roles[0] ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [validators, setValidators] = useState<OrgRef[]>([]);
  const [validator, setValidator] = useState(r.validator?.id ?? '');
  const [myKey, setMyKey] = useState<string | null>(null);

  // The key this browser holds for the user, to tell their signature apart.
  useEffect(() => {
    void (async () => {
      try {
        const pair = await loadKey(user.id);
        setMyKey(pair ? await keyId(await publicKeyBytes(pair)) : null);
      } catch {
        setMyKey(null);
      }
    })();
  }, [user.id]);
  // The validator asked is the one the hub now records, not "Nobody" again.
  useEffect(() => { setValidator(r.validator?.id ?? ''); }, [r.validator?.id]);
  // An error from before the request last changed is about a request that is no more.
  useEffect(() => { setErrors({}); }, [r]);

  useEffect(() => {
    if (!ownOrg) return;
    call<Page<OrgRef>>('/api/v1/organisations')
      .then((p) => setValidators(p.items.filter((o) => o.kind === 'authority' && o.id !== r.issuer.id && o.country === r.issuer.country)))
      .catch(() => setValidators([]));
  }, [r.id]);

  if (r.status !== 'draft' || roles.length === 0) return null;
  const mine = mySignature(r.signatures ?? [], { keyId: myKey, name: user.name, endpointUid: user.organisation?.endpoint_uid });

  const sign = async () => {
    setBusy(true);
    setErrors({});
    try {
      const pair = await loadKey(user.id);
      if (!pair) throw new Error('this browser holds no signing key for you: create one under "My signing key"');
      const id = await keyId(await publicKeyBytes(pair));
      const store = await call<Page<StoredCertificate>>('/api/v1/trust/certificates');
      const mine = signerCertificates(store.items, id, new Date());
      if (!mine) throw new Error(`your key ${id} has no valid certificate in the hub's trust store yet; ask your organisation's admin to certify it`);
      let envelope: Envelope | null = null;
      if (role !== 'officer') {
        try {
          envelope = await call<Envelope>(`/api/v1/requests/${r.id}/signed`);
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 404)) throw e;
        }
      }
      const view = await call<LiaisonRequest & Record<string, unknown>>(`/api/v1/requests/${r.id}`);
      const body = await signatureBody(view, envelope, role, pair.privateKey, mine.certificate, mine.chain, new Date());
      await call(`/api/v1/requests/${r.id}/signatures`, { method: 'POST', body });
      onChanged();
    } catch (e) {
      setErrors(e instanceof ApiError ? fieldErrors(e.problem) : { '': e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const askValidator = async () => {
    setErrors({});
    try {
      await call(`/api/v1/requests/${r.id}/validator`, { method: 'PUT', body: { organisation_id: validator || null } });
      onChanged();
    } catch (e) {
      setErrors(e instanceof ApiError ? fieldErrors(e.problem) : { '': String(e) });
    }
  };

  const messages = Object.entries(errors).filter(([k]) => k !== 'organisation_id').map(([k, v]) => (k ? `${k}: ${v}` : v));
  return (
    <section class="panel" aria-labelledby="sign-title">
      <h2 id="sign-title">Sign</h2>
      <Banner messages={messages} />
      {mine ? (
        <p class="signed" role="status">You signed this draft as {mine.role} on {localTime(mine.signed_at)}.</p>
      ) : (<>
      <p class="hint">Signing covers the targets, data, legal basis, period and provider exactly as shown on this page. Keys live in this browser: see <Link href="/keys">My signing key</Link>.</p>
      <div class="inline">
        {roles.length > 1 && (
          <Field label="Sign as">
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                {roles.map((x) => <option value={x}>{x}</option>)}
              </select>
            )}
          </Field>
        )}
        <button type="button" class="primary" disabled={busy} onClick={sign}>{busy ? 'Signing…' : `Sign as ${role}`}</button>
      </div>
      </>)}
      {ownOrg && (
        <div class="inline">
          <Field label="Ask for validation by" error={errors['organisation_id']}
            hint="A prosecutor's office or court of your country, where the route or your organisation asks for one.">
            {(p) => (
              <select {...p} value={validator} onChange={(e) => setValidator(e.currentTarget.value)}>
                <option value="">Nobody</option>
                {(r.validator && !validators.some((o) => o.id === r.validator?.id) ? [r.validator, ...validators] : validators)
                  .map((o) => <option value={o.id}>{o.name}</option>)}
              </select>
            )}
          </Field>
          <button type="button" onClick={askValidator}>Ask</button>
        </div>
      )}
      {ownOrg && (
        <p class="asked" role="status">
          {r.validator ? `Validation asked of ${r.validator.name}.` : 'No validating authority asked.'}
        </p>
      )}
    </section>
  );
}
