// The transparency figures as the hub publishes them (GET
// /api/v1/transparency), and how the page shows them: a banded count stays a
// band, and the chart never draws one as a number.

export type Figure = number | string;

export interface TransparencyRow {
  period: string;
  country: string;
  kind: string;
  requests: Figure;
  accounts_specified: Figure;
  with_data_produced: Figure;
  produced_share: number | null;
}

export interface TransparencyCheckpoint {
  origin: string;
  tree_size: number;
  root_hash: string;
  published_at: string;
  note: string;
}

export interface TransparencyFigures {
  checkpoint: TransparencyCheckpoint | null;
  provider_id: string | null;
  suppression: { below: number; band: string };
  rows: TransparencyRow[];
}

export function figureText(f: Figure, locale?: string): string {
  return typeof f === 'number' ? f.toLocaleString(locale) : f.replace('-', '–');
}

export function shareText(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

// The countries the rows name, in order, for the chart's choice.
export function countriesOf(rows: TransparencyRow[]): string[] {
  return [...new Set(rows.map((r) => r.country))].sort();
}

export interface ChartData {
  periods: string[];
  series: { kind: string; values: (number | null)[] }[];
  // Points left out because their count is banded.
  banded: number;
}

// Requests per half-year for one country, one series per kind. A banded
// count is a gap in its line, never a guess at the number.
export function chartData(rows: TransparencyRow[], country: string): ChartData {
  const mine = rows.filter((r) => r.country === country);
  const periods = [...new Set(mine.map((r) => r.period))].sort();
  const kinds = [...new Set(mine.map((r) => r.kind))].sort();
  let banded = 0;
  const series = kinds.map((kind) => ({
    kind,
    values: periods.map((period) => {
      const row = mine.find((r) => r.period === period && r.kind === kind);
      if (!row) return 0;
      if (typeof row.requests === 'number') return row.requests;
      banded += 1;
      return null;
    }),
  }));
  return { periods, series, banded };
}

// The first instant of a half-year ("2026-H2" is 1 July 2026, UTC), in
// seconds, for the chart's time axis.
export function periodStart(period: string): number {
  const m = /^(\d{4})-H([12])$/.exec(period);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), m[2] === '1' ? 0 : 6, 1) / 1000;
}
