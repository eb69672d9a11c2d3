// RFC 9457 problem details as the hub sends them, and the mapping from a
// problem to the form fields it names.

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
    super(problem.detail || problem.title);
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
    out[key] = out[key] ? `${out[key]}; ${reason}` : reason;
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
// "targets/0/value" too), for a control that stands for a whole group.
export function errorWithin(errors: Record<string, string>, field: string): string | undefined {
  const parts = Object.entries(errors)
    .filter(([k]) => k === field || k.startsWith(field + '/'))
    .map(([k, v]) => (k === field ? v : `${k.slice(field.length + 1)}: ${v}`));
  return parts.length > 0 ? parts.join('; ') : undefined;
}

// Errors the form has no control for, so that none is lost.
export function unplacedErrors(errors: Record<string, string>, placed: string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !placed.some((p) => k === p || k.startsWith(p + '/')))
    .map(([k, v]) => (k ? `${k}: ${v}` : v));
}
