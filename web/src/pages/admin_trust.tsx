// The trust store as an organisation's admin (or a hub administrator) tends
// it: the certificates it holds, adding one made offline, the roots and the
// revocation lists. Certifying happens on the admin's own machine with the
// organisation's key, which never comes near the browser or the hub; the
// portal only carries the signed result to the hub.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call } from '../api/client';
import type { Organisation, OrgRef, Page, SessionUser } from '../api/types';
import { errorsOf, FocusPanel, messageOf, Notice, NotForYou } from '../components/admin';
import { Banner, Field } from '../components/ui';
import {
  adminPages, certificateEmail, certificateRoles, certificateState, groupedHex, isHubAdmin, readTrustFile,
  revocationOf, revocationReasons, roleLabels, trustFileErrors,
  type CertificateState, type ListedCertificate, type RevocationList, type TrustFile,
} from '../lib/admin';
import { localTime } from '../lib/time';

const kindLabels: Record<string, string> = {
  root: 'Root', organisation: 'Organisation', user: 'User', recipient: 'Recipient',
};

const stateLabels: Record<CertificateState, string> = {
  valid: 'Valid', 'not-yet-valid': 'Not yet valid', expired: 'Expired', revoked: 'Revoked', distrusted: 'Distrusted',
};

export function TrustPage({ user }: { user: SessionUser }) {
  if (!adminPages(user).includes('trust')) {
    return <NotForYou title="Certificates and trust store" who="organisation admins and hub administrators" />;
  }
  return <Trust user={user} />;
}

function Trust({ user }: { user: SessionUser }) {
  const hubAdmin = isHubAdmin(user);
  const own = user.organisation;
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [kind, setKind] = useState('');
  const [orgFilter, setOrgFilter] = useState(own?.id ?? '');
  const [certs, setCerts] = useState<ListedCertificate[] | null>(null);
  const [roots, setRoots] = useState<ListedCertificate[] | null>(null);
  const [lists, setLists] = useState<RevocationList[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  // Bumped after every change, so that each list is read again.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!hubAdmin) return;
    call<Page<Organisation>>('/api/v1/organisations')
      .then((p) => setOrgs([...p.items].sort((a, b) => a.name.localeCompare(b.name))))
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, [hubAdmin]);

  useEffect(() => {
    const query = new URLSearchParams();
    if (kind) query.set('kind', kind);
    if (orgFilter) query.set('organisation', orgFilter);
    const q = query.toString();
    setCerts(null);
    call<Page<ListedCertificate>>(`/api/v1/trust/certificates${q ? `?${q}` : ''}`)
      .then((p) => setCerts(p.items))
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, [kind, orgFilter, generation]);

  useEffect(() => {
    Promise.all([
      call<Page<ListedCertificate>>('/api/v1/trust/certificates?kind=root'),
      call<Page<RevocationList>>('/api/v1/trust/revocations'),
    ])
      .then(([r, l]) => { setRoots(r.items); setLists(l.items); })
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, [generation]);

  const now = useMemo(() => new Date(), [certs, roots]);
  const refresh = () => setGeneration((g) => g + 1);

  return (
    <section aria-labelledby="trust-title">
      <h1 id="trust-title">Certificates and trust store</h1>
      <Banner messages={failure ? [failure] : []} />
      <p>
        A request is trusted because its signers' certificates chain to a root the hub trusts: a central authority
        certifies each organisation, and the organisation's admin certifies its people's keys.{' '}
        <a href="/api/v1/trust" download="trust-store.json">Download the whole trust store</a> to verify requests
        offline (<code>liaison request verify --trust-store trust-store.json</code>).
      </p>
      <AddToStore user={user} onAdded={refresh} />

      <h2 id="certificates-title">{hubAdmin ? 'Certificates' : `Certificates of ${own?.name ?? ''}`}</h2>
      <form class="filters" aria-label="Certificate filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Kind">
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              <option value="">Any</option>
              {Object.entries(kindLabels).filter(([k]) => hubAdmin || k !== 'root').map(([k, v]) => <option value={k}>{v}</option>)}
            </select>
          )}
        </Field>
        {hubAdmin && (
          <Field label="Organisation">
            {(p) => (
              <select {...p} value={orgFilter} onChange={(e) => setOrgFilter(e.currentTarget.value)}>
                <option value="">Any</option>
                {orgs.map((o) => <option value={o.id}>{o.name} ({o.country})</option>)}
              </select>
            )}
          </Field>
        )}
      </form>
      {certs === null ? <p>Loading…</p> : certs.length === 0 ? <p class="empty">No certificate matches.</p> : (
        <CertificateTable certs={certs} lists={lists} now={now} />
      )}

      <Roots roots={roots} now={now} hubAdmin={hubAdmin} onChanged={refresh} />
      <Revocations lists={lists} />
    </section>
  );
}

