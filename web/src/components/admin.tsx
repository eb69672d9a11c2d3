// Pieces the admin pages share: the refusal for someone who may not use a
// page, errors keyed by field whatever failed, and a panel that takes the
// keyboard's focus when it opens so that nobody has to hunt for it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, fieldErrors } from '../api/problem';
import { Banner } from './ui';

// The hub refuses these calls anyway; saying so up front spares the person
// a page of errors.
export function NotForYou({ title, who }: { title: string; who: string }) {
  return (
    <section aria-labelledby="refused-title">
      <h1 id="refused-title">{title}</h1>
      <Banner messages={[`This page is for ${who}. Ask one of them if something here needs doing.`]} />
    </section>
  );
}

export function errorsOf(err: unknown): Record<string, string> {
  return err instanceof ApiError ? fieldErrors(err.problem) : { '': err instanceof Error ? err.message : String(err) };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function FocusPanel({ title, children, tone }: { title: string; children: ComponentChildren; tone?: 'danger' }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [title]);
  return (
    <section class={tone === 'danger' ? 'panel danger' : 'panel'} aria-label={title}>
      <h2 ref={heading} tabIndex={-1}>{title}</h2>
      {children}
    </section>
  );
}

// A change that worked, said where a screen reader hears it.
export function Notice({ children }: { children: ComponentChildren }) {
  return <div class="banner info" role="status">{children}</div>;
}
