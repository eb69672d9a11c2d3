// What a provider checks before acting: who signed, whether every signature
// and chain verified on receipt, why a request was quarantined, and the
// anomaly counters for the requesting organisation.
import type { LiaisonRequest } from '../api/types';
import { anomalyLines } from '../lib/anomalies';
import { localTime } from '../lib/time';

// A signer's failures are codes; the report's own are {code, detail}.
function failureText(f: string | { code: string; detail: string }): string {
  return typeof f === 'string' ? f : `${f.code}: ${f.detail}`;
}

export function VerificationPanel({ request: r }: { request: LiaisonRequest }) {
  const v = r.verification;
  const signatures = r.signatures ?? [];
  return (
    <section class="panel" aria-labelledby="verification-title">
      <h2 id="verification-title">Signatures and verification</h2>
      {r.status === 'quarantined' && (
        <p class="verdict bad" role="alert">
          Quarantined on receipt: {r.quarantine_reason ?? 'verification failed'}. It never reached the provider's queue.
        </p>
      )}
      {v && r.status !== 'quarantined' && (
        <p class={v.ok ? 'verdict good' : 'verdict bad'}>
          {v.ok ? 'Every signature and certificate chain verified on receipt' : 'Verification failed'}
          {v.received_at ? ` (${localTime(v.received_at)})` : ''}.
        </p>
      )}
      {!v && signatures.length === 0 && <p class="muted">Not signed yet.</p>}
      {signatures.length > 0 && (
        <div class="table-wrap"><table class="stack">
          <caption class="sr-only">Signatures</caption>
          <thead><tr><th scope="col">Role</th><th scope="col">Signer</th><th scope="col">Key</th><th scope="col">Signed</th><th scope="col">Check</th></tr></thead>
          <tbody>
            {signatures.map((s, i) => {
              const checked = v?.signers?.[i];
              return (
                <tr>
                  <td data-label="Role">{s.role}</td>
                  <td data-label="Signer">{s.name}{s.organisation ? <span class="muted"> ({s.organisation.name}, {s.organisation.country})</span> : null}</td>
                  <td data-label="Key"><code>{s.key_id.slice(0, 16)}</code></td>
                  <td data-label="Signed">{localTime(s.signed_at)}</td>
                  <td data-label="Check">
                    {checked === undefined ? <span class="muted">on receipt</span> : checked.valid ? 'valid' : (checked.failures ?? []).map(failureText).join('; ')}
                    {checked?.revoked_later_at ? ` (key revoked later, ${localTime(checked.revoked_later_at)})` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table></div>
      )}
      {v && v.failures.length > 0 && (
        <ul class="failures">
          {v.failures.map((f) => <li><code>{f.code}</code>: {f.detail}</li>)}
        </ul>
      )}
      {r.signatures_required && r.status === 'draft' && (
        <div class={r.signatures_required.ready ? 'verdict good' : 'verdict warn'}>
          {r.signatures_required.ready ? 'Every signature it needs is there.' : (
            <ul>{r.signatures_required.missing.map((m) => <li>{m}</li>)}</ul>
          )}
        </div>
      )}
      {v?.anomalies && (
        <dl class="anomalies">
          {anomalyLines(v.anomalies).map(({ label, value }) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
      )}
    </section>
  );
}
