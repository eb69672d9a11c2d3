import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../api/types';
import { eventLabel, timeline } from './timeline';

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
