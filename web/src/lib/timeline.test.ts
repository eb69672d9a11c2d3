import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../api/types';
import { localTime } from './time';
import { actorName, eventLabel, noteText, timeline } from './timeline';

function event(seq: number, type: string, at: string): RequestEvent {
  return { seq, type, from_status: '', to_status: '', actor_user_id: 'u', actor_org_id: 'o', at, note: '' };
}
const entry = (type: string, time: string) => JSON.stringify({ type, time, commitment: 'c', v: 1 });

describe('timeline', () => {
  it('pairs each event with the ledger entry of the same instant', () => {
    const rows = timeline(
      [event(1, 'created', '2026-11-02T09:00:00.000001Z'), event(2, 'submit', '2026-11-02T09:05:00.000001Z'),
        event(3, 'message', '2026-11-02T09:06:00.000001Z')],
      [
        { leaf_index: 7, entry: entry('request.created', '2026-11-02T09:00:00.000001Z'), in_checkpoint: true },
        { leaf_index: 9, entry: entry('request.submitted', '2026-11-02T09:05:00.000001Z'), in_checkpoint: false },
        { leaf_index: 11, entry: '{not json', in_checkpoint: true },
      ],
    );
    expect(rows.map((r) => r.ledger)).toEqual([
      { leafIndex: 7, type: 'request.created', inCheckpoint: true },
      { leafIndex: 9, type: 'request.submitted', inCheckpoint: false },
      null,
    ]);
  });
  it('uses an entry once even when two events share an instant', () => {
    const at = '2026-11-02T09:00:00Z';
    const rows = timeline([event(1, 'preserve', at), event(2, 'hold_created', at)], [
      { leaf_index: 1, entry: entry('request.preserved', at), in_checkpoint: true },
      { leaf_index: 2, entry: entry('hold.created', at), in_checkpoint: true },
    ]);
    expect(rows.map((r) => r.ledger?.leafIndex)).toEqual([1, 2]);
  });
  it('labels events for people', () => {
    expect(eventLabel('request_clarification')).toBe('Provider asked a question');
    expect(eventLabel('hi1_forwarded')).toBe('hi1 forwarded');
  });
});

describe('event notes and actors', () => {
  it('shows times in the reader\'s zone and actions in words', () => {
    const note = 'the non-disclosure order ran until 2019-12-31T23:00:00Z: the provider may now tell the user, and records when it did with notify_user';
    expect(noteText(note, (at) => `<${at}>`)).toBe(
      'the non-disclosure order ran until <2019-12-31T23:00:00Z>: the provider may now tell the user, and records when it did with "Mark user notified"');
    expect(noteText('kept until 2027-02-02T18:00:12Z', localTime)).toBe(`kept until ${localTime('2027-02-02T18:00:12Z')}`);
    expect(noteText('until 2027-02-02T18:00:12.5+01:00.', (at) => `<${at}>`)).toBe('until <2027-02-02T18:00:12.5+01:00>.');
    expect(noteText('Please accept and release')).toBe('Please accept and release');
  });
  it('credits the hub\'s own events to the hub', () => {
    const police = { id: 'p', name: 'Police', country: 'NL', kind: 'authority' as const };
    expect(actorName('hub', [police])).toBe('the hub');
    expect(actorName('', [police])).toBe('the hub');
    expect(actorName('p', [police, null])).toBe('Police');
    expect(actorName('x', [police])).toBe('another organisation');
  });
});
