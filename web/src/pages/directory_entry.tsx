// The provider's own directory entry, which its org admin keeps true: how
// authorities reach it and what its policies are. Officers' route advice and
// deadlines read it, so every edit is a new version in the ledger.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors, unplacedErrors } from '../api/problem';
import type { Page } from '../api/types';
import { Banner, Field } from '../components/ui';
import { dataCategories, entryOf, formOf, ownEntry, type DirectoryEntry, type EntryForm } from '../lib/directory_entry';
import { localTime } from '../lib/time';

type TextKey = { [K in keyof EntryForm]: EntryForm[K] extends string ? K : never }[keyof EntryForm];
type TickKey = { [K in keyof EntryForm]: EntryForm[K] extends boolean ? K : never }[keyof EntryForm];

// Which field of the form carries the hub's error for an entry's path.
const placeOf: Record<string, keyof EntryForm> = {
  name: 'name', legal_entity: 'legal_entity', establishment_country: 'establishment_country', time_zone: 'time_zone',
  'contact/portal_url': 'portal_url', 'contact/email': 'email', 'contact/emergency_phone': 'emergency_phone',
  data_categories: 'data_categories', retention_notes: 'retention_notes',
  'preservation_policy/days': 'preservation_days', 'preservation_policy/extension_days': 'preservation_extension_days',
  'preservation_policy/notes': 'preservation_notes', 'emergency_policy/hours': 'emergency_hours',
  'emergency_policy/notes': 'emergency_notes', 'foreign_requests/notes': 'foreign_notes',
  'user_notification_policy/notes': 'notification_notes', languages: 'languages',
};

function placed(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, reason] of Object.entries(errors)) {
    const key = placeOf[path] ?? placeOf[path.replace(/\/\d+$/, '')];
    if (key) out[key] = out[key] ? `${out[key]}; ${reason}` : reason;
  }
  return out;
}

export function DirectoryEntryPage({ orgId }: { orgId: string }) {
  const [entry, setEntry] = useState<DirectoryEntry | null | undefined>(undefined);
  const [form, setForm] = useState<EntryForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<Page<DirectoryEntry>>('/api/v1/directory?limit=200')
      .then((p) => {
        const mine = ownEntry(p.items, orgId) ?? null;
        setEntry(mine);
        if (mine) setForm(formOf(mine));
      })
      .catch((e: unknown) => setErrors({ '': e instanceof Error ? e.message : String(e) }));
  }, [orgId]);

  if (entry === undefined) return <Banner messages={errors[''] ? [errors['']] : []} />;
  if (entry === null || !form) {
    return (
      <section>
        <h1>Directory entry</h1>
        <p>No directory entry names your organisation yet. A hub administrator creates it and links it to your
          organisation; you can then keep it up to date here.</p>
      </section>
    );
  }

  const at = placed(errors);
  const unplaced = unplacedErrors(errors, Object.keys(placeOf));
  const set = (patch: Partial<EntryForm>) => { setForm({ ...form, ...patch }); setSaved(null); };
  const textField = (key: TextKey, label: string, props: { hint?: string; type?: string; long?: boolean } = {}) => (
    <Field label={label} error={at[key]} hint={props.hint}>
      {(p) => props.long
        ? <textarea {...p} name={key} rows={3} value={form[key]} onInput={(e) => set({ [key]: e.currentTarget.value })} />
        : <input {...p} name={key} type={props.type ?? 'text'} value={form[key]} onInput={(e) => set({ [key]: e.currentTarget.value })} />}
    </Field>
  );
  const tick = (key: TickKey, label: string) => (
    <label class="check"><input type="checkbox" checked={form[key]} onChange={(e) => set({ [key]: e.currentTarget.checked })} /> {label}</label>
  );

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const body = entryOf(form, entry);
      const stored = await call<DirectoryEntry>(`/api/v1/directory/${encodeURIComponent(entry.id)}`,
        { method: 'PUT', body, ifMatch: entry.version });
      setEntry(stored);
      setForm(formOf(stored));
      setSaved(`Saved as version ${stored.version}.`);
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="entry-title">
      <h1 id="entry-title">Directory entry</h1>
      <p class="lede">How authorities reach {String(entry['name'])} and what its policies are. Officers' route advice
        and deadlines read this entry. Version {entry.version}, last changed {localTime(String(entry['updated_at']))}.</p>
      {entry['example'] === true && <Banner tone="warning" messages={['EXAMPLE: not a real provider.']} />}
      <form onSubmit={save} noValidate aria-label="Directory entry">
        <Banner messages={unplaced} />
        <fieldset class="panel">
          <legend>Who you are</legend>
          {textField('name', 'Name')}
          {textField('legal_entity', 'Legal entity', { hint: 'The company that holds the data.' })}
          {textField('establishment_country', 'Country of establishment', { hint: 'ISO 3166-1 alpha-2, e.g. IE.' })}
          {textField('time_zone', 'Time zone', { hint: 'IANA name, e.g. Europe/Dublin: deadlines in days are counted in it.' })}
          {textField('languages', 'Languages', { hint: 'ISO 639-1 codes, separated by commas: en, ga.' })}
        </fieldset>
        <fieldset class="panel">
          <legend>Contact</legend>
          {textField('portal_url', 'Law-enforcement portal', { type: 'url', hint: 'https:// only.' })}
          {textField('email', 'E-mail for legal process', { type: 'email' })}
          {textField('emergency_phone', 'Emergency telephone', { type: 'tel', hint: 'E.164: + and digits.' })}
        </fieldset>
        <fieldset class="panel">
          <legend>Data held</legend>
          {at['data_categories'] && <p class="error" role="alert">{at['data_categories']}</p>}
          {dataCategories.map((c) => (
            <label class="check"><input type="checkbox" checked={form.data_categories.includes(c)}
              onChange={(e) => set({ data_categories: e.currentTarget.checked
                ? [...form.data_categories, c] : form.data_categories.filter((x) => x !== c) })} /> {c}</label>
          ))}
          {textField('retention_notes', 'Retention', { long: true, hint: 'How long you keep what.' })}
        </fieldset>
        <fieldset class="panel">
          <legend>Preservation</legend>
          {textField('preservation_days', 'Days kept on a preservation request', { type: 'number' })}
          {tick('preservation_extendable', 'The period can be extended')}
          {form.preservation_extendable && textField('preservation_extension_days', 'Days added by an extension', { type: 'number' })}
          {textField('preservation_notes', 'Notes on preservation', { long: true })}
        </fieldset>
        <fieldset class="panel">
          <legend>Emergencies, foreign requests and users</legend>
          {tick('emergency_accepts_foreign', 'Answers emergency requests from foreign authorities')}
          {textField('emergency_hours', 'Own response target in an emergency (hours)', { type: 'number' })}
          {textField('emergency_notes', 'Notes on emergencies', { long: true })}
          {tick('voluntary_non_content', 'Discloses non-content data directly to foreign authorities')}
          {textField('foreign_notes', 'Notes on foreign requests', { long: true })}
          {tick('notifies_users', 'Tells users about requests for their data')}
          {textField('notification_notes', 'Notes on user notification', { long: true })}
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : 'Save a new version'}</button>
        {saved && <p role="status" class="saved">{saved}</p>}
        {unplaced.length > 0 && <p class="error">The hub refused the entry: see the messages above.</p>}
      </form>
    </section>
  );
}
