import { describe, expect, it } from 'vitest';
import { countdown } from './time';

const now = new Date('2026-11-02T12:00:00Z');

describe('countdown', () => {
  it('says days and hours left', () => {
    expect(countdown('2026-11-04T15:30:00Z', now)).toEqual({ text: '2 d 3 h left', overdue: false, urgent: false });
  });
  it('marks the last eight hours urgent', () => {
    expect(countdown('2026-11-02T19:59:00Z', now)).toEqual({ text: '7 h 59 min left', overdue: false, urgent: true });
    expect(countdown('2026-11-02T20:00:01Z', now).urgent).toBe(false);
  });
  it('says how late an overdue deadline is', () => {
    expect(countdown('2026-11-02T10:55:00Z', now)).toEqual({ text: 'overdue by 1 h 5 min', overdue: true, urgent: true });
  });
  it('never says zero minutes', () => {
    expect(countdown('2026-11-02T12:00:20Z', now).text).toBe('1 min left');
  });
  it('reads offsets', () => {
    expect(countdown('2026-11-02T14:00:00+01:00', now).text).toBe('1 h left');
  });
  it('refuses nonsense without throwing', () => {
    expect(countdown('not a time', now)).toEqual({ text: 'no valid deadline', overdue: false, urgent: false });
  });
});
