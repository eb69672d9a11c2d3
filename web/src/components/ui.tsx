// Small building blocks every page uses: labelled fields that show the
// hub's error for them, a banner for errors no field owns, badges.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { countdown } from '../lib/time';
import type { LiaisonRequest } from '../api/types';
import { deadlineView, kindLabels, pausedText, statusLabels } from '../lib/requests';
import { onLinkClick } from '../lib/router';

let nextId = 0;
function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++nextId}`);
  return id;
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ComponentChildren;
}

// The control gets an id, its label points at it, and the error (from the
// hub, naming this field) is announced with it.
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId('f');
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': described || undefined })}
      {error && <p class="error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

export function Banner({ messages, tone = 'error' }: { messages: string[]; tone?: 'error' | 'warning' | 'info' }) {
  if (messages.length === 0) return null;
  return (
    <div class={`banner ${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {messages.length === 1 ? <p>{messages[0]}</p> : <ul>{messages.map((m) => <li>{m}</li>)}</ul>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{statusLabels[status] ?? status}</span>;
}

export function KindBadge({ kind }: { kind: string }) {
  return <span class={kind === 'emergency_disclosure' ? 'badge emergency' : 'badge kind'}>{kindLabels[kind] ?? kind}</span>;
}

// Re-renders every 30 s so the countdown stays true while the page is open.
export function Countdown({ due }: { due: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(t);
  }, []);
  const c = countdown(due, now);
  return (
    <time dateTime={due} class={c.overdue ? 'countdown overdue' : c.urgent ? 'countdown urgent' : 'countdown'} title={due}>
      {c.text}
    </time>
  );
}

// The deadline as the header and the lists show it: a countdown while one
// runs, "clock paused" while the authority answers, else nothing or "none".
export function DeadlineNote({ request, none }: { request: LiaisonRequest; none?: string }) {
  const d = deadlineView(request);
  if (d.kind === 'due') return <Countdown due={d.due} />;
  if (d.kind === 'paused') return <span class="countdown paused">{pausedText}</span>;
  return none ? <span class="muted">{none}</span> : null;
}

export function Link({ href, children, class: cls }: { href: string; children: ComponentChildren; class?: string }) {
  return <a href={href} class={cls} onClick={(e) => onLinkClick(e, href)}>{children}</a>;
}
