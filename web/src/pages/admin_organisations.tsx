// The organisations on the hub, for hub administrators: the list, and a new
// authority, provider or central authority. An organisation's first admin is
// created on the users page; its certificate comes from its central
// authority, offline.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { unplacedErrors } from '../api/problem';
import type { Organisation, Page, SessionUser } from '../api/types';
import { errorsOf, messageOf, Notice, NotForYou } from '../components/admin';
import { Banner, Field, Link } from '../components/ui';
import { authorityTypes, isHubAdmin, orgKindLabels, organisationBody, type NewOrganisation, type OrgKind } from '../lib/admin';
import { localTime } from '../lib/time';

const authorityTypeLabels: Record<string, string> = { police: 'Police', prosecutor: 'Prosecutor', judge: 'Judge' };

export function OrganisationsPage({ user }: { user: SessionUser }) {
  if (!isHubAdmin(user)) return <NotForYou title="Organisations" who="hub administrators" />;
  return <Organisations />;
}

function Organisations() {
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Organisation | null>(null);

  useEffect(() => {
    call<Page<Organisation>>('/api/v1/organisations')
      .then((p) => setOrgs(p.items))
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, []);

  const sorted = [...(orgs ?? [])].sort((a, b) => a.country.localeCompare(b.country) || a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="orgs-title">
      <h1 id="orgs-title">Organisations</h1>
      <Banner messages={failure ? [failure] : []} />
      {created && (
        <Notice>
          <p>
            {created.name} is on the hub. Next, <Link href={`/admin/users?organisation=${created.id}`}>create its first
            organisation admin</Link>, who then creates its other accounts. Its central authority certifies the
            organisation's key offline, naming endpoint <code>{created.endpoint_uid}</code> and country{' '}
            <code>{created.country}</code> (<code>liaison trust certify-org</code>), and you add that certificate under
            Certificates.
          </p>
        </Notice>
      )}
      {orgs === null ? (!failure && <p>Loading…</p>) : (
        <div class="table-wrap">
          <table class="organisations">
            <caption>Organisations on the hub</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Country</th>
                <th scope="col">Endpoint id</th>
                <th scope="col">Authority type</th>
                <th scope="col">Created</th>
                <th scope="col">Accounts</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.name}</th>
                  <td>{orgKindLabels[o.kind] ?? o.kind}</td>
                  <td>{o.country}</td>
                  <td><code>{o.endpoint_uid}</code></td>
                  <td>{o.kind === 'authority' ? (o.authority_type ? authorityTypeLabels[o.authority_type] ?? o.authority_type : <span class="muted">not set</span>) : ''}</td>
                  <td>{localTime(o.created_at)}</td>
                  <td><Link href={`/admin/users?organisation=${o.id}`}>Users<span class="sr-only"> of {o.name}</span></Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateOrganisation onCreated={(o) => { setOrgs((old) => [...(old ?? []), o]); setCreated(o); }} />
    </section>
  );
}

const blank: NewOrganisation = { kind: 'authority', name: '', country: '', endpoint_uid: '', authority_type: 'police' };

function CreateOrganisation({ onCreated }: { onCreated: (o: Organisation) => void }) {
  const [form, setForm] = useState<NewOrganisation>(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<NewOrganisation>) => setForm({ ...form, ...patch });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const o = await call<Organisation>('/api/v1/organisations', { method: 'POST', body: organisationBody(form) });
      setForm(blank);
      onCreated(o);
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  const placed = ['kind', 'name', 'country', 'endpoint_uid', ...(form.kind === 'authority' ? ['authority_type'] : [])];
  return (
    <form class="panel" aria-labelledby="create-org-title" onSubmit={submit} noValidate>
      <h2 id="create-org-title">Create an organisation</h2>
      <Banner messages={unplacedErrors(errors, placed)} />
      <Field label="Kind" error={errors['kind']}>
        {(p) => (
          <select {...p} name="kind" value={form.kind} onChange={(e) => set({ kind: e.currentTarget.value as OrgKind })}>
            {Object.entries(orgKindLabels).map(([k, v]) => <option value={k}>{v}</option>)}
          </select>
        )}
      </Field>
      <Field label="Name" error={errors['name']} hint="As its certificate will name it.">
        {(p) => <input {...p} name="name" autoComplete="organization" required value={form.name}
          onInput={(e) => set({ name: e.currentTarget.value })} />}
      </Field>
      <Field label="Country" error={errors['country']} hint="ISO 3166-1 alpha-2 code, such as NL or IE.">
        {(p) => <input {...p} name="country" required maxLength={2} size={4} autoComplete="off" spellcheck={false}
          value={form.country} onInput={(e) => set({ country: e.currentTarget.value })} />}
      </Field>
      <Field label="Endpoint id" error={errors['endpoint_uid']}
        hint="The ETSI EndpointID: letters, digits, '.', '_' and '-', unique in the country. Certificates identify the organisation by it.">
        {(p) => <input {...p} name="endpoint_uid" required autoComplete="off" spellcheck={false} value={form.endpoint_uid}
          onInput={(e) => set({ endpoint_uid: e.currentTarget.value })} />}
      </Field>
      {form.kind === 'authority' && (
        <Field label="Authority type" error={errors['authority_type']}
          hint="Decides which legal routes it may issue under alone and which need another authority's validation.">
          {(p) => (
            <select {...p} name="authority_type" value={form.authority_type}
              onChange={(e) => set({ authority_type: e.currentTarget.value })}>
              {authorityTypes.map((t) => <option value={t}>{authorityTypeLabels[t]}</option>)}
              <option value="">Not set (the hub cannot tell whether it may issue alone)</option>
            </select>
          )}
        </Field>
      )}
      <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create the organisation'}</button>
    </form>
  );
}
