// An organisation's accounts, for its org admin or a hub administrator:
// creating one, giving it a first password to hand over, disabling it, and
// resetting a lost authenticator. The person enrols their own authenticator
// and chooses their own password at first sign-in; nobody does it for them.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { unplacedErrors } from '../api/problem';
import type { Account, OrgRef, Organisation, Page, SessionUser } from '../api/types';
import { errorsOf, FocusPanel, messageOf, Notice, NotForYou } from '../components/admin';
import { Banner, Field } from '../components/ui';
import {
  adminPages, isHubAdmin, orgKindLabels, roleDescriptions, roleLabels, rolesForKind, suggestedPassword,
} from '../lib/admin';

export function UsersPage({ user }: { user: SessionUser }) {
  if (!adminPages(user).includes('users')) {
    return <NotForYou title="Users" who="organisation admins and hub administrators" />;
  }
  return isHubAdmin(user) ? <HubUsers me={user} /> : <OrganisationUsers me={user} org={user.organisation as OrgRef} />;
}

function HubUsers({ me }: { me: SessionUser }) {
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [chosen, setChosen] = useState(() => new URLSearchParams(location.search).get('organisation') ?? '');
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    call<Page<Organisation>>('/api/v1/organisations')
      .then((page) => {
        const sorted = [...page.items].sort((a, b) => a.name.localeCompare(b.name));
        setOrgs(sorted);
        setChosen((c) => (sorted.some((o) => o.id === c) ? c : sorted[0]?.id ?? ''));
      })
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, []);

  const org = orgs?.find((o) => o.id === chosen);
  return (
    <>
      <Banner messages={failure ? [failure] : []} />
      {orgs && orgs.length > 0 && (
        <form class="filters" aria-label="Choose the organisation" onSubmit={(e) => e.preventDefault()}>
          <Field label="Organisation" hint="Hub administrators manage the accounts of every organisation on the hub.">
            {(p) => (
              <select {...p} value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
                {orgs.map((o) => <option value={o.id}>{o.name} ({o.country}, {orgKindLabels[o.kind]})</option>)}
              </select>
            )}
          </Field>
        </form>
      )}
      {orgs === null && !failure && <p>Loading…</p>}
      {orgs && orgs.length === 0 && <p>There is no organisation on the hub yet: create one under Organisations first.</p>}
      {org && <OrganisationUsers key={org.id} me={me} org={org} />}
    </>
  );
}

type Panel = { kind: 'password' | 'reset'; account: Account } | null;

