// The new-request form's logic: the body of POST /api/v1/requests from what
// the officer typed, the fields the chosen route requires, and the warnings
// the portal can give before the hub is asked (the hub checks everything
// again and has the last word).

export interface TargetInput {
  kind: string;
  value: string;
  port: string;
  observedAt: string; // datetime-local text, read in the officer's zone
  network: string;
}

export interface DraftInput {
  providerId: string;
  kind: string;
  categories: string[];
  route: string;
  offenceCategory: string;
  maxPenaltyMonths: string;
  targets: TargetInput[];
  instrument: string;
  article: string;
  domesticReference: string;
  offenceDescription: string;
  issuerReference: string;
  caseType: string;
  emergencyJustification: string;
  periodStart: string;
  periodEnd: string;
  deadline: string;
  nonDisclosureUntil: string;
}

export const emptyTarget: TargetInput = { kind: 'email', value: '', port: '', observedAt: '', network: '' };

export const emptyDraft: DraftInput = {
  providerId: '', kind: 'production', categories: ['SubscriberData'], route: '', offenceCategory: 'other',
  maxPenaltyMonths: '', targets: [{ ...emptyTarget }], instrument: '', article: '', domesticReference: '',
  offenceDescription: '', issuerReference: '', caseType: 'NotSpecified', emergencyJustification: '', periodStart: '',
  periodEnd: '', deadline: '', nonDisclosureUntil: '',
};

// A local date and time from an <input type="datetime-local"> as RFC 3339
// with the reader's offset, so that the hub knows which instant was meant.
export function instant(local: string, offsetMinutes = new Date(local).getTimezoneOffset()): string | undefined {
  if (!local) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local);
  if (!m) return local; // let the hub name what is wrong with it
  const east = -offsetMinutes;
  const sign = east >= 0 ? '+' : '-';
  const h = String(Math.floor(Math.abs(east) / 60)).padStart(2, '0');
  const min = String(Math.abs(east) % 60).padStart(2, '0');
  return `${m[1]}T${m[2]}${m[3] ?? ':00'}${sign}${h}:${min}`;
}

export function draftBody(d: DraftInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    provider_id: d.providerId,
    kind: d.kind,
    categories: d.categories,
    targets: d.targets.map((t) => {
      const out: Record<string, unknown> = { kind: t.kind, value: t.value.trim() };
      if (t.kind === 'ip' && t.port.trim()) out['port'] = Number(t.port);
      if (t.kind === 'ip' && t.observedAt) out['observed_at'] = instant(t.observedAt);
      if (t.kind === 'crypto' && t.network.trim()) out['network'] = t.network.trim();
      return out;
    }),
    legal_basis: { instrument: d.instrument.trim(), article: d.article.trim(), domestic_reference: d.domesticReference.trim() },
    offence_description: d.offenceDescription.trim(),
    case_type: d.caseType,
    offence_category: d.offenceCategory,
  };
  if (d.route) body['route'] = d.route;
  if (d.issuerReference.trim()) body['issuer_reference'] = d.issuerReference.trim();
  if (d.maxPenaltyMonths.trim()) body['max_penalty_months'] = Number(d.maxPenaltyMonths);
  if (d.kind === 'emergency_disclosure') body['emergency_justification'] = d.emergencyJustification.trim();
  if (d.periodStart || d.periodEnd) body['period'] = { start: instant(d.periodStart), end: instant(d.periodEnd) };
  if (d.deadline) body['deadline'] = instant(d.deadline);
  if (d.nonDisclosureUntil) body['non_disclosure_until'] = instant(d.nonDisclosureUntil);
  return body;
}

// The route's required fields, named as the API names the body's fields
// ("legal_basis.domestic_reference" becomes "legal_basis/domestic_reference").
export function requiredFields(route: { required_fields?: string[] } | undefined): Set<string> {
  return new Set((route?.required_fields ?? []).map((f) => f.replace(/\./g, '/')));
}

