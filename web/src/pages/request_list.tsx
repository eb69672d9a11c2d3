// The authority's dashboard of its organisation's requests, and the
// provider's queue: the same list, sorted by deadline, with the provider's
// filters.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call } from '../api/client';
import type { LiaisonRequest, Page } from '../api/types';
import { Banner, DeadlineNote, Field, KindBadge, Link, StatusBadge } from '../components/ui';
import {
  byDeadline, countries, emptyFilter, isOpen, kindLabels, matches, needsMe, statusLabels, type QueueFilter,
} from '../lib/requests';

export function RequestListPage({ side, orgId }: { side: 'authority' | 'provider' | 'hub'; orgId: string }) {
  const [items, setItems] = useState<LiaisonRequest[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [filter, setFilter] = useState<QueueFilter>(side === 'provider' ? emptyFilter : { ...emptyFilter, status: '' });

  const load = async (after: string | null) => {
    try {
      const page = await call<Page<LiaisonRequest>>(`/api/v1/requests?limit=500${after ? `&cursor=${encodeURIComponent(after)}` : ''}`);
      setItems((old) => [...(after && old ? old : []), ...page.items]);
      setCursor(page.next_cursor ?? null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  // A hub administrator sees no requests; asking would only be refused.
  useEffect(() => { if (side !== 'hub') void load(null); }, []);

  const shown = useMemo(() => {
    const now = new Date();
    return (items ?? []).filter((r) => matches(r, filter, now)).sort(byDeadline);
  }, [items, filter]);
  const mine = (items ?? []).filter((r) => needsMe(r, orgId) !== null);

  if (side === 'hub') {
    return (
      <section aria-labelledby="list-title">
        <h1 id="list-title">Hub administration</h1>
        <Banner tone="info" messages={['Hub administrators see no requests.']} />
        <ul>
          <li><Link href="/admin/organisations">Organisations</Link>: the authorities and providers on the hub, and new ones.</li>
          <li><Link href="/admin/users">Users</Link>: every organisation's accounts, passwords and authenticators.</li>
          <li><Link href="/admin/trust">Certificates</Link>: the trust store, its roots and revocation lists.</li>
        </ul>
      </section>
    );
  }
  const set = (patch: Partial<QueueFilter>) => setFilter({ ...filter, ...patch });
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{side === 'provider' ? 'Request queue' : "My organisation's requests"}</h1>
      <Banner messages={failure ? [failure] : []} />
      {items && mine.length > 0 && (
        <p class="needs" role="status">{mine.length === 1 ? '1 request needs' : `${mine.length} requests need`} your action.</p>
      )}
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(p) => (
            <select {...p} value={filter.status} onChange={(e) => set({ status: e.currentTarget.value })}>
              <option value="">Any</option>
              <option value="open">Open</option>
              {Object.entries(statusLabels).map(([k, v]) => <option value={k}>{v}</option>)}
            </select>
          )}
        </Field>
        {side === 'provider' && (
          <Field label="Requesting country">
            {(p) => (
              <select {...p} value={filter.country} onChange={(e) => set({ country: e.currentTarget.value })}>
                <option value="">Any</option>
                {countries(items ?? []).map((c) => <option value={c}>{c}</option>)}
              </select>
            )}
          </Field>
        )}
        <Field label="Kind">
          {(p) => (
            <select {...p} value={filter.kind} onChange={(e) => set({ kind: e.currentTarget.value })}>
              <option value="">Any</option>
              {Object.entries(kindLabels).map(([k, v]) => <option value={k}>{v}</option>)}
            </select>
          )}
        </Field>
        <label class="check"><input type="checkbox" checked={filter.emergencyOnly}
          onChange={(e) => set({ emergencyOnly: e.currentTarget.checked })} /> Emergencies only</label>
        <label class="check"><input type="checkbox" checked={filter.overdueOnly}
          onChange={(e) => set({ overdueOnly: e.currentTarget.checked })} /> Overdue only</label>
      </form>
      {items === null ? <p>Loading…</p> : shown.length === 0 ? <p class="empty">No request matches.</p> : (
        <div class="table-wrap">
          <table class="requests stack">
            <caption class="sr-only">Requests, soonest deadline first</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">{side === 'provider' ? 'From' : 'Provider'}</th>
                <th scope="col">Deadline</th>
                <th scope="col">Needs you</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const other = side === 'provider' ? r.issuer : r.provider;
                return (
                  <tr key={r.id}>
                    <th scope="row"><Link href={`/requests/${r.id}`}>{r.reference || 'Draft'}</Link></th>
                    <td data-label="Kind"><KindBadge kind={r.kind} /></td>
                    <td data-label="Status"><StatusBadge status={r.status} /></td>
                    <td data-label={side === 'provider' ? 'From' : 'Provider'}>{other.name} <span class="muted">({other.country})</span></td>
                    <td data-label="Deadline"><DeadlineNote request={r} none={r.status === 'draft' || isOpen(r) ? 'none' : ''} /></td>
                    <td data-label="Needs you" class={needsMe(r, orgId) ? 'needs-you' : 'needs-you empty'}>{needsMe(r, orgId)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cursor && <button type="button" onClick={() => load(cursor)}>Load older requests</button>}
    </section>
  );
}
