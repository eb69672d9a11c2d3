// Everything of a request the provider must act on, in words: what the
// signatures cover (targets aside, which the page lists as a table), so that
// "as shown on this page" is true of each field.
import type { LiaisonRequest } from '../api/types';
import { localTime } from './time';

export interface AskedRow {
  label: string;
  text: string;
}

// "OtherFinancialCrimeOrFraud" -> "Other financial crime or fraud".
export function words(code: string): string {
  const spaced = code.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function periodText(period: LiaisonRequest['period']): string {
  const start = period?.start ?? null;
  const end = period?.end ?? null;
  if (start && end) return `From ${localTime(start)} to ${localTime(end)}`;
  if (start) return `From ${localTime(start)}, with no end given`;
  if (end) return `Until ${localTime(end)}, with no start given`;
  return 'No period given: the request is not limited to a time span';
}

export function nonDisclosureText(r: LiaisonRequest): string {
  if (!r.non_disclosure_until) return "None: the provider's own user-notification policy applies";
  const until = localTime(r.non_disclosure_until);
  const n = r.user_notification;
  if (n?.notified_at) return `The user must not be told before ${until}; the gag order has ended and the user was told on ${localTime(n.notified_at)}`;
  if (n?.permitted_at) return `The user must not be told before ${until}; the gag order has ended, so the user may now be told`;
  return `The user must not be told of this request before ${until}`;
}

export function askedRows(r: LiaisonRequest): AskedRow[] {
  const rows: AskedRow[] = [];
  if (r.issuer_reference) rows.push({ label: "Authority's case number", text: r.issuer_reference });
  rows.push({ label: 'Period of the data', text: periodText(r.period) });
  rows.push({ label: 'Non-disclosure (gag order)', text: nonDisclosureText(r) });
  if (r.case_type && r.case_type !== 'NotSpecified') rows.push({ label: 'Type of case', text: words(r.case_type) });
  if (typeof r.max_penalty_months === 'number') {
    rows.push({ label: 'Maximum penalty', text: r.max_penalty_months === 1 ? '1 month' : `${r.max_penalty_months} months` });
  }
  if (r.deadline) rows.push({ label: 'Answer asked by', text: localTime(r.deadline) });
  return rows;
}