// What the route requires and the form lacks, keyed by the API's field names.
export function missingFields(d: DraftInput, required: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const empty: Record<string, boolean> = {
    issuer_reference: !d.issuerReference.trim(),
    offence_description: !d.offenceDescription.trim(),
    'legal_basis/domestic_reference': !d.domesticReference.trim(),
    max_penalty_months: !d.maxPenaltyMonths.trim(),
    emergency_justification: !d.emergencyJustification.trim(),
    targets: d.targets.every((t) => !t.value.trim()),
  };
  for (const f of required) if (empty[f]) out[f] = 'this route requires it';
  return out;
}

// Warnings while typing, as the hub would give them on the stored request.
export function targetWarning(t: TargetInput): string | undefined {
  if (t.kind !== 'ip' || !t.value.trim()) return undefined;
  const missing = [!t.port.trim() && 'source port', !t.observedAt && 'time observed'].filter(Boolean);
  if (missing.length === 0) return undefined;
  return `an IP address without its ${missing.join(' and ')} cannot be attributed behind carrier-grade NAT`;
}

function localDate(local: string): Date | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

// Every problem the portal can see before the hub is asked, all at once and
// keyed by the API's field names (as the hub would name them), so that an
// empty form flags every required field in one go. The messages are for the
// field they are shown at.
export function draftErrors(d: DraftInput, required: Set<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  if (!d.providerId) out['provider_id'] = 'choose the provider';
  if (d.categories.length === 0) out['categories'] = 'choose at least one kind of data';
  d.targets.forEach((t, i) => {
    if (!t.value.trim()) out[`targets/${i}/value`] = 'enter the identifier, or remove this target';
    if (t.kind === 'ip' && t.port.trim() && !(/^\d+$/.test(t.port.trim()) && Number(t.port) <= 65535)) {
      out[`targets/${i}/port`] = 'must be a whole number from 0 to 65535';
    }
  });
  if (!d.instrument.trim()) out['legal_basis/instrument'] = 'name the legal instrument, e.g. Regulation (EU) 2023/1543';
  if (!d.article.trim()) out['legal_basis/article'] = 'name the article the request relies on';
  if (!d.offenceDescription.trim()) out['offence_description'] = 'describe the offence';
  if (d.kind === 'emergency_disclosure' && !d.emergencyJustification.trim()) {
    out['emergency_justification'] = 'state the threat to life or physical safety';
  }
  const penalty = d.maxPenaltyMonths.trim();
  if (penalty && !(/^\d+$/.test(penalty) && Number(penalty) <= 1200)) {
    out['max_penalty_months'] = 'must be a whole number of months from 0 to 1200';
  }
  if (d.periodStart && !d.periodEnd) out['period/end'] = 'give the end of the period too';
  if (d.periodEnd && !d.periodStart) out['period/start'] = 'give the start of the period too';
  const start = localDate(d.periodStart);
  const end = localDate(d.periodEnd);
  if (start && end && end.getTime() <= start.getTime()) out['period/end'] = 'must be after Data from';
  for (const [k, v] of Object.entries(missingFields(d, required))) {
    if (k === 'targets') continue; // every empty target is flagged above
    out[k] ??= v;
  }
  return out;
}

// Warnings while the form is filled, the same the hub gives on the stored
// draft, so that they can be acted on before saving. Keyed by field.
export function draftWarnings(d: DraftInput, now: Date = new Date()): Record<string, string> {
  const out: Record<string, string> = {};
  const wantsTrafficOrContent = d.categories.includes('TrafficData') || d.categories.includes('StoredContentData');
  if (wantsTrafficOrContent && !d.periodStart && !d.periodEnd) {
    out['period'] = 'no period given for traffic or content data: providers commonly refuse requests without a time range as overbroad';
  }
  const gag = localDate(d.nonDisclosureUntil);
  if (gag && gag.getTime() <= now.getTime()) {
    out['non_disclosure_until'] = 'this date has passed: the provider could tell the user at once';
  }
  d.targets.forEach((t, i) => {
    const w = targetWarning(t);
    if (w) out[`targets/${i}`] = w;
  });
  return out;
}

// An error the officer has acted on goes: editing a field clears the errors
// for it and for what lies inside it ("targets/0" clears "targets/0/value").
export function clearErrors(errors: Record<string, string>, ...fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let changed = false;
  for (const [k, v] of Object.entries(errors)) {
    if (fields.some((f) => k === f || k.startsWith(f + '/'))) changed = true;
    else out[k] = v;
  }
  return changed ? out : errors;
}
