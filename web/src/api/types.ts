// The shapes of what the hub serves, as far as the portal reads them
// (docs/api.md has the whole of each).

export interface OrgRef {
  id: string;
  name: string;
  country: string;
  kind: 'authority' | 'provider' | 'central_authority';
  endpoint_uid?: string;
  authority_type?: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name?: string;
  roles: string[];
  organisation: OrgRef | null;
  hub_admin?: boolean;
  disabled?: boolean;
}

// A member of an organisation as its admins see them.
export interface Account {
  id: string;
  email: string;
  name: string;
  roles: string[];
  disabled: boolean;
  org_id: string | null;
  created_at: string;
}

export interface Organisation extends OrgRef {
  endpoint_uid: string;
  created_at: string;
}

export interface Login {
  csrf_token: string;
  expires_at: string;
  user: SessionUser;
}

export interface Target {
  kind: string;
  value: string;
  port?: number;
  observed_at?: string;
  network?: string;
}

export interface LedgerRef {
  leaf_index: number;
  entry: string;
  in_checkpoint: boolean;
}

export interface Verification {
  ok: boolean;
  failures: { code: string; detail: string }[];
  signers?: { role: string; name?: string; valid: boolean; failures?: (string | { code: string; detail: string })[]; revoked_later_at?: string | null }[];
  notes?: string[];
  received_at?: string;
  anomalies?: Record<string, unknown>;
}

export interface Signature {
  role: string;
  name: string;
  key_id: string;
  signed_at: string;
  organisation?: { country: string; endpoint_uid: string; name: string };
}

export interface SignaturesRequired {
  missing: string[];
  ready: boolean;
  basis?: string;
}

export interface LiaisonRequest {
  id: string;
  reference: string;
  kind: string;
  status: string;
  version: number;
  categories: string[];
  targets: Target[];
  legal_basis: { instrument: string; article: string; domestic_reference?: string };
  route?: string;
  offence_description: string;
  period?: { start?: string | null; end?: string | null } | null;
  case_type?: string | null;
  max_penalty_months?: number | null;
  non_disclosure_until?: string | null;
  issuer_reference?: string | null;
  emergency_justification?: string | null;
  emergency_callback?: { kind: string; value: string } | null;
  deadline?: string | null;
  due_at?: string | null;
  due_rule?: string | null;
  issuer: OrgRef;
  provider: OrgRef;
  validator?: OrgRef | null;
  created_at: string;
  submitted_at?: string | null;
  preserved_until?: string | null;
  quarantine_reason?: string | null;
  warnings: { field: string; message: string }[];
  allowed_actions: string[];
  ledger?: LedgerRef[];
  signatures?: Signature[];
  signatures_required?: SignaturesRequired;
  verification?: Verification;
  user_notification?: { permitted_at: string | null; notified_at: string | null } | null;
}

export interface RequestEvent {
  seq: number;
  type: string;
  from_status: string;
  to_status: string;
  actor_user_id: string;
  actor_org_id: string;
  at: string;
  note: string;
  object_id?: string | null;
}

export interface Message {
  id: string;
  body: string;
  author_user_id?: string;
  author_org_id?: string;
  created_at?: string;
  at?: string;
}

export interface Attachment {
  id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  purpose: string;
}

export interface Package {
  id: string;
  content: string;
  statement: Record<string, unknown>;
  statement_sha256: string;
  signer_key_id: string;
  item_count: number;
  total_size: number;
  package_bytes: number;
  registered_at: string;
  custody: CustodyEvent[];
}

// One step of a package's chain of custody (docs/api.md).
export interface CustodyEvent {
  seq: number;
  kind: string;
  at: string;
  user_id?: string;
  user_name?: string | null;
  org_id?: string;
  token_id?: string | null;
  first_byte?: number | null;
  last_byte?: number | null;
  outcome?: string | null;
  detail?: unknown;
}

export interface Receipt {
  leaf_index: number;
  entry: string;
  inclusion: { tree_size: number; path: string[] };
  checkpoint: string;
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}
