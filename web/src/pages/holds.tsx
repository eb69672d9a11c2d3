// The provider's legal holds: what it keeps for preservation requests and
// until when, soonest expiry first, and releasing one with the reason.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors } from '../api/problem';
import type { Page } from '../api/types';
import { Banner, Countdown, Field, Link } from '../components/ui';
import { bySoonestExpiry, holdStatusLabels, holdsQuery, reasonError, type Hold } from '../lib/holds';
import { localTime } from '../lib/time';

function ReleaseForm({ hold, onReleased }: { hold: Hold; onReleased: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const release = async (e: Event) => {
    e.preventDefault();
    const missing = reasonError(reason);
    if (missing) {
      setErrors({ reason: missing });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await call<Hold>(`/api/v1/holds/${hold.id}/release`, { method: 'POST', body: { reason } });
      onReleased();
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline" onSubmit={release} aria-label={`Release hold on ${hold.scope.accounts.map((a) => a.value).join(', ')}`}>
      <Banner messages={errors[''] ? [errors['']] : []} />
      <Field label="Reason for releasing" error={errors['reason']}>
        {(p) => <input {...p} name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="danger" disabled={busy}>{busy ? 'Releasing…' : 'Release'}</button>
    </form>
  );
}

export function HoldsPage({ canRelease }: { canRelease: boolean }) {
  const [status, setStatus] = useState('active');
  const [within, setWithin] = useState('');
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = () => {
    setFailure(null);
    call<Page<Hold>>(holdsQuery(status, within, new Date()))
      .then((p) => setHolds([...p.items].sort(bySoonestExpiry)))
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, [status, within]);

  return (
    <section aria-labelledby="holds-title">
      <h1 id="holds-title">Legal holds</h1>
      <p class="lede">What your organisation keeps for preservation requests, and until when. A hold follows its
        request: extending the preservation moves its expiry, and releasing it here releases the preservation.</p>
      <Banner messages={failure ? [failure] : []} />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">Any</option>
              {Object.entries(holdStatusLabels).map(([k, v]) => <option value={k}>{v}</option>)}
            </select>
          )}
        </Field>
        <Field label="Expiring within (days)">
          {(p) => <input {...p} type="number" min="1" inputMode="numeric" value={within}
            onInput={(e) => setWithin(e.currentTarget.value)} />}
        </Field>
      </form>
      {holds && holds.length === 0 && <p>No holds match.</p>}
      {holds && holds.map((h) => (
        <article class="panel" aria-label={`Hold on ${h.scope.accounts.map((a) => a.value).join(', ')}`}>
          <h2>{h.scope.accounts.map((a) => a.value).join(', ')}</h2>
          <dl>
            <dt>Status</dt><dd><span class={`badge status-${h.status === 'active' ? 'preserved' : h.status}`}>{holdStatusLabels[h.status]}</span></dd>
            <dt>Kept until</dt><dd>{localTime(h.expires_at)} {h.status === 'active' && <>(<Countdown due={h.expires_at} />)</>}</dd>
            <dt>Data</dt><dd>{h.scope.categories.join(', ')}</dd>
            {h.scope.period && <><dt>Period</dt><dd>{localTime(h.scope.period.start)} to {localTime(h.scope.period.end)}</dd></>}
            <dt>Request</dt><dd><Link href={`/requests/${h.request_id}`}>Open the request</Link></dd>
            {h.renewals.length > 0 && (<><dt>Extended</dt><dd>{h.renewals.map((r) => `${localTime(r.at)}: to ${localTime(r.new_expiry)}`).join('; ')}</dd></>)}
            {h.released_at && <><dt>Released</dt><dd>{localTime(h.released_at)}: {h.release_reason}</dd></>}
            {h.expired_at && <><dt>Expired</dt><dd>{localTime(h.expired_at)}</dd></>}
          </dl>
          {canRelease && h.status === 'active' && <ReleaseForm hold={h} onReleased={load} />}
        </article>
      ))}
    </section>
  );
}
