// The message thread between the two sides of a request.
import { useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors } from '../api/problem';
import type { LiaisonRequest, Message } from '../api/types';
import { localTime } from '../lib/time';
import { Banner, Field } from './ui';

export function Thread({ request, messages, canPost, onPosted }: {
  request: LiaisonRequest; messages: Message[]; canPost: boolean; onPosted: () => void;
}) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const who = (orgId?: string) =>
    [request.issuer, request.provider, request.validator].find((o) => o && o.id === orgId)?.name ?? 'another organisation';

  const post = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await call(`/api/v1/requests/${request.id}/messages`, { method: 'POST', body: { body: text } });
      setText('');
      onPosted();
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="thread-title">
      <h2 id="thread-title">Messages</h2>
      {messages.length === 0 ? <p class="muted">No messages yet.</p> : (
        <ol class="thread">
          {messages.map((m) => (
            <li class={m.author_org_id === request.provider.id ? 'from-provider' : 'from-issuer'}>
              <p class="meta"><strong>{who(m.author_org_id)}</strong> · <time dateTime={m.created_at}>{localTime(m.created_at ?? '')}</time></p>
              <p class="body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canPost && (
        <form onSubmit={post} aria-label="New message">
          <Banner messages={errors[''] ? [errors['']] : []} />
          <Field label="New message" error={errors['body']}>
            {(p) => <textarea {...p} rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
          </Field>
          <button type="submit" disabled={busy || text.trim() === ''}>Send message</button>
        </form>
      )}
    </section>
  );
}
