// RFC 9457 problem details as the hub sends them, and the mapping from a
// problem to the form fields it names. Every reason is reworded for the
// browser (hubMessage) and field paths become the labels the pages show.
import { hubMessage } from '../lib/wording';

export interface FieldIssue {
  field: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  errors?: FieldIssue[];
  allowed_actions?: string[];
  required_scope?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(hubMessage(problem.detail || problem.title));
    this.status = problem.status;
    this.problem = problem;
  }

  // The short name of the problem type: "validation-failed" for
  // urn:liaison:problem:validation-failed.
  get kind(): string {
    const prefix = 'urn:liaison:problem:';
    return this.problem.type.startsWith(prefix) ? this.problem.type.slice(prefix.length) : this.problem.type;
  }
}

// A body that is not problem+json still becomes a problem, so that every
// failure is shown the same way.
export function problemFrom(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'type' in body && 'detail' in body) {
    const p = body as Partial<Problem>;
    return {
      type: String(p.type),
      title: String(p.title ?? ''),
      status: typeof p.status === 'number' ? p.status : status,
      detail: String(p.detail ?? ''),
      field: typeof p.field === 'string' ? p.field : undefined,
      errors: Array.isArray(p.errors) ? p.errors.filter(isIssue) : undefined,
      allowed_actions: Array.isArray(p.allowed_actions) ? p.allowed_actions.map(String) : undefined,
      required_scope: typeof p.required_scope === 'string' ? p.required_scope : undefined,
    };
  }
  return {
    type: 'about:blank',
    title: 'Unexpected answer',
    status,
    detail: status === 0 ? 'the hub could not be reached' : `the hub answered ${status}`,
  };
}

function isIssue(x: unknown): x is FieldIssue {
  return !!x && typeof x === 'object' && typeof (x as FieldIssue).field === 'string' &&
    typeof (x as FieldIssue).reason === 'string';
}

// Each field's reason, keyed by the JSON Pointer the hub names without its
// leading slash ("targets/0/value"). Problems that name a field but carry no
// errors list count too; problems that name none go under "" for a banner.
export function fieldErrors(problem: Problem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!problem) return out;
  const add = (field: string, reason: string) => {
    const key = field.replace(/^\//, '');
    const text = readableReason(reason, key);
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  };
  if (problem.errors && problem.errors.length > 0) {
    for (const e of problem.errors) add(e.field, e.reason);
  } else if (problem.field !== undefined && problem.field !== '') {
    add(problem.field, problem.detail);
  } else {
    add('', problem.detail || problem.title);
  }
  return out;
}

// The reason for `field` or for anything inside it ("targets" collects
// "targets/0/value" too), for a control that stands for a whole group. Errors
// of the part `self` ("value" for targets/0) are the control's own and carry
// no label; the others are named as the page names them.
export function errorWithin(errors: Record<string, string>, field: string, self?: string): string | undefined {
  const parts = Object.entries(errors)
    .filter(([k]) => k === field || k.startsWith(field + '/'))
    .map(([k, v]) => (k === field || (self !== undefined && k === `${field}/${self}`) ? v : `${fieldLabel(k)}: ${v}`));
  return parts.length > 0 ? parts.join('; ') : undefined;
}

// Errors the form has no control for, so that none is lost.
export function unplacedErrors(errors: Record<string, string>, placed: string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !placed.some((p) => k === p || k.startsWith(p + '/')))
    .map(([k, v]) => (k ? `${fieldLabel(k)}: ${v}` : v));
}

// The labels the pages give the fields the hub names, by the last part of
// the path. Paths not listed are made readable ("legal_basis" → "legal basis").
const fieldNames: Record<string, string> = {
  provider_id: 'Provider', kind: 'Kind', categories: 'Data sought', route: 'Legal route', offence_category: 'Offence category',
  max_penalty_months: 'Maximum penalty', value: 'identifier', port: 'source port', observed_at: 'observed at',
  network: 'network', instrument: 'Legal instrument', article: 'Article', domestic_reference: 'Domestic legal basis',
  offence_description: 'Offence', issuer_reference: 'Your case number', emergency_justification: 'Threat to life or physical safety',
  'legal_basis/instrument': 'Legal instrument', 'legal_basis/article': 'Article',
  'legal_basis/domestic_reference': 'Domestic legal basis',
  period: 'Period', 'period/start': 'Data from', 'period/end': 'Data until', deadline: 'Deadline',
  non_disclosure_until: 'Gag order until', case_type: 'Case type', legal_basis: 'Legal basis', targets: 'Targets',
  email: 'E-mail address', password: 'Password', totp_code: 'Authenticator code', recovery_code: 'Recovery code',
  name: 'Name', country: 'Country', display_name: 'Name', role: 'Role', org_id: 'Organisation', note: 'Note',
  reason: 'Reason', package: 'Evidence package', header: 'header', magic: 'file type', certificate: 'Certificate',
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// "targets/1/port" → "Target 2, source port"; "period/end" → "Data until".
export function fieldLabel(path: string): string {
  const key = path.replace(/^\//, '');
  if (fieldNames[key]) return fieldNames[key];
  const parts = key.split('/');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (/^\d+$/.test(part)) {
      const owner = words.pop() ?? '';
      const singular = owner.replace(/s$/i, '') || 'Item';
      words.push(`${capital(singular)} ${Number(part) + 1}`);
    } else {
      const two = i > 0 ? `${parts[i - 1]}/${part}` : '';
      words.push(fieldNames[two] ?? fieldNames[part] ?? part.replace(/_/g, ' '));
    }
  }
  return capital(words.join(', '));
}

// A reason as shown at its field: reworded for the browser, without a
// leading "value: " that names the field it is shown at, and with the paths
// it mentions ("must be after period/start") named as the page names them.
export function readableReason(reason: string, field = ''): string {
  let s = hubMessage(reason);
  const last = field.split('/').pop() ?? '';
  if (last && s.startsWith(`${last}: `)) s = s.slice(last.length + 2);
  s = s.replace(/^(value|port|observed_at|network|kind): /, '');
  return s.replace(/\b[a-z_]+(?:\/[a-z0-9_]+)+\b/g, (p) => (fieldNames[p] || /\/\d+\//.test(p) ? fieldLabel(p) : p));
}

// A warning the hub stored on a request ({field, message}), as one line.
export function warningText(w: { field: string; message: string }): string {
  const text = readableReason(w.message, w.field);
  return w.field ? `${fieldLabel(w.field)}: ${text}` : text;
}
