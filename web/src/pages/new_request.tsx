// The new-request wizard: the provider from the directory, what is sought,
// the legal routes open to it (and why the others are closed), then only the
// fields that route needs, with warnings as they are typed. The draft is
// then signed, routed for validation and given its documents on its own page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors, unplacedErrors } from '../api/problem';
import type { LiaisonRequest, Page } from '../api/types';
import { Banner, Field } from '../components/ui';
import { clearErrors, draftBody, draftErrors, draftWarnings, emptyDraft, emptyTarget, requiredFields, type DraftInput } from '../lib/draft';
import { authorityLabel, categoryLabels, categoryList, channelLabel, offenceLabel, targetKindLabel, verificationNote } from '../lib/labels';
import { kindLabels } from '../lib/requests';
import { hubMessage } from '../lib/wording';
import { navigate } from '../lib/router';

interface DirectoryEntry {
  id: string;
  name: string;
  legal_entity: string;
  establishment_country: string;
  example?: boolean;
  data_categories: string[];
  contact: { hub_org_id: string | null };
  emergency_policy?: { accepts_foreign: boolean; hours: number | null } | null;
}

interface RouteOption {
  id: string;
  name: string;
  legal_basis: string;
  instrument: string;
  issuer: { may_issue_alone: boolean; validator_types: string[]; note?: string };
  deadline?: { text: string } | null;
  required_fields?: string[];
  verification: string;
  channel: string;
}

interface Routes {
  available: RouteOption[];
  unavailable: { id: string; name: string; reasons: string[] }[];
}

const categories = ['SubscriberData', 'UserIdentifyingData', 'TrafficData', 'StoredContentData'];
const targetKinds = ['email', 'phone', 'account', 'username', 'domain', 'ip', 'crypto'];
const offenceCategories = ['other', 'attack_on_information_systems', 'child_sexual_abuse', 'non_cash_payment_fraud', 'terrorism'];

// The API's field names each input of the form stands for, so that editing an
// input clears the errors the hub or the portal gave for it.
const apiFields: Partial<Record<keyof DraftInput, string[]>> = {
  providerId: ['provider_id', 'route'], kind: ['kind', 'emergency_justification'], categories: ['categories', 'route'],
  route: ['route'], offenceCategory: ['offence_category', 'route'], maxPenaltyMonths: ['max_penalty_months', 'route'],
  targets: ['targets'], instrument: ['legal_basis/instrument', 'legal_basis'], article: ['legal_basis/article', 'legal_basis'],
  domesticReference: ['legal_basis/domestic_reference'], offenceDescription: ['offence_description'],
  issuerReference: ['issuer_reference'], caseType: ['case_type'], emergencyJustification: ['emergency_justification'],
  periodStart: ['period'], periodEnd: ['period'], deadline: ['deadline'], nonDisclosureUntil: ['non_disclosure_until'],
};

