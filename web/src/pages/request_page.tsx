// One request, for either side: what is asked and under which law, its
// deadline, signatures and verification, the actions open now, the thread,
// documents and evidence, and the timeline with each event's ledger entry.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, warningText } from '../api/problem';
import type { Attachment, LiaisonRequest, Message, Package, Page, RequestEvent, SessionUser } from '../api/types';
import { Actions } from '../components/actions';
import { Files } from '../components/files';
import { SigningPanel } from '../components/signing_panel';
import { Thread } from '../components/thread';
import { Banner, DeadlineNote, KindBadge, StatusBadge } from '../components/ui';
import { VerificationPanel } from '../components/verification';
import { clockPaused, mayConverse, pausedText } from '../lib/requests';
import { askedRows } from '../lib/asked';
import { localTime } from '../lib/time';
import { actorName, eventLabel, noteText, timeline } from '../lib/timeline';

interface Loaded {
  request: LiaisonRequest;
  events: RequestEvent[];
  messages: Message[];
  attachments: Attachment[];
  packages: Package[];
  receipts: number | null;
}

export function RequestPage({ id, user }: { id: string; user: SessionUser }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = async () => {
    try {
      const base = `/api/v1/requests/${id}`;
      const request = await call<LiaisonRequest>(base);
      const [events, messages, attachments, packages] = await Promise.all([
        call<Page<RequestEvent>>(`${base}/events`),
        call<Page<Message>>(`${base}/messages`),
        call<Page<Attachment>>(`${base}/attachments`),
        call<Page<Package>>(`${base}/packages`),
      ]);
      let receipts: number | null = null;
      try {
        receipts = (await call<{ receipts: unknown[] }>(`${base}/receipts`)).receipts.length;
      } catch {
        receipts = null; // a validator may read the draft but not its receipts
      }
      setData({ request, events: events.items, messages: messages.items, attachments: attachments.items, packages: packages.items, receipts });
      setFailure(null);
    } catch (e) {
      setFailure(e instanceof ApiError && e.status === 404 ? 'There is no such request, or it is not yours to see.' : String(e));
    }
  };
  useEffect(() => { void load(); }, [id]);

  if (failure) return <Banner messages={[failure]} />;
  if (!data) return <p>Loading…</p>;
  const r = data.request;
  const isProvider = user.organisation?.id === r.provider.id;
  const converse = mayConverse(r, user);
  const closed = ['rejected', 'cancelled', 'produced', 'not_available', 'expired', 'released', 'quarantined'].includes(r.status);
  const rows = timeline(data.events, r.ledger ?? []);
  return (
    <article aria-labelledby="request-title">
      <header class="request-head">
        <h1 id="request-title">{r.reference}</h1>
        <p><KindBadge kind={r.kind} /> <StatusBadge status={r.status} /> <DeadlineNote request={r} /></p>
        <p class="parties">{r.issuer.name} ({r.issuer.country}) → {r.provider.name} ({r.provider.country})</p>
      </header>
      <Banner tone="warning" messages={r.warnings.map(warningText)} />
      <div class="columns">
        <div>
          <Actions request={r} onDone={() => void load()} />
          <SigningPanel request={r} user={user} onChanged={() => void load()} />
          <section class="panel" aria-labelledby="asked-title">
            <h2 id="asked-title">What is asked</h2>
            <dl>
              <dt>Legal basis</dt><dd>{r.legal_basis.instrument}, {r.legal_basis.article}{r.legal_basis.domestic_reference ? ` (${r.legal_basis.domestic_reference})` : ''}</dd>
              {r.route && (<><dt>Route</dt><dd><code>{r.route}</code></dd></>)}
              <dt>Data</dt><dd>{r.categories.join(', ')}</dd>
              <dt>Offence</dt><dd>{r.offence_description}</dd>
              {askedRows(r).map((row) => (<><dt>{row.label}</dt><dd>{row.text}</dd></>))}
              {r.emergency_justification && (<><dt>Threat to life or safety</dt><dd>{r.emergency_justification}</dd></>)}
              {r.emergency_callback && (<><dt>Call back to confirm</dt><dd>{r.emergency_callback.value} ({r.emergency_callback.kind}, vouched for by the central authority's certificate)</dd></>)}
              {r.due_at && (<><dt>Due</dt><dd>{localTime(r.due_at)}{r.due_rule ? ` (${r.due_rule})` : ''}</dd></>)}
              {!r.due_at && clockPaused(r) && (<><dt>Due</dt><dd>No time yet: {pausedText}{r.due_rule ? ` (${r.due_rule})` : ''}</dd></>)}
              {r.preserved_until && (<><dt>Preserved until</dt><dd>{localTime(r.preserved_until)}</dd></>)}
            </dl>
            <div class="table-wrap"><table>
              <caption>Targets</caption>
              <thead><tr><th scope="col">Kind</th><th scope="col">Identifier</th><th scope="col">Port</th><th scope="col">Observed</th></tr></thead>
              <tbody>
                {r.targets.map((t) => (
                  <tr><td>{t.kind}</td><td><code>{t.value}</code>{t.network ? ` (${t.network})` : ''}</td><td>{t.port ?? ''}</td><td>{t.observed_at ? localTime(t.observed_at) : ''}</td></tr>
                ))}
              </tbody>
            </table></div>
          </section>
          <VerificationPanel request={r} />
          <Thread request={r} messages={data.messages} canPost={converse && !closed} onPosted={() => void load()} />
          <Files request={r} attachments={data.attachments} packages={data.packages}
            canAttach={converse && !closed} canUploadPackage={isProvider && user.roles.includes('analyst') && r.status === 'accepted' && r.kind !== 'preservation'}
            onChanged={() => void load()} />
        </div>
        <aside class="panel timeline" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <ol>
            {rows.map(({ event, ledger }) => (
              <li>
                <p><strong>{eventLabel(event.type)}</strong></p>
                <p class="meta"><time dateTime={event.at}>{localTime(event.at)}</time>
                  {' · '}{actorName(event.actor_org_id, [r.issuer, r.provider, r.validator])}</p>
                {event.note && <p class="note">{noteText(event.note)}</p>}
                {ledger ? (
                  <p class="receipt">Ledger entry #{ledger.leafIndex}{ledger.inCheckpoint ? ', in the signed checkpoint' : ', awaiting the next checkpoint'}</p>
                ) : null}
              </li>
            ))}
          </ol>
          <p>
            <a href={`/api/v1/requests/${r.id}/receipts`} download={`receipts-${r.reference}.json`}>Download the ledger receipts</a>
            {data.receipts !== null && ` (${data.receipts})`}
          </p>
          <p class="hint">Each receipt proves its entry is in the hub's signed ledger; check them offline with <code>liaison ledger check-receipt</code>.</p>
        </aside>
      </div>
    </article>
  );
}
