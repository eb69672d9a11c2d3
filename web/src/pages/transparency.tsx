// The transparency page: the hub's figures per half-year, requesting country
// and kind, as a chart and a table, with the ledger checkpoint they were
// tallied from and the CSV and JSON exports. The same figures for everyone;
// anyone may narrow them to one provider.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { call } from '../api/client';
import type { OrgRef, Page } from '../api/types';
import { Banner, Field } from '../components/ui';
import { localTime } from '../lib/time';
import { kindLabels } from '../lib/requests';
import {
  chartData, countriesOf, figureText, shareText, type ChartData, type TransparencyFigures,
} from '../lib/transparency';

// Dark enough for WCAG AA against white, and told apart by shape too.
const seriesColours = ['#14365d', '#a4161a', '#146c2e', '#7a4d00'];

function RequestsChart({ data, country }: { data: ChartData; country: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || data.periods.length === 0) return;
    const x = data.periods.map((_, i) => i);
    const plot = new uPlot({
      width: Math.max(280, el.clientWidth),
      height: 260,
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, data.periods.length - 0.5)] } },
      axes: [
        { splits: () => x, values: (_u, splits) => splits.map((i) => data.periods[i] ?? '') },
        { label: 'Requests', values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      series: [
        { label: 'Half-year', value: (_u, i) => (i === null ? '' : data.periods[i] ?? '') },
        ...data.series.map((s, i) => ({
          label: kindLabels[s.kind] ?? s.kind,
          stroke: seriesColours[i % seriesColours.length],
          width: 2,
          points: { size: 8 + 2 * (i % 3) },
          spanGaps: false,
        })),
      ],
    }, [x, ...data.series.map((s) => s.values)], el);
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [data]);
  const summary = `Requests from ${country} per half-year, by kind` +
    (data.banded > 0 ? `; ${data.banded} point(s) left out because fewer than 5 requests are shown as a band` : '');
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={summary} />
      <figcaption class="hint">{summary}. The table below has every figure.</figcaption>
    </figure>
  );
}

export function TransparencyPage() {
  const [providers, setProviders] = useState<OrgRef[]>([]);
  const [provider, setProvider] = useState('');
  const [figures, setFigures] = useState<TransparencyFigures | null>(null);
  const [country, setCountry] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    call<Page<OrgRef>>('/api/v1/organisations')
      .then((p) => setProviders(p.items.filter((o) => o.kind === 'provider')))
      .catch(() => setProviders([]));
  }, []);

  const query = provider ? `?provider_id=${encodeURIComponent(provider)}` : '';
  useEffect(() => {
    setFailure(null);
    call<TransparencyFigures>(`/api/v1/transparency${query}`)
      .then((f) => {
        setFigures(f);
        const countries = countriesOf(f.rows);
        setCountry((c) => (countries.includes(c) ? c : countries[0] ?? ''));
      })
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, [query]);

  const csv = `/api/v1/transparency${query}${query ? '&' : '?'}format=csv`;
  const json = figures ? `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(figures, null, 2))}` : '';
  const countries = figures ? countriesOf(figures.rows) : [];
  return (
    <section aria-labelledby="transparency-title">
      <h1 id="transparency-title">Transparency</h1>
      <p class="lede">How many requests authorities sent through this hub, per half-year, requesting country and kind,
        with the accounts they named and how often some data was produced. Counts from 1 to 4 are shown as “1–4”.</p>
      <Banner messages={failure ? [failure] : []} />
      <form class="filters" aria-label="Scope" onSubmit={(e) => e.preventDefault()}>
        <Field label="Provider">
          {(p) => (
            <select {...p} value={provider} onChange={(e) => setProvider(e.currentTarget.value)}>
              <option value="">All providers on this hub</option>
              {providers.map((o) => <option value={o.id}>{o.name} ({o.country})</option>)}
            </select>
          )}
        </Field>
        {countries.length > 0 && (
          <Field label="Country in the chart">
            {(p) => (
              <select {...p} value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
                {countries.map((c) => <option value={c}>{c}</option>)}
              </select>
            )}
          </Field>
        )}
      </form>
      {figures && !figures.checkpoint && <Banner tone="info" messages={['The ledger has no checkpoint yet: there are no figures to show.']} />}
      {figures && figures.checkpoint && (
        <>
          <div class="panel">
            <h2>Source</h2>
            <p>Tallied from the first <strong>{figures.checkpoint.tree_size.toLocaleString()}</strong> entries of the
              ledger, the checkpoint published {localTime(figures.checkpoint.published_at)}. Anyone holding that
              checkpoint can check the entries against it.</p>
            <p>Root hash: <code class="wrap" data-testid="checkpoint-root">{figures.checkpoint.root_hash}</code></p>
            <details><summary>The signed checkpoint</summary><pre class="command">{figures.checkpoint.note}</pre></details>
            <p class="exports">
              <a href={csv} download="liaison-transparency.csv">Download CSV</a>
              <a href={json} download="liaison-transparency.json">Download JSON</a>
            </p>
          </div>
          {country && <RequestsChart data={chartData(figures.rows, country)} country={country} />}
          {figures.rows.length === 0 ? <p>No request has been sent yet.</p> : (
            <div class="table-wrap">
              <table>
                <caption>Requests per half-year, country and kind</caption>
                <thead>
                  <tr>
                    <th scope="col">Half-year</th><th scope="col">Country</th><th scope="col">Kind</th>
                    <th scope="col">Requests</th><th scope="col">Accounts specified</th>
                    <th scope="col">With data produced</th><th scope="col">Share with data</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.rows.map((r) => (
                    <tr>
                      <td>{r.period}</td><td>{r.country}</td><td>{kindLabels[r.kind] ?? r.kind}</td>
                      <td>{figureText(r.requests)}</td><td>{figureText(r.accounts_specified)}</td>
                      <td>{figureText(r.with_data_produced)}</td><td>{shareText(r.produced_share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
