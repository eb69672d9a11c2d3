// The timeline with its ledger receipts: each event of a request is matched
// to the ledger entry recorded in the same transaction, which has the same
// time, so the page can say "in the ledger as leaf n, covered by the
// checkpoint" beside it.
import type { LedgerRef, OrgRef, RequestEvent } from '../api/types';
import { actionLabels } from './requests';
import { localTime } from './time';

export interface TimelineRow {
  event: RequestEvent;
  ledger: { leafIndex: number; type: string; inCheckpoint: boolean } | null;
}

interface EntryHead {
  type: string;
  time: string;
}

function headOf(ref: LedgerRef): EntryHead | null {
  try {
    const e = JSON.parse(ref.entry) as Partial<EntryHead>;
    return typeof e.type === 'string' && typeof e.time === 'string' ? { type: e.type, time: e.time } : null;
  } catch {
    return null;
  }
}

export function timeline(events: RequestEvent[], ledger: LedgerRef[]): TimelineRow[] {
  const unused = ledger.map((ref) => ({ ref, head: headOf(ref) }));
  return events.map((event) => {
    const i = unused.findIndex((u) => u.head !== null && u.head.time === event.at);
    if (i < 0) return { event, ledger: null };
    const [match] = unused.splice(i, 1);
    return {
      event,
      ledger: match && match.head ? { leafIndex: match.ref.leaf_index, type: match.head.type, inCheckpoint: match.ref.in_checkpoint } : null,
    };
  });
}

const eventLabels: Record<string, string> = {
  created: 'Drafted',
  signed: 'Signed',
  validation_requested: 'Validation requested',
  submit: 'Submitted',
  quarantine: 'Quarantined on receipt',
  acknowledge: 'Acknowledged by the provider',
  request_clarification: 'Provider asked a question',
  clarify: 'Authority answered',
  accept: 'Accepted',
  reject: 'Rejected',
  cancel: 'Cancelled',
  preserve: 'Data preserved',
  extend: 'Preservation extended',
  release: 'Preservation released',
  produce: 'Evidence produced',
  not_available: 'Data not available',
  expire: 'Preservation expired',
  message: 'Message',
  attachment: 'Document attached',
  evidence_package: 'Evidence package registered',
  evidence_download: 'Evidence downloaded',
  follow_up: 'Follow-up legal process recorded',
  follow_up_overdue: 'Follow-up overdue',
  user_notification_permitted: 'User may now be notified',
  notify_user: 'User notified',
  hold_created: 'Legal hold created',
  hold_renewed: 'Legal hold renewed',
  hold_released: 'Legal hold released',
  hold_expired: 'Legal hold expired',
};

export function eventLabel(type: string): string {
  return eventLabels[type] ?? type.replace(/_/g, ' ');
}

// RFC 3339 times inside the hub's note, with or without fractions or offset.
const instant = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
// Action codes the hub names in its notes (those with an underscore: a bare
// "accept" or "release" reads as a word already).
const codes = new RegExp(`\\b(${Object.keys(actionLabels).filter((k) => k.includes('_')).join('|')})\\b`, 'g');

// An event's note as people read it: its times in the reader's zone, the
// actions it names by their buttons' labels.
export function noteText(note: string, time: (at: string) => string = localTime): string {
  return note
    .replace(instant, (at) => time(at))
    .replace(codes, (code) => `"${actionLabels[code] ?? code}"`);
}

// Who an event is credited to: one of the request's organisations, the hub
// itself (its sweeps record "hub" as actor, older entries nothing), or an
// organisation the reader is not shown.
export function actorName(orgId: string, orgs: (OrgRef | null | undefined)[]): string {
  if (!orgId || orgId === 'hub') return 'the hub';
  return orgs.find((o) => o && o.id === orgId)?.name ?? 'another organisation';
}
