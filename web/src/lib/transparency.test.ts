import { describe, expect, it } from 'vitest';
import { chartData, countriesOf, figureText, periodStart, shareText, type TransparencyRow } from './transparency';

const row = (period: string, country: string, kind: string, requests: number | string): TransparencyRow => ({
  period, country, kind, requests, accounts_specified: requests, with_data_produced: 0, produced_share: null,
});

describe('transparency', () => {
  it('shows a band as a band and a number as a number', () => {
    expect(figureText('1-4')).toBe('1–4');
    expect(figureText(1234, 'en-GB')).toBe('1,234');
    expect(figureText(0)).toBe('0');
  });

  it('rounds a share to a whole percentage and shows none as a dash', () => {
    expect(shareText(5 / 6)).toBe('83%');
    expect(shareText(0)).toBe('0%');
    expect(shareText(null)).toBe('—');
  });

  it('lists each country once, in order', () => {
    expect(countriesOf([row('2026-H2', 'NL', 'production', 6), row('2026-H1', 'DE', 'production', 5),
      row('2026-H1', 'NL', 'preservation', 7)])).toEqual(['DE', 'NL']);
  });

  it('charts one line per kind over the half-years, leaving banded counts out', () => {
    const rows = [
      row('2026-H1', 'NL', 'production', 9),
      row('2026-H2', 'NL', 'production', 6),
      row('2026-H2', 'NL', 'emergency_disclosure', '1-4'),
      row('2026-H2', 'DE', 'production', 50),
    ];
    expect(chartData(rows, 'NL')).toEqual({
      periods: ['2026-H1', '2026-H2'],
      series: [
        { kind: 'emergency_disclosure', values: [0, null] },
        { kind: 'production', values: [9, 6] },
      ],
      banded: 1,
    });
    expect(chartData(rows, 'FR')).toEqual({ periods: [], series: [], banded: 0 });
  });

  it('places a half-year at its first day', () => {
    expect(periodStart('2026-H1')).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(periodStart('2026-H2')).toBe(Date.UTC(2026, 6, 1) / 1000);
    expect(periodStart('2026-H3')).toBeNaN();
  });
});
