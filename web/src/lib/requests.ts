// What the queue and the dashboard show of requests: labels, the deadline
// that matters, the provider's filters and the order by urgency.
import type { LiaisonRequest, SessionUser } from '../api/types';

export const statusLabels: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  acknowledged: 'Acknowledged',
  clarification_requested: 'Question asked',
  clarified: 'Question answered',
  accepted: 'Accepted',
  preserved: 'Preserved',
  produced: 'Produced',
  not_available: 'Data not available',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Preservation expired',
  released: 'Released',
  quarantined: 'Quarantined',
};

export const kindLabels: Record<string, string> = {
  production: 'Production',
  preservation: 'Preservation',
  emergency_disclosure: 'Emergency',
  domain_registration: 'Domain registration',
};

export const actionLabels: Record<string, string> = {
  submit: 'Submit',
  acknowledge: 'Acknowledge',
  request_clarification: 'Ask a question',
  clarify: 'Answer the question',
  accept: 'Accept',
  reject: 'Reject',
  cancel: 'Cancel request',
  preserve: 'Preserve',
  extend: 'Extend preservation',
  release: 'Release',
  produce: 'Mark as produced',
  not_available: 'Data not available',
  follow_up: 'Record follow-up process',
  notify_user: 'Mark user notified',
};

// The actions that need a note, and what the note is for.
export const notePrompts: Record<string, string> = {
  request_clarification: 'Your question to the authority',
  clarify: 'Your answer to the provider',
  reject: 'Grounds for rejecting',
  release: 'Why the data is no longer kept',
  follow_up: 'The legal process that followed the disclosure',
  notify_user: 'How and when the user was told',
};

const open = new Set(['submitted', 'acknowledged', 'clarification_requested', 'clarified', 'accepted', 'preserved']);

export function isOpen(r: LiaisonRequest): boolean {
  return open.has(r.status);
}

// The deadline the provider works to: the legal due time, else the one the
// authority asked for, else the end of a preservation.
export function deadlineOf(r: LiaisonRequest): string | null {
  return r.due_at ?? r.deadline ?? (r.status === 'preserved' ? r.preserved_until ?? null : null);
}

// What the page says of the deadline now: a countdown, that the clock stands
// still while the authority answers a question (the hub leaves due_at empty
// and says so in due_rule), nothing to count for a request that is answered
// or ended, or no deadline at all.
export type DeadlineView =
  | { kind: 'due'; due: string }
  | { kind: 'paused' }
  | { kind: 'finished' }
  | { kind: 'none' };

export function clockPaused(r: LiaisonRequest): boolean {
  return r.status === 'clarification_requested' && !r.due_at && /clock is stopped/i.test(r.due_rule ?? '');
}

export function deadlineView(r: LiaisonRequest): DeadlineView {
  if (r.status !== 'draft' && !isOpen(r)) return { kind: 'finished' };
  if (clockPaused(r)) return { kind: 'paused' };
  const due = deadlineOf(r);
  return due ? { kind: 'due', due } : { kind: 'none' };
}

export const pausedText = 'clock paused while the authority answers';

export interface QueueFilter {
  status: string; // '' for any, 'open' for every open state, or one status
  country: string;
  kind: string;
  emergencyOnly: boolean;
  overdueOnly: boolean;
}

export const emptyFilter: QueueFilter = { status: 'open', country: '', kind: '', emergencyOnly: false, overdueOnly: false };

export function matches(r: LiaisonRequest, f: QueueFilter, now: Date): boolean {
  if (f.status === 'open' && !isOpen(r)) return false;
  if (f.status && f.status !== 'open' && r.status !== f.status) return false;
  if (f.country && r.issuer.country !== f.country) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.emergencyOnly && r.kind !== 'emergency_disclosure') return false;
  if (f.overdueOnly) {
    const d = deadlineOf(r);
    if (!d || !isOpen(r) || Date.parse(d) >= now.getTime()) return false;
  }
  return true;
}

// Soonest deadline first; requests without one after those with one, newest
// first among themselves.
export function byDeadline(a: LiaisonRequest, b: LiaisonRequest): number {
  const da = deadlineOf(a);
  const db = deadlineOf(b);
  if (da && db) return Date.parse(da) - Date.parse(db);
  if (da) return -1;
  if (db) return 1;
  return Date.parse(b.created_at) - Date.parse(a.created_at);
}

// What a request needs from this caller now, in one phrase, or null.
export function needsMe(r: LiaisonRequest, myOrgId = ''): string | null {
  const a = r.allowed_actions;
  // A validating authority sees another's draft only while asked to co-sign it.
  if (r.status === 'draft' && myOrgId && r.issuer.id !== myOrgId) return 'asked to validate';
  if (a.includes('clarify')) return 'the provider asked a question';
  if (a.includes('submit')) return r.signatures_required && !r.signatures_required.ready ? 'signatures missing' : 'ready to submit';
  if (a.includes('acknowledge')) return 'new: acknowledge';
  if (a.includes('accept')) return 'decide: accept or reject';
  if (a.includes('produce')) return 'produce the evidence';
  if (a.includes('preserve')) return 'preserve the data';
  if (a.includes('follow_up')) return 'record the follow-up process';
  if (a.includes('notify_user')) return 'the user may now be told';
  return null;
}

export function countries(rs: LiaisonRequest[]): string[] {
  return [...new Set(rs.map((r) => r.issuer.country))].sort();
}

// Whether the caller may write in the thread and add documents: the hub lets
// the issuer's officers, validators and supervisors and the provider's
// analysts and counsel (docs/api.md); a validating authority co-signs the
// draft but is no party to the conversation.
export function mayConverse(r: LiaisonRequest, user: SessionUser): boolean {
  const org = user.organisation?.id;
  if (!org) return false;
  if (org === r.issuer.id) return user.roles.some((x) => ['officer', 'validator', 'supervisor'].includes(x));
  if (org === r.provider.id) return user.roles.some((x) => ['analyst', 'counsel'].includes(x));
  return false;
}