function CertificateTable({ certs, lists, now }: { certs: ListedCertificate[]; lists: RevocationList[]; now: Date }) {
  const order = ['root', 'organisation', 'recipient', 'user'];
  const sorted = [...certs].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.subject_name.localeCompare(b.subject_name));
  return (
    <div class="table-wrap">
      <table class="certificates" aria-labelledby="certificates-title">
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Kind</th>
            <th scope="col">Roles</th>
            <th scope="col">Key id</th>
            <th scope="col">Valid</th>
            <th scope="col">Serial</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => {
            const state = certificateState(c, lists, now);
            const revoked = revocationOf(c, lists);
            const email = certificateEmail(c);
            return (
              <tr key={c.fingerprint}>
                <th scope="row">{c.subject_name}{email && <><br /><span class="muted">{email}</span></>}</th>
                <td>{kindLabels[c.kind] ?? c.kind}</td>
                <td>{certificateRoles(c).map((r) => roleLabels[r] ?? r).join(', ') || <span class="muted">none</span>}</td>
                <td><code class="fingerprint">{groupedHex(c.key_id)}</code></td>
                <td class="validity">{localTime(c.not_before)} to {localTime(c.not_after)}</td>
                <td><code class="fingerprint">{groupedHex(c.serial)}</code></td>
                <td>
                  <span class={state === 'valid' ? 'badge on' : 'badge off'}>{stateLabels[state]}</span>
                  {revoked && (
                    <p class="hint">
                      {state === 'revoked' ? 'since' : 'from'} {localTime(revoked.revoked_at)}, {revocationReasons[revoked.reason] ?? revoked.reason}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AddToStore({ user, onAdded }: { user: SessionUser; onAdded: () => void }) {
  const hubAdmin = isHubAdmin(user);
  const own: OrgRef | null = user.organisation;
  const [content, setContent] = useState('');
  const [tried, setTried] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const read = useMemo(() => readTrustFile(content, {
    hubAdmin,
    organisation: own ? { name: own.name, country: own.country, endpoint_uid: own.endpoint_uid } : null,
  }), [content, hubAdmin, own?.id]);

  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setErrors({});
    setAdded(null);
    setContent(await file.text());
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setErrors({});
    setAdded(null);
    if (!read.ok) return;
    setBusy(true);
    try {
      await call(read.file.route, { method: 'POST', body: read.file.body });
      setAdded(describe(read.file) + ' is in the hub\'s trust store now.');
      setContent('');
      setTried(false);
      // A browser reports choosing the same file again only if the choice
      // was cleared; the next file may well be the same one, corrected.
      if (fileInput.current) fileInput.current.value = '';
      onAdded();
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  // The file's own problem shows once there is something to judge; the
  // hub's reasons, after it was asked, replace it.
  const localReason = !read.ok && (tried || content.trim() !== '') ? read.reason : undefined;
  const contentError = trustFileErrors(errors) ?? localReason;
  const email = own ? `person@${domainHint(user.email)}` : 'person@example.org';
  return (
    <form class="panel" aria-labelledby="add-title" onSubmit={submit} noValidate>
      <h2 id="add-title">Add a certificate or revocation list</h2>
      {added && <Notice><p>{added}</p></Notice>}
      <p>
        Certify a person's signing key on your own machine, with the organisation's key, from the public key they
        send you (their <strong>My signing key</strong> page shows it), naming them exactly as their account does:
      </p>
      <pre class="command">{`liaison trust certify-user --issuer-key ORGANISATION.key --issuer-cert ORGANISATION.cert.json \\
  --public-key PUBLIC-KEY --name "Full Name" --email ${email} --roles officer --out person.cert.json`}</pre>
      <p>
        Then upload <code>person.cert.json</code> here. A recipient certificate (<code>liaison trust certify-recipient</code>)
        and a revocation list (<code>liaison trust revoke … --previous LAST-LIST.json</code>) are uploaded the same
        way{hubAdmin ? ', as are organisation certificates and central authorities\' roots' : ''}.
      </p>
      <Field label="Certificate or revocation list file" hint="The JSON file the command wrote.">
        {(p) => <input {...p} ref={fileInput} type="file" accept=".json,application/json" onChange={(e) => void choose(e.currentTarget)} />}
      </Field>
      <Field label="Content of the file (JSON)" error={contentError}
        hint="Filled in when you choose the file; or paste the content here.">
        {(p) => <textarea {...p} name="trust-file" rows={6} spellcheck={false} value={content}
          onInput={(e) => { setContent(e.currentTarget.value); setErrors({}); setAdded(null); }} />}
      </Field>
      {read.ok && <Preview file={read.file} />}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Adding…' : read.ok && read.file.what === 'revocation-list' ? 'Publish the revocation list' : 'Add to the trust store'}
      </button>
    </form>
  );
}

function domainHint(email: string): string {
  return email.includes('@') ? email.slice(email.indexOf('@') + 1) : 'example.org';
}

function describe(file: TrustFile): string {
  if (file.what === 'revocation-list') return `Revocation list ${file.number} of ${file.issuer}`;
  return `The ${kindLabels[file.kind]?.toLowerCase() ?? file.kind} certificate of ${file.subject}`;
}

// What the file says, for the admin to check before it goes to the hub.
function Preview({ file }: { file: TrustFile }) {
  if (file.what === 'revocation-list') {
    return (
      <dl class="preview" aria-label="What the file holds">
        <dt>Revocation list</dt><dd>number {file.number} of {file.issuer}</dd>
        <dt>Revokes</dt><dd>{file.entries === 1 ? '1 certificate' : `${file.entries} certificates`}</dd>
      </dl>
    );
  }
  return (
    <dl class="preview" aria-label="What the file holds">
      <dt>Kind</dt><dd>{kindLabels[file.kind] ?? file.kind} certificate</dd>
      <dt>Subject</dt><dd>{file.subject}{file.email ? ` (${file.email})` : ''}</dd>
      {file.roles.length > 0 && <><dt>Roles</dt><dd>{file.roles.map((r) => roleLabels[r] ?? r).join(', ')}</dd></>}
      {file.organisation && <><dt>Organisation</dt><dd>{file.organisation}</dd></>}
      {file.notBefore && file.notAfter && <><dt>Valid</dt><dd>{localTime(file.notBefore)} to {localTime(file.notAfter)}</dd></>}
      {file.issuer && <><dt>Issued by</dt><dd>{file.issuer}</dd></>}
    </dl>
  );
}

function Roots({ roots, now, hubAdmin, onChanged }: {
  roots: ListedCertificate[] | null; now: Date; hubAdmin: boolean; onChanged: () => void;
}) {
  const [asked, setAsked] = useState<ListedCertificate | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const distrust = async (root: ListedCertificate) => {
    setBusy(true);
    setFailure(null);
    try {
      await call(`/api/v1/trust/roots/${root.fingerprint}`, { method: 'DELETE' });
      setAsked(null);
      setDone(`The hub no longer trusts ${root.subject_name}.`);
      onChanged();
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2 id="roots-title">Roots</h2>
      <p>The central authorities whose certificates the hub trusts as anchors. Compare a root's fingerprint with its authority over another channel before accepting it.</p>
      {done && <Notice><p>{done}</p></Notice>}
      {roots === null ? <p>Loading…</p> : roots.length === 0 ? <p class="empty">The hub trusts no root yet.</p> : (
        <div class="table-wrap">
          <table class="roots" aria-labelledby="roots-title">
            <thead>
              <tr>
                <th scope="col">Central authority</th>
                <th scope="col">Country</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Valid until</th>
                <th scope="col">Trusted</th>
                {hubAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {roots.map((r) => {
                const state = certificateState(r, [], now);
                return (
                  <tr key={r.fingerprint}>
                    <th scope="row">{r.subject_name}</th>
                    <td>{r.country}</td>
                    <td><code class="fingerprint">{groupedHex(r.fingerprint)}</code></td>
                    <td>{localTime(r.not_after)}</td>
                    <td><span class={state === 'valid' ? 'badge on' : 'badge off'}>{r.trusted_root ? (state === 'valid' ? 'Yes' : stateLabels[state]) : 'No, distrusted'}</span></td>
                    {hubAdmin && (
                      <td>
                        {r.trusted_root && (
                          <button type="button" class="danger" onClick={() => { setDone(null); setAsked(r); }}>
                            Stop trusting<span class="sr-only"> {r.subject_name}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {asked && (
        <FocusPanel title={`Stop trusting ${asked.subject_name}?`} tone="danger">
          <Banner messages={failure ? [failure] : []} />
          <p>
            Every organisation, person and request whose certificates chain only to this root stops verifying at once,
            and requests signed under it are quarantined on receipt. The hub keeps the certificate but will not accept
            it as a root again: this cannot be undone from the portal.
          </p>
          <div class="buttons">
            <button type="button" class="danger" disabled={busy} onClick={() => void distrust(asked)}>
              {busy ? 'Stopping…' : 'Stop trusting this root'}
            </button>
            <button type="button" onClick={() => { setAsked(null); setFailure(null); }}>Keep trusting it</button>
          </div>
        </FocusPanel>
      )}
    </>
  );
}

function Revocations({ lists }: { lists: RevocationList[] }) {
  return (
    <>
      <h2 id="revocations-title">Revocation lists</h2>
      {lists.length === 0 ? <p class="empty">No issuer has revoked anything.</p> : (
        <div class="table-wrap">
          <table class="revocations" aria-labelledby="revocations-title">
            <thead>
              <tr>
                <th scope="col">Issuer</th>
                <th scope="col">Number</th>
                <th scope="col">Issued</th>
                <th scope="col">Revoked certificates</th>
              </tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr key={`${l.issuer.key_id}-${l.number}`}>
                  <th scope="row">{l.issuer.name}<br /><code class="fingerprint">{groupedHex(l.issuer.key_id)}</code></th>
                  <td>{l.number}</td>
                  <td>{localTime(l.issued_at)}</td>
                  <td>
                    <ul class="plain">
                      {l.entries.map((e) => (
                        <li>serial <code class="fingerprint">{groupedHex(e.serial)}</code>, from {localTime(e.revoked_at)}, {revocationReasons[e.reason] ?? e.reason}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
