// A package's chain of custody in words: when, who (and for whom), what was
// done, which bytes, and what the hub or the party found.
import type { CustodyEvent } from '../api/types';
import { localTime } from './time';

const actions: Record<string, string> = {
  upload_started: 'started the upload',
  upload_part: 'uploaded',
  registered: 'registered the package',
  download: 'downloaded',
  verification: 'reported their own check',
  refused: 'upload refused',
};

function count(n: number): string {
  return n === 1 ? '1 byte' : `${n.toLocaleString('en')} bytes`;
}

// The hub's finding on registration, or a party's report on its check: the
// few facts a reader weighs, never the raw record.
export function custodyFinding(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  const parts: string[] = [];
  const signer = d.signer as { name?: unknown } | undefined;
  if (signer && typeof signer.name === 'string') parts.push(`signed by ${signer.name}`);
  if (Array.isArray(d.recipients)) parts.push(`sealed for ${d.recipients.length} recipient${d.recipients.length === 1 ? '' : 's'}`);
  if (d.checked === 'contents') parts.push('decrypted and every item hashed');
  if (d.checked === 'structure') parts.push('signature and structure checked, without a key');
  if (d.checked_by === 'hub') parts.push('checked by the hub');
  if (typeof d.reason === 'string') parts.push(d.reason);
  if (typeof d.detail === 'string') parts.push(d.detail);
  if (typeof d.tool === 'string') parts.push(`with ${d.tool}`);
  return parts.join('; ');
}

export function custodyText(e: CustodyEvent, organisation?: string): string {
  const who = e.user_name ?? (e.user_id ? `user ${e.user_id.slice(0, 8)}` : 'the hub');
  const whose = organisation ? ` (${organisation})` : '';
  const what = actions[e.kind] ?? e.kind.replace(/_/g, ' ');
  const range = typeof e.first_byte === 'number' && typeof e.last_byte === 'number'
    ? ` bytes ${e.first_byte.toLocaleString('en')}–${e.last_byte.toLocaleString('en')} (${count(e.last_byte - e.first_byte + 1)})`
    : '';
  const size = e.kind === 'upload_started' && e.detail && typeof (e.detail as { size?: unknown }).size === 'number'
    ? ` of ${count((e.detail as { size: number }).size)}` : '';
  const token = e.token_id ? ', with an API token' : '';
  const outcome = e.outcome ? ` — ${e.outcome}` : '';
  const finding = e.kind === 'upload_started' || e.kind === 'upload_part' ? '' : custodyFinding(e.detail);
  return `${localTime(e.at)} · ${who}${whose} ${what}${range}${size}${token}${outcome}${finding ? `: ${finding}` : ''}`;
}