export function NewRequestPage() {
  const [entries, setEntries] = useState<DirectoryEntry[]>([]);
  const [d, setD] = useState<DraftInput>(emptyDraft);
  const [routes, setRoutes] = useState<Routes | null>(null);
  const [routeError, setRouteError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DraftInput>, ...fields: string[]) => {
    setD({ ...d, ...patch });
    const touched = [...fields, ...Object.keys(patch).flatMap((k) => apiFields[k as keyof DraftInput] ?? [])];
    // "targets" alone is the group's own error; a target's own go with "targets/N".
    setErrors((old) => {
      const rest = clearErrors(old, ...touched.filter((f) => f !== 'targets'));
      if (!touched.includes('targets') || !('targets' in rest)) return rest;
      const { targets: _, ...others } = rest;
      return others;
    });
  };

  useEffect(() => {
    call<Page<DirectoryEntry>>('/api/v1/directory?limit=200')
      .then((p) => setEntries(p.items.filter((e) => e.contact.hub_org_id)))
      .catch((e) => setRouteError(String(e)));
  }, []);

  useEffect(() => {
    if (!d.providerId || d.categories.length === 0) return setRoutes(null);
    const penalty = d.maxPenaltyMonths.trim();
    // A penalty that is no number is flagged at its field, not asked about.
    if (penalty && !/^\d+$/.test(penalty)) return;
    const q = new URLSearchParams({ provider_id: d.providerId, category: d.categories.join(','), kind: d.kind, offence_category: d.offenceCategory });
    if (penalty) q.set('max_penalty_months', penalty);
    call<Routes>(`/api/v1/routes?${q}`)
      .then((r) => {
        setRoutes(r);
        setRouteError(null);
        const direct = r.available.filter((a) => a.channel === 'provider');
        if (!direct.some((a) => a.id === d.route)) setD((old) => ({ ...old, route: direct[0]?.id ?? '' }));
      })
      .catch((e) => {
        if (!(e instanceof ApiError)) return setRouteError(String(e));
        // A query parameter the form has a field for is shown there, once.
        const all = fieldErrors(e.problem);
        const atField = Object.fromEntries(Object.entries(all).filter(([k]) => k === 'max_penalty_months'));
        if (Object.keys(atField).length > 0) setErrors((old) => ({ ...old, ...atField }));
        const rest = Object.entries(all).filter(([k]) => k !== 'max_penalty_months').map(([, v]) => v);
        setRouteError(rest.length > 0 ? rest.join('; ') : null);
      });
  }, [d.providerId, d.kind, d.categories.join(','), d.offenceCategory, d.maxPenaltyMonths]);

  const route = routes?.available.find((r) => r.id === d.route);
  const required = useMemo(() => requiredFields(route), [route]);
  const warnings = draftWarnings(d);
  const provider = entries.find((e) => e.contact.hub_org_id === d.providerId);
  const err = (...fields: string[]) => {
    const found = fields.map((f) => errors[f]).filter((x): x is string => !!x);
    return found.length > 0 ? found.join('; ') : undefined;
  };
  const label = (text: string, field: string) => (required.has(field) ? `${text} (required by this route)` : text);
  const routeNames = Object.fromEntries([...(routes?.available ?? []), ...(routes?.unavailable ?? [])].map((r) => [r.id, r.name]));
  // A closed route's reason, in words, naming other routes by their names.
  const reasonText = (reason: string) => hubMessage(reason).replace(/\b[a-z0-9-]+\/[a-z0-9-]+(?:\([0-9a-z]+\))*/g, (id) => routeNames[id] ?? id);

  const create = async (e: Event) => {
    e.preventDefault();
    const before = draftErrors(d, required);
    if (Object.keys(before).length > 0) {
      setErrors(before);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const created = await call<LiaisonRequest>('/api/v1/requests', { method: 'POST', body: draftBody(d) });
      navigate(`/requests/${created.id}`);
    } catch (x) {
      setErrors(x instanceof ApiError ? fieldErrors(x.problem) : { '': String(x) });
    } finally {
      setBusy(false);
    }
  };

  const setTarget = (i: number, patch: Partial<DraftInput['targets'][number]>) =>
    set({ targets: d.targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) }, `targets/${i}`, 'targets');
  const placed = ['provider_id', 'kind', 'categories', 'route', 'targets', 'legal_basis', 'offence_description', 'issuer_reference',
    'max_penalty_months', 'emergency_justification', 'period', 'deadline', 'non_disclosure_until', 'offence_category'];
  return (
    <form onSubmit={create} aria-labelledby="new-title" noValidate>
      <h1 id="new-title">New request</h1>
      <Banner messages={unplacedErrors(errors, placed)} />
      <section class="panel" aria-labelledby="step-provider">
        <h2 id="step-provider">1. Provider</h2>
        <Field label="Provider" error={err('provider_id')} hint="Providers reachable through this hub, from its directory.">
          {(p) => (
            <select {...p} value={d.providerId} onChange={(e) => set({ providerId: e.currentTarget.value })}>
              <option value="">Choose a provider</option>
              {entries.map((e) => <option value={e.contact.hub_org_id ?? ''}>{e.name} ({e.legal_entity}, {e.establishment_country}){e.example ? ' — example entry' : ''}</option>)}
            </select>
          )}
        </Field>
        {provider && <p class="hint">Holds: {categoryList(provider.data_categories)}. {provider.emergency_policy?.accepts_foreign ? `Answers foreign emergencies within ${provider.emergency_policy.hours ?? '?'} h.` : ''}</p>}
      </section>
      <section class="panel" aria-labelledby="step-what">
        <h2 id="step-what">2. What you ask for</h2>
        <Field label="Kind of request" error={err('kind')}>
          {(p) => (
            <select {...p} value={d.kind} onChange={(e) => set({ kind: e.currentTarget.value })}>
              {Object.entries(kindLabels).map(([k, v]) => <option value={k}>{v}</option>)}
            </select>
          )}
        </Field>
        <fieldset class={errors['categories'] ? 'field has-error' : 'field'}>
          <legend>Data sought</legend>
          {categories.map((c) => (
            <label class="check"><input type="checkbox" checked={d.categories.includes(c)}
              onChange={(e) => set({ categories: e.currentTarget.checked ? [...d.categories, c] : d.categories.filter((x) => x !== c) })} /> {categoryLabels[c]}</label>
          ))}
          {errors['categories'] && <p class="error" role="alert">{errors['categories']}</p>}
        </fieldset>
        <div class="inline">
          <Field label="Offence category" error={err('offence_category')} hint="For the routes' penalty thresholds.">
            {(p) => (
              <select {...p} value={d.offenceCategory} onChange={(e) => set({ offenceCategory: e.currentTarget.value })}>
                {offenceCategories.map((o) => <option value={o}>{offenceLabel(o)}</option>)}
              </select>
            )}
          </Field>
          <Field label={label('Maximum penalty (months)', 'max_penalty_months')} error={err('max_penalty_months')}>
            {(p) => <input {...p} inputMode="numeric" value={d.maxPenaltyMonths} onInput={(e) => set({ maxPenaltyMonths: e.currentTarget.value })} />}
          </Field>
        </div>
      </section>
      <section class="panel" aria-labelledby="step-route">
        <h2 id="step-route">3. Legal route</h2>
        <Banner messages={routeError ? [routeError] : []} />
        {!routes && !routeError && <p class="muted">Choose a provider and the data sought to see the routes open to you.</p>}
        {routes && (
          <>
            {routes.available.length === 0 && <Banner messages={['No legal route is open to this request. Change what is asked, or use mutual legal assistance outside Liaison.']} />}
            <fieldset class={errors['route'] ? 'field has-error' : 'field'}>
              <legend>Routes open to this request, best first</legend>
              {routes.available.map((r) => (
                <label class="route">
                  <input type="radio" name="route" value={r.id} checked={d.route === r.id} disabled={r.channel !== 'provider'}
                    onChange={() => set({ route: r.id })} />
                  <span>
                    <strong>{r.name}</strong><br />
                    <span class="muted">{r.legal_basis}{r.deadline ? ` · answer within ${r.deadline.text}` : ''}
                      {r.issuer.may_issue_alone ? '' : ` · needs validation by a ${r.issuer.validator_types.map(authorityLabel).join(' or ')}`}
                      {r.channel !== 'provider' ? ` · goes through the ${channelLabel(r.channel)}, not to the provider` : ''}
                      {verificationNote(r.verification) ? ` · ${verificationNote(r.verification)}` : ''}</span>
                  </span>
                </label>
              ))}
              {errors['route'] && <p class="error" role="alert">{errors['route']}</p>}
            </fieldset>
            {routes.unavailable.length > 0 && (
              <details>
                <summary>Why other routes are closed ({routes.unavailable.length})</summary>
                <ul>{routes.unavailable.map((u) => <li><strong>{u.name}</strong>: {u.reasons.map(reasonText).join('; ')}</li>)}</ul>
              </details>
            )}
          </>
        )}
      </section>
      <section class="panel" aria-labelledby="step-details">
        <h2 id="step-details">4. Details</h2>
        <fieldset class="targets">
          <legend>{label('Targets', 'targets')}</legend>
          {err('targets') && <p class="error" role="alert">{err('targets')}</p>}
          {d.targets.map((t, i) => {
            const warning = warnings[`targets/${i}`];
            return (
              <div class="target" role="group" aria-label={`Target ${i + 1}`}>
                <Field label="Kind" error={err(`targets/${i}/kind`)}>
                  {(p) => <select {...p} value={t.kind} onChange={(e) => setTarget(i, { kind: e.currentTarget.value })}>{targetKinds.map((k) => <option value={k}>{targetKindLabel(k)}</option>)}</select>}
                </Field>
                <Field label="Identifier" error={err(`targets/${i}`, `targets/${i}/value`)}>
                  {(p) => <input {...p} value={t.value} onInput={(e) => setTarget(i, { value: e.currentTarget.value })} />}
                </Field>
                {t.kind === 'ip' && (
                  <>
                    <Field label="Source port" error={err(`targets/${i}/port`)}>{(p) => <input {...p} inputMode="numeric" value={t.port} onInput={(e) => setTarget(i, { port: e.currentTarget.value })} />}</Field>
                    <Field label="Observed at (your time)" error={err(`targets/${i}/observed_at`)}>{(p) => <input {...p} type="datetime-local" step={1} value={t.observedAt} onInput={(e) => setTarget(i, { observedAt: e.currentTarget.value })} />}</Field>
                  </>
                )}
                {t.kind === 'crypto' && <Field label="Network" error={err(`targets/${i}/network`)}>{(p) => <input {...p} value={t.network} onInput={(e) => setTarget(i, { network: e.currentTarget.value })} />}</Field>}
                {d.targets.length > 1 && <button type="button" class="link" onClick={() => { set({ targets: d.targets.filter((_, j) => j !== i) }); setErrors((old) => clearErrors(old, 'targets')); }}>Remove target {i + 1}</button>}
                {warning && <p class="warning" role="status">Warning: {warning}.</p>}
              </div>
            );
          })}
          <button type="button" onClick={() => set({ targets: [...d.targets, { ...emptyTarget }] })}>Add a target</button>
        </fieldset>
        <div class="inline">
          <Field label="Legal instrument" error={err('legal_basis/instrument', 'legal_basis')} hint={route ? `The route rests on ${route.legal_basis}.` : undefined}>
            {(p) => <input {...p} value={d.instrument} onInput={(e) => set({ instrument: e.currentTarget.value })} />}
          </Field>
          <Field label="Article" error={err('legal_basis/article')}>
            {(p) => <input {...p} value={d.article} onInput={(e) => set({ article: e.currentTarget.value })} />}
          </Field>
          <Field label={label('Domestic legal basis', 'legal_basis/domestic_reference')} error={err('legal_basis/domestic_reference')}>
            {(p) => <input {...p} value={d.domesticReference} onInput={(e) => set({ domesticReference: e.currentTarget.value })} />}
          </Field>
        </div>
        <Field label={label('Offence', 'offence_description')} error={err('offence_description')}>
          {(p) => <textarea {...p} rows={3} value={d.offenceDescription} onInput={(e) => set({ offenceDescription: e.currentTarget.value })} />}
        </Field>
        {d.kind === 'emergency_disclosure' && (
          <Field label="Threat to life or physical safety (required)" error={err('emergency_justification')}
            hint="Say who is in danger, of what, and how soon. A supervisor of your organisation must co-sign.">
            {(p) => <textarea {...p} rows={3} value={d.emergencyJustification} onInput={(e) => set({ emergencyJustification: e.currentTarget.value })} />}
          </Field>
        )}
        <div class="inline">
          <Field label={label('Your case number', 'issuer_reference')} error={err('issuer_reference')}>
            {(p) => <input {...p} value={d.issuerReference} onInput={(e) => set({ issuerReference: e.currentTarget.value })} />}
          </Field>
          <Field label="Data from" error={err('period', 'period/start')}>
            {(p) => <input {...p} type="datetime-local" value={d.periodStart} onInput={(e) => set({ periodStart: e.currentTarget.value })} />}
          </Field>
          <Field label="Data until" error={err('period/end')}>
            {(p) => <input {...p} type="datetime-local" value={d.periodEnd} onInput={(e) => set({ periodEnd: e.currentTarget.value })} />}
          </Field>
          {warnings['period'] && <p class="warning" role="status">Warning: {warnings['period']}.</p>}
          <Field label="Gag order until" error={err('non_disclosure_until')} hint="The provider may not tell the user before then.">
            {(p) => <input {...p} type="datetime-local" value={d.nonDisclosureUntil} onInput={(e) => set({ nonDisclosureUntil: e.currentTarget.value })} />}
          </Field>
          {warnings['non_disclosure_until'] && <p class="warning" role="status">Warning: {warnings['non_disclosure_until']}.</p>}
        </div>
      </section>
      <p class="hint">The draft is saved for you to sign, to ask for validation where the route needs it, and to attach documents; nothing reaches the provider until you submit it.</p>
      <button type="submit" class="primary" disabled={busy || !d.providerId}>{busy ? 'Saving…' : 'Save the draft'}</button>
    </form>
  );
}