function OrganisationUsers({ me, org }: { me: SessionUser; org: OrgRef }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; next?: Account } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);

  const load = async () => {
    try {
      const page = await call<Page<Account>>(`/api/v1/organisations/${org.id}/users`);
      setAccounts([...page.items].sort((a, b) => a.name.localeCompare(b.name)));
    } catch (e) {
      setFailure(messageOf(e));
    }
  };
  useEffect(() => { void load(); }, [org.id]);

  const replace = (a: Account) => setAccounts((old) => (old ?? []).map((x) => (x.id === a.id ? a : x)));

  const setDisabled = async (account: Account, disabled: boolean) => {
    setBusyRow(account.id);
    setFailure(null);
    setNotice(null);
    try {
      const changed = await call<Account>(`/api/v1/users/${account.id}`, { method: 'PATCH', body: { disabled } });
      replace(changed);
      setNotice({
        text: disabled
          ? `${changed.name} is disabled: they cannot sign in, their sessions have ended and their tokens stop working.`
          : `${changed.name} is enabled again: they can sign in with their password and authenticator.`,
      });
    } catch (e) {
      setFailure(`${account.name}: ${messageOf(e)}`);
    } finally {
      setBusyRow(null);
    }
  };

  const open = (next: Panel) => {
    setNotice(null);
    setFailure(null);
    setPanel(next);
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users of {org.name}</h1>
      <Banner messages={failure ? [failure] : []} />
      {notice && (
        <Notice>
          <p>{notice.text}</p>
          {notice.next && (
            <button type="button" class="primary" onClick={() => open({ kind: 'password', account: notice.next as Account })}>
              Set a first password for {notice.next.name}
            </button>
          )}
        </Notice>
      )}
      {accounts === null ? (!failure && <p>Loading…</p>) : (
        <div class="table-wrap">
          <table class="accounts">
            <caption>Accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail address</th>
                <th scope="col">Roles</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.name}</th>
                  <td>{a.email}</td>
                  <td>{a.roles.map((r) => roleLabels[r] ?? r).join(', ')}</td>
                  <td>{a.disabled ? <span class="badge off">Disabled</span> : <span class="badge on">Active</span>}</td>
                  <td>
                    {a.id === me.id ? <span class="muted">your own account</span> : (
                      <div class="buttons row-actions">
                        <button type="button" onClick={() => open({ kind: 'password', account: a })}>
                          Set password<span class="sr-only"> for {a.name}</span>
                        </button>
                        <button type="button" disabled={busyRow === a.id} onClick={() => void setDisabled(a, !a.disabled)}>
                          {a.disabled ? 'Enable' : 'Disable'}<span class="sr-only"> {a.name}</span>
                        </button>
                        <button type="button" class="danger" onClick={() => open({ kind: 'reset', account: a })}>
                          Reset authenticator<span class="sr-only"> of {a.name}</span>
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {panel?.kind === 'password' && (
        <PasswordPanel account={panel.account} onCancel={() => setPanel(null)}
          onDone={(text) => { setPanel(null); setNotice({ text }); }} />
      )}
      {panel?.kind === 'reset' && (
        <ResetPanel account={panel.account} onCancel={() => setPanel(null)}
          onDone={(text) => { setPanel(null); setNotice({ text }); }} />
      )}
      <CreateUser org={org} onCreated={(a) => {
        setAccounts((old) => [...(old ?? []), a].sort((x, y) => x.name.localeCompare(y.name)));
        setPanel(null);
        setFailure(null);
        setNotice({
          text: `${a.name}'s account is created, with no password yet. Next, set a first password and hand it to them ` +
            'yourself, by phone or in person rather than by e-mail. They sign in with it, leaving the code empty, ' +
            'and the portal takes them through setting up their authenticator and choosing their own password.',
          next: a,
        });
      }} />
    </section>
  );
}

function CreateUser({ org, onCreated }: { org: OrgRef; onCreated: (a: Account) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const offered = rolesForKind(org.kind);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const created = await call<Account>(`/api/v1/organisations/${org.id}/users`, {
        method: 'POST', body: { name: name.trim(), email: email.trim(), roles },
      });
      setName('');
      setEmail('');
      setRoles([]);
      onCreated(created);
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (role: string, on: boolean) =>
    setRoles((old) => (on ? [...old.filter((r) => r !== role), role] : old.filter((r) => r !== role)));
  const rolesError = errors['roles'];
  return (
    <form class="panel" aria-labelledby="create-user-title" onSubmit={submit} noValidate>
      <h2 id="create-user-title">Create a user</h2>
      <Banner messages={unplacedErrors(errors, ['name', 'email', 'roles'])} />
      <Field label="Name" error={errors['name']} hint="As on their ID: their certificate must name them the same way.">
        {(p) => <input {...p} name="name" autoComplete="off" required value={name}
          onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="E-mail address" error={errors['email']} hint="Their work address; they sign in with it.">
        {(p) => <input {...p} type="email" name="email" autoComplete="off" spellcheck={false} required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />}
      </Field>
      <fieldset class={rolesError ? 'roles has-error' : 'roles'} aria-describedby={rolesError ? 'roles-error' : undefined}>
        <legend>Roles</legend>
        <p class="hint">What {orgKindLabels[org.kind].toLowerCase()} accounts may hold. Choose at least one.</p>
        {offered.map((r) => (
          <label class="check">
            <input type="checkbox" name="roles" value={r} checked={roles.includes(r)}
              onChange={(e) => toggle(r, e.currentTarget.checked)} />
            <span><strong>{roleLabels[r]}</strong> <span class="muted">({roleDescriptions[r]})</span></span>
          </label>
        ))}
        {rolesError && <p class="error" id="roles-error" role="alert">{rolesError}</p>}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create the user'}</button>
    </form>
  );
}

function PasswordPanel({ account, onCancel, onDone }: { account: Account; onCancel: () => void; onDone: (text: string) => void }) {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await call(`/api/v1/users/${account.id}/password`, { method: 'PUT', body: { password } });
      onDone(`${account.name}'s password is set, and any session they had has ended. Hand it to them yourself. ` +
        'If they have not enrolled yet, they sign in with it and the portal takes them through setting up their ' +
        'authenticator and choosing their own password.');
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FocusPanel title={`Set a password for ${account.name}`}>
      <form onSubmit={submit} noValidate aria-label={`Password for ${account.name}`}>
        <Banner messages={unplacedErrors(errors, ['password'])} />
        <p>
          For a new account this is the first password, which works only until they enrol and choose their own. For
          someone who forgot theirs it replaces it; their authenticator stays.
        </p>
        <Field label="New password" error={errors['password']}
          hint="At least 12 characters, and not their e-mail address. Note it before you set it: it is not shown again.">
          {(p) => <input {...p} type="text" name="new-password" autoComplete="off" spellcheck={false} required
            value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <div class="buttons">
          <button type="button" onClick={() => setPassword(suggestedPassword(crypto.getRandomValues(new Uint8Array(16))))}>
            Suggest a password
          </button>
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Setting…' : 'Set the password'}</button>
          <button type="button" class="link" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </FocusPanel>
  );
}

function ResetPanel({ account, onCancel, onDone }: { account: Account; onCancel: () => void; onDone: (text: string) => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await call(`/api/v1/users/${account.id}/totp`, { method: 'DELETE' });
      onDone(`${account.name}'s authenticator and recovery codes are removed and their sessions have ended. ` +
        'They sign in with their password and enrol a new authenticator; if they lost the password too, set a new one.');
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FocusPanel title={`Reset ${account.name}'s authenticator?`} tone="danger">
      <Banner messages={failure ? [failure] : []} />
      <p>
        Do this when they lost their phone or authenticator. It removes the authenticator and all their recovery codes
        and signs them out everywhere; they cannot sign in again until they enrol a new one. Make sure it is really
        them asking.
      </p>
      <div class="buttons">
        <button type="button" class="danger" disabled={busy} onClick={() => void reset()}>
          {busy ? 'Resetting…' : 'Reset the authenticator'}
        </button>
        <button type="button" onClick={onCancel}>Keep it</button>
      </div>
    </FocusPanel>
  );
}
