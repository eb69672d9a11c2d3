// The actions the hub says this caller may take now (allowed_actions), each
// with the note or date it needs, sent with If-Match so that nobody acts on
// a request that changed meanwhile.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors, unplacedErrors } from '../api/problem';
import type { LiaisonRequest } from '../api/types';
import { actionLabels, notePrompts } from '../lib/requests';
import { Banner, Field } from './ui';

const destructive = new Set(['reject', 'cancel', 'release']);

function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? value : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function Actions({ request, onDone }: { request: LiaisonRequest; onDone: (r: LiaisonRequest) => void }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // An error from before the request last changed (say "not signed", before
  // the officer signed) no longer holds.
  useEffect(() => { setErrors({}); }, [request]);
  const actions = request.allowed_actions;
  if (actions.length === 0) return null;

  const run = async (action: string) => {
    setBusy(true);
    setErrors({});
    try {
      const body: Record<string, string> = { action };
      if (note.trim()) body['note'] = note;
      const end = isoFromLocal(until);
      if (end && (action === 'preserve' || action === 'extend')) body['preserved_until'] = end;
      const r = await call<LiaisonRequest>(`/api/v1/requests/${request.id}/actions`, {
        method: 'POST', body, ifMatch: request.version,
      });
      setChosen(null);
      setNote('');
      setUntil('');
      onDone(r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        setErrors({ '': 'Someone changed this request meanwhile; reload it and look again before acting.' });
      } else {
        setErrors(err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  // Cancelling cannot be undone: it asks first, with room for a reason.
  const needsForm = (a: string) => a in notePrompts || a === 'preserve' || a === 'extend' || a === 'cancel';
  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">What you can do</h2>
      <Banner messages={unplacedErrors(errors, ['note', 'preserved_until'])} />
      <div class="buttons">
        {actions.map((a) => (
          <button type="button" class={destructive.has(a) ? 'danger' : a === chosen ? 'primary' : ''} disabled={busy}
            aria-pressed={a === chosen}
            onClick={() => (needsForm(a) ? setChosen(a === chosen ? null : a) : run(a))}>
            {actionLabels[a] ?? a}
          </button>
        ))}
      </div>
      {chosen === 'cancel' && (
        <form class="confirm" onSubmit={(e) => { e.preventDefault(); void run('cancel'); }} aria-label="Cancel request">
          <p><strong>Cancel this request?</strong> {request.status === 'draft'
            ? 'The draft is closed for good and can no longer be signed or submitted.'
            : 'The provider is told the request is withdrawn; this cannot be undone.'}</p>
          <Field label="Reason for cancelling (optional)" error={errors['note']} hint="Kept on the timeline, which both sides see.">
            {(p) => <textarea {...p} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
          </Field>
          <div class="buttons">
            <button type="submit" class="danger" disabled={busy}>Yes, cancel the request</button>
            <button type="button" disabled={busy} onClick={() => { setChosen(null); setNote(''); }}>Keep the request</button>
          </div>
        </form>
      )}
      {chosen && chosen !== 'cancel' && (
        <form onSubmit={(e) => { e.preventDefault(); void run(chosen); }} aria-label={actionLabels[chosen] ?? chosen}>
          {chosen in notePrompts && (
            <Field label={notePrompts[chosen] ?? 'Note'} error={errors['note']}>
              {(p) => <textarea {...p} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
            </Field>
          )}
          {(chosen === 'preserve' || chosen === 'extend') && (
            <Field label="Preserve until" error={errors['preserved_until']}
              hint={chosen === 'preserve' ? 'Leave empty for the period the legal route sets.' : 'Later than the current end.'}>
              {(p) => <input {...p} type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />}
            </Field>
          )}
          <button type="submit" class="primary" disabled={busy}>{actionLabels[chosen] ?? chosen}</button>
        </form>
      )}
    </section>
  );
}
