// The anomaly counters a provider sees next to a request's signatures, as
// sentences: the hub reports numbers, flags and, for keys used soon after they
// were certified, one record per signer.

export interface NewKeyUse {
  name?: string;
  role?: string;
  key_id?: string;
  certified_at?: string;
  signed_at?: string;
}

export interface AnomalyLine {
  label: string;
  value: string;
}

const labels: Record<string, string> = {
  requests_in_window: 'Requests from this organisation (30 days)',
  emergency_in_window: 'Emergency requests from it (30 days)',
  emergency_rate: 'Share of emergencies',
  first_time_requester: 'First request to this provider',
  new_keys: 'Signed with a key certified less than an hour before',
};

// "Olivia Brandt (officer), key bb56e304efd8c1e9, signed 5 min after it was certified"
export function describeNewKey(k: NewKeyUse): string {
  const who = k.name ?? 'unknown signer';
  const role = k.role ? ` (${k.role})` : '';
  const key = k.key_id ? `, key ${k.key_id.slice(0, 16)}` : '';
  const certified = Date.parse(k.certified_at ?? '');
  const signed = Date.parse(k.signed_at ?? '');
  let gap = '';
  if (!Number.isNaN(certified) && !Number.isNaN(signed)) {
    const minutes = Math.max(0, Math.round((signed - certified) / 60_000));
    gap = minutes < 1 ? ', signed within a minute of being certified' : `, signed ${minutes} min after it was certified`;
  }
  return `${who}${role}${key}${gap}`;
}

function valueText(key: string, v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (key === 'emergency_rate' || !Number.isInteger(v)) return `${Math.round(v * 100)} %`;
    return String(v);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    return v.map((x) => (x !== null && typeof x === 'object' ? describeNewKey(x as NewKeyUse) : String(x))).join('; ');
  }
  if (v === null || v === undefined) return 'not reported';
  return String(v);
}

// Every counter except the window length, which the labels already name.
export function anomalyLines(anomalies: Record<string, unknown>): AnomalyLine[] {
  return Object.entries(anomalies)
    .filter(([k]) => k !== 'window_days')
    .map(([k, v]) => ({ label: labels[k] ?? k.replace(/_/g, ' '), value: valueText(k, v) }));
}
