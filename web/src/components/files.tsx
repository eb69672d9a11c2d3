// Documents attached to a request, and the sealed evidence packages produced
// for it: their signed manifests, chains of custody and downloads. Packages
// are opened with the command line, where the recipient key lives; the
// portal never holds a decryption key.
import { useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiError, fieldErrors } from '../api/problem';
import type { Attachment, CustodyEvent, LiaisonRequest, Package } from '../api/types';
import { custodyText } from '../lib/custody';
import { localTime } from '../lib/time';
import { uploadPackage, type Memory, type UploadState, type UploadTransport } from '../lib/upload';
import { Field } from './ui';

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const browserMemory: Memory = {
  get: (k) => localStorage.getItem(k),
  set: (k, v) => localStorage.setItem(k, v),
  remove: (k) => localStorage.removeItem(k),
};

function transportFor(requestId: string): UploadTransport {
  const base = `/api/v1/requests/${requestId}/packages/uploads`;
  return {
    announce: (size, key) => call<UploadState>(base, { method: 'POST', body: { size }, headers: { 'Idempotency-Key': key } }),
    status: (id) => call<UploadState>(`${base}/${id}`),
    put: async (id, first, last, total, blob) => {
      const answer = await call<{ upload: UploadState }>(`${base}/${id}`, {
        method: 'PUT',
        body: blob,
        headers: { 'Content-Range': `bytes ${first}-${last}/${total}`, 'Content-Type': 'application/octet-stream' },
      });
      return answer.upload;
    },
  };
}

export function Files({ request, attachments, packages, canAttach, canUploadPackage, onChanged }: {
  request: LiaisonRequest; attachments: Attachment[]; packages: Package[];
  canAttach: boolean; canUploadPackage: boolean; onChanged: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [uploading, setUploading] = useState(false);
  const documents = attachments.filter((a) => a.purpose !== 'production');

  const attach = async (e: Event) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('document') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return setErrors({ document: 'choose a file first' });
    setErrors({});
    try {
      await call(`/api/v1/requests/${request.id}/attachments?name=${encodeURIComponent(file.name)}`, {
        method: 'POST', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' },
      });
      input.value = '';
      onChanged();
    } catch (err) {
      const found = err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) };
      setErrors({ document: Object.values(found).join('; ') });
    }
  };

  const upload = async (e: Event) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('package') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return setErrors({ package: 'choose a sealed package (.lep) first' });
    setErrors({});
    setProgress(null);
    setUploading(true);
    try {
      const done = await uploadPackage(file, request.id, transportFor(request.id), browserMemory, (sent, total) =>
        setProgress({ sent, total }));
      if (done.state !== 'completed') throw new Error(`the upload ended ${done.state}`);
      input.value = '';
      setProgress(null);
      onChanged();
    } catch (err) {
      const found = err instanceof ApiError ? fieldErrors(err.problem) : { '': err instanceof Error ? err.message : String(err) };
      setErrors({ package: Object.entries(found).map(([k, v]) => (k ? `${k}: ${v}` : v)).join('; ') });
    } finally {
      // What was sent stays on screen, so the user sees where a resumed
      // upload will start; the form is free again either way.
      setUploading(false);
    }
  };

  return (
    <>
      <section class="panel" aria-labelledby="documents-title">
        <h2 id="documents-title">Documents</h2>
        {documents.length === 0 ? <p class="muted">No documents.</p> : (
          <ul class="files">
            {documents.map((a) => (
              <li>
                <a href={`/api/v1/requests/${request.id}/attachments/${a.id}/content`} download={a.name}>{a.name}</a>
                <span class="muted"> · {a.media_type} · {bytes(a.size)} · SHA-256 <code>{a.sha256.slice(0, 16)}…</code></span>
              </li>
            ))}
          </ul>
        )}
        {canAttach && (
          <form onSubmit={attach} aria-label="Attach a document" class="inline">
            <Field label="Attach a document" error={errors['document']}>
              {(p) => <input {...p} type="file" name="document" />}
            </Field>
            <button type="submit">Attach</button>
          </form>
        )}
      </section>
      <section class="panel" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence</h2>
        <p class="hint">
          Evidence packages are sealed for the requesting authority's recipient key and signed by the provider. Download
          the package here; open it and export exhibits with <code>liaison evidence open</code> and{' '}
          <code>liaison evidence exhibit</code>, where your recipient key is kept. The portal never decrypts.
        </p>
        {packages.length === 0 ? <p class="muted">No evidence package yet.</p> : packages.map((p) => <PackageCard request={request} pkg={p} />)}
        {canUploadPackage && (
          <form onSubmit={upload} aria-label="Upload a sealed package">
            <Field label="Sealed package file" error={errors['package']}
              hint="Seal it first with liaison evidence seal. A broken upload resumes when you choose the same file again.">
              {(p) => <input {...p} type="file" name="package" accept=".lep,application/octet-stream" />}
            </Field>
            {progress && (uploading || progress.sent > 0) && (
              <p>
                <progress max={progress.total} value={progress.sent} aria-label="Upload progress" />{' '}
                {bytes(progress.sent)} of {bytes(progress.total)}{uploading ? '' : ' sent before it stopped'}
              </p>
            )}
            <button type="submit" disabled={uploading}>{uploading ? 'Uploading…' : 'Upload package'}</button>
          </form>
        )}
      </section>
    </>
  );
}

interface Statement {
  reference?: string;
  created_at?: string;
  aead?: string;
  merkle_root?: string;
  producer?: { name?: string; country?: string };
  recipients?: { key_id?: string; name?: string; organisation?: { name?: string } }[];
}

// One step of the chain of custody as a court would read it: when, who and
// their organisation, what, which bytes, and the hub's or party's finding.
function custodyLine(c: CustodyEvent, request: LiaisonRequest): string {
  const org = c.org_id === request.provider.id ? request.provider.name
    : c.org_id === request.issuer.id ? request.issuer.name : undefined;
  return custodyText(c, org);
}

function PackageCard({ request, pkg }: { request: LiaisonRequest; pkg: Package }) {
  const st = pkg.statement as Statement;
  return (
    <article class="package" aria-label={`Evidence package ${pkg.id}`}>
      <h3>Package for {st.reference ?? request.reference}</h3>
      <dl>
        <dt>Download</dt><dd><a href={pkg.content} download>{`package-${pkg.id}.lep`}</a> ({bytes(pkg.package_bytes)})</dd>
        <dt>Sealed by</dt><dd>{st.producer?.name ?? 'unknown'}{st.created_at ? `, ${localTime(st.created_at)}` : ''}</dd>
        <dt>Registered</dt><dd>{localTime(pkg.registered_at)}</dd>
        <dt>Items</dt><dd>{pkg.item_count} ({bytes(pkg.total_size)} in all)</dd>
        <dt>Sealed for</dt><dd>{(st.recipients ?? []).map((r) => `${r.name ?? r.key_id} (${r.organisation?.name ?? ''})`).join('; ')}</dd>
        <dt>Encryption</dt><dd>{st.aead}</dd>
        <dt>Signing key</dt><dd><code>{pkg.signer_key_id}</code></dd>
        <dt>Signed statement SHA-256</dt><dd><code class="wrap">{pkg.statement_sha256}</code></dd>
        <dt>Merkle root of the items</dt><dd><code class="wrap">{st.merkle_root}</code></dd>
      </dl>
      <details>
        <summary>Chain of custody ({pkg.custody.length} events)</summary>
        <ol class="custody">
          {pkg.custody.map((c) => <li>{custodyLine(c, request)}</li>)}
        </ol>
      </details>
    </article>
  );
}
