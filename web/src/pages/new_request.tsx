// The new-request wizard: the provider from the directory, what is sought,
// the legal routes open to it (and why the others are closed), then only the
// fields that route needs, with warnings as they are typed. The draft is
// then signed, routed for validation and given its documents on its own page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, errorWithin, fieldErrors, unplacedErrors } from '../api/problem';
import type { LiaisonRequest, Page } from '../api/types';
import { Banner, Field } from '../components/ui';
import { draftBody, emptyDraft, emptyTarget, missingFields, requiredFields, targetWarning, type DraftInput } from '../lib/draft';
import { kindLabels } from '../lib/requests';
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
const categoryLabels: Record<string, string> = {
  SubscriberData: 'Subscriber data', UserIdentifyingData: 'Data identifying the user (e.g. who had an IP address)',
  TrafficData: 'Traffic data', StoredContentData: 'Stored content',
};
const targetKinds = ['email', 'phone', 'account', 'username', 'domain', 'ip', 'crypto'];
const offenceCategories = ['other', 'attack_on_information_systems', 'child_sexual_abuse', 'non_cash_payment_fraud', 'terrorism'];

export function NewRequestPage() {
  const [entries, setEntries] = useState<DirectoryEntry[]>([]);
  const [d, setD] = useState<DraftInput>(emptyDraft);
  const [routes, setRoutes] = useState<Routes | null>(null);
  const [routeError, setRouteError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DraftInput>) => setD({ ...d, ...patch });

  useEffect(() => {
    call<Page<DirectoryEntry>>('/api/v1/directory?limit=200')
      .then((p) => setEntries(p.items.filter((e) => e.contact.hub_org_id)))
      .catch((e) => setRouteError(String(e)));
  }, []);

  useEffect(() => {
    if (!d.providerId || d.categories.length === 0) return setRoutes(null);
    const q = new URLSearchParams({ provider_id: d.providerId, category: d.categories.join(','), kind: d.kind, offence_category: d.offenceCategory });
    if (d.maxPenaltyMonths.trim()) q.set('max_penalty_months', d.maxPenaltyMonths.trim());
    call<Routes>(`/api/v1/routes?${q}`)
      .then((r) => {
        setRoutes(r);
        setRouteError(null);
        const direct = r.available.filter((a) => a.channel === 'provider');
        if (!direct.some((a) => a.id === d.route)) setD((old) => ({ ...old, route: direct[0]?.id ?? '' }));
      })
      .catch((e) => setRouteError(e instanceof ApiError ? Object.values(fieldErrors(e.problem)).join('; ') : String(e)));
  }, [d.providerId, d.kind, d.categories.join(','), d.offenceCategory, d.maxPenaltyMonths]);

  const route = routes?.available.find((r) => r.id === d.route);
  const required = useMemo(() => requiredFields(route), [route]);
  const missing = missingFields(d, required);
  const provider = entries.find((e) => e.contact.hub_org_id === d.providerId);
  const err = (field: string) => errors[field] ?? (Object.keys(errors).length > 0 ? missing[field] : undefined);
  const label = (text: string, field: string) => (required.has(field) ? `${text} (required by this route)` : text);

  const create = async (e: Event) => {
    e.preventDefault();
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
    set({ targets: d.targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const placed = ['provider_id', 'kind', 'categories', 'route', 'targets', 'legal_basis', 'offence_description', 'issuer_reference',
    'max_penalty_months', 'emergency_justification', 'period', 'deadline', 'non_disclosure_until', 'offence_category'];
  return (
    <form onSubmit={create} aria-labelledby="new-title" noValidate>
      <h1 id="new-title">New request</h1>
      <Banner messages={unplacedErrors(errors, placed)} />
      <section class="panel" aria-labelledby="step-provider">
        <h2 id="step-provider">1. Provider</h2>
        <Field label="Provider" error={errors['provider_id']} hint="Providers reachable through this hub, from its directory.">
          {(p) => (
            <select {...p} value={d.providerId} onChange={(e) => set({ providerId: e.currentTarget.value })}>
              <option value="">Choose a provider</option>
              {entries.map((e) => <option value={e.contact.hub_org_id ?? ''}>{e.name} ({e.legal_entity}, {e.establishment_country}){e.example ? ' — example entry' : ''}</option>)}
            </select>
          )}
        </Field>
        {provider && <p class="hint">Holds: {provider.data_categories.join(', ')}. {provider.emergency_policy?.accepts_foreign ? `Answers foreign emergencies within ${provider.emergency_policy.hours ?? '?'} h.` : ''}</p>}
      </section>
      <section class="panel" aria-labelledby="step-what">
        <h2 id="step-what">2. What you ask for</h2>
        <Field label="Kind of request" error={errors['kind']}>
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
          <Field label="Offence category" error={errors['offence_category']} hint="For the routes' penalty thresholds.">
            {(p) => (
              <select {...p} value={d.offenceCategory} onChange={(e) => set({ offenceCategory: e.currentTarget.value })}>
                {offenceCategories.map((o) => <option value={o}>{o.replace(/_/g, ' ')}</option>)}
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
                      {r.issuer.may_issue_alone ? '' : ` · needs validation by a ${r.issuer.validator_types.join(' or ')}`}
                      {r.channel !== 'provider' ? ` · goes through the ${r.channel.replace(/_/g, ' ')}, not to the provider` : ''}
                      {r.verification !== 'verified' ? ` · sources ${r.verification}` : ''}</span>
                  </span>
                </label>
              ))}
              {errors['route'] && <p class="error" role="alert">{errors['route']}</p>}
            </fieldset>
            {routes.unavailable.length > 0 && (
              <details>
                <summary>Why other routes are closed ({routes.unavailable.length})</summary>
                <ul>{routes.unavailable.map((u) => <li><strong>{u.name}</strong>: {u.reasons.join('; ')}</li>)}</ul>
              </details>
            )}
          </>
        )}
      </section>
      <section class="panel" aria-labelledby="step-details">
        <h2 id="step-details">4. Details</h2>
        <fieldset class="targets">
          <legend>{label('Targets', 'targets')}</legend>
          {err('targets') && !errorWithin(errors, 'targets/0') && <p class="error" role="alert">{err('targets')}</p>}
          {d.targets.map((t, i) => {
            const warning = targetWarning(t);
            return (
              <div class="target" role="group" aria-label={`Target ${i + 1}`}>
                <Field label="Kind">
                  {(p) => <select {...p} value={t.kind} onChange={(e) => setTarget(i, { kind: e.currentTarget.value })}>{targetKinds.map((k) => <option value={k}>{k}</option>)}</select>}
                </Field>
                <Field label="Identifier" error={errorWithin(errors, `targets/${i}`)}>
                  {(p) => <input {...p} value={t.value} onInput={(e) => setTarget(i, { value: e.currentTarget.value })} />}
                </Field>
                {t.kind === 'ip' && (
                  <>
                    <Field label="Source port">{(p) => <input {...p} inputMode="numeric" value={t.port} onInput={(e) => setTarget(i, { port: e.currentTarget.value })} />}</Field>
                    <Field label="Observed at (your time)">{(p) => <input {...p} type="datetime-local" step={1} value={t.observedAt} onInput={(e) => setTarget(i, { observedAt: e.currentTarget.value })} />}</Field>
                  </>
                )}
                {t.kind === 'crypto' && <Field label="Network">{(p) => <input {...p} value={t.network} onInput={(e) => setTarget(i, { network: e.currentTarget.value })} />}</Field>}
                {d.targets.length > 1 && <button type="button" class="link" onClick={() => set({ targets: d.targets.filter((_, j) => j !== i) })}>Remove target {i + 1}</button>}
                {warning && <p class="warning" role="status">Warning: {warning}.</p>}
              </div>
            );
          })}
          <button type="button" onClick={() => set({ targets: [...d.targets, { ...emptyTarget }] })}>Add a target</button>
        </fieldset>
        <div class="inline">
          <Field label="Legal instrument" error={errors['legal_basis/instrument']} hint={route ? `The route rests on ${route.legal_basis}.` : undefined}>
            {(p) => <input {...p} value={d.instrument} onInput={(e) => set({ instrument: e.currentTarget.value })} />}
          </Field>
          <Field label="Article" error={errors['legal_basis/article']}>
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
          <Field label="Data from" error={errorWithin(errors, 'period')}>
            {(p) => <input {...p} type="datetime-local" value={d.periodStart} onInput={(e) => set({ periodStart: e.currentTarget.value })} />}
          </Field>
          <Field label="Data until">
            {(p) => <input {...p} type="datetime-local" value={d.periodEnd} onInput={(e) => set({ periodEnd: e.currentTarget.value })} />}
          </Field>
          <Field label="Gag order until" error={errors['non_disclosure_until']} hint="The provider may not tell the user before then.">
            {(p) => <input {...p} type="datetime-local" value={d.nonDisclosureUntil} onInput={(e) => set({ nonDisclosureUntil: e.currentTarget.value })} />}
          </Field>
        </div>
      </section>
      <p class="hint">The draft is saved for you to sign, to ask for validation where the route needs it, and to attach documents; nothing reaches the provider until you submit it.</p>
      <button type="submit" class="primary" disabled={busy || !d.providerId}>{busy ? 'Saving…' : 'Save the draft'}</button>
    </form>
  );
}
