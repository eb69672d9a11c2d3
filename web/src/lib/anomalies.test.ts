import { describe, expect, it } from 'vitest';
import { anomalyLines, describeNewKey } from './anomalies';

describe('anomaly counters', () => {
  it('names a signer whose key was used soon after it was certified', () => {
    expect(describeNewKey({
      name: 'Olivia Brandt', role: 'officer', key_id: 'bb56e304efd8c1e9fafecdc39ae0a542',
      certified_at: '2026-12-04T16:18:45Z', signed_at: '2026-12-04T16:23:46Z',
    })).toBe('Olivia Brandt (officer), key bb56e304efd8c1e9, signed 5 min after it was certified');
  });

  it('says "within a minute" rather than "0 min"', () => {
    expect(describeNewKey({ name: 'Victor Hale', certified_at: '2026-12-04T16:18:45Z', signed_at: '2026-12-04T16:19:00Z' }))
      .toBe('Victor Hale, signed within a minute of being certified');
  });

  it('never prints raw JSON for a list of records', () => {
    const lines = anomalyLines({
      window_days: 30,
      requests_in_window: 1,
      emergency_rate: 0,
      first_time_requester: true,
      new_keys: [{ name: 'A', role: 'officer' }, { name: 'B', role: 'validator' }],
    });
    expect(lines.map((l) => l.label)).not.toContain('window_days');
    const newKeys = lines.find((l) => l.label.startsWith('Signed with a key'));
    expect(newKeys?.value).toBe('A (officer); B (validator)');
    expect(lines.some((l) => l.value.includes('{'))).toBe(false);
  });

  it('shows the emergency share as a percentage even when it is 0 or 1', () => {
    const byLabel = (xs: { label: string; value: string }[], prefix: string) => xs.find((l) => l.label.startsWith(prefix))?.value;
    expect(byLabel(anomalyLines({ emergency_rate: 1 }), 'Share')).toBe('100 %');
    expect(byLabel(anomalyLines({ emergency_rate: 0.25 }), 'Share')).toBe('25 %');
    expect(byLabel(anomalyLines({ emergency_in_window: 3 }), 'Emergency requests')).toBe('3');
    expect(byLabel(anomalyLines({ new_keys: [] }), 'Signed with')).toBe('none');
  });
});
