#include "store/sqlite/migrations.h"

namespace liaison::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "organisations, users, tokens, requests, timeline, messages, attachments, idempotency",
       R"sql(
CREATE TABLE organisations (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('authority', 'provider', 'central_authority')),
  name         TEXT NOT NULL,
  country      TEXT NOT NULL,
  endpoint_uid TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (country, endpoint_uid)
);

CREATE TABLE users (
  id         TEXT PRIMARY KEY,
  org_id     TEXT REFERENCES organisations (id),
  name       TEXT NOT NULL,
  email      TEXT NOT NULL UNIQUE,
  roles      TEXT NOT NULL,
  hub_admin  INTEGER NOT NULL DEFAULT 0,
  disabled   INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  CHECK ((hub_admin = 1 AND org_id IS NULL) OR (hub_admin = 0 AND org_id IS NOT NULL))
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE requests (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  reference       TEXT NOT NULL UNIQUE,
  issuer_org_id   TEXT NOT NULL REFERENCES organisations (id),
  provider_org_id TEXT NOT NULL REFERENCES organisations (id),
  year            INTEGER NOT NULL,
  number          INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  created_by      TEXT NOT NULL REFERENCES users (id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  submitted_at    TEXT,
  deadline        TEXT,
  preserved_until TEXT,
  version         INTEGER NOT NULL,
  draft_json      TEXT NOT NULL,
  warnings_json   TEXT NOT NULL,
  UNIQUE (issuer_org_id, year, number)
);
CREATE INDEX requests_issuer ON requests (issuer_org_id, seq);
CREATE INDEX requests_provider ON requests (provider_org_id, seq);
CREATE INDEX requests_deadline ON requests (deadline);

CREATE TABLE request_events (
  seq           INTEGER PRIMARY KEY,
  request_id    TEXT NOT NULL REFERENCES requests (id),
  type          TEXT NOT NULL,
  from_status   TEXT NOT NULL,
  to_status     TEXT NOT NULL,
  actor_user_id TEXT NOT NULL,
  actor_org_id  TEXT NOT NULL,
  at            TEXT NOT NULL,
  note          TEXT NOT NULL,
  object_id     TEXT
);
CREATE INDEX request_events_request ON request_events (request_id, seq);

CREATE TABLE messages (
  id             TEXT PRIMARY KEY,
  request_id     TEXT NOT NULL REFERENCES requests (id),
  author_user_id TEXT NOT NULL REFERENCES users (id),
  author_org_id  TEXT NOT NULL REFERENCES organisations (id),
  body           TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX messages_request ON messages (request_id, created_at);

CREATE TABLE attachments (
  id               TEXT PRIMARY KEY,
  request_id       TEXT NOT NULL REFERENCES requests (id),
  uploader_user_id TEXT NOT NULL REFERENCES users (id),
  uploader_org_id  TEXT NOT NULL REFERENCES organisations (id),
  name             TEXT NOT NULL,
  media_type       TEXT NOT NULL,
  size             INTEGER NOT NULL,
  sha256           TEXT NOT NULL,
  purpose          TEXT NOT NULL CHECK (purpose IN ('document', 'production')),
  created_at       TEXT NOT NULL
);
CREATE INDEX attachments_request ON attachments (request_id, created_at);

CREATE TABLE idempotency_keys (
  principal_id  TEXT NOT NULL,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  resource_kind TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (principal_id, key)
);
)sql"},
      {2, "trust store, request signatures, replay memory, signing policies, computed deadlines",
       R"sql(
ALTER TABLE requests ADD COLUMN due_at TEXT;
ALTER TABLE requests ADD COLUMN due_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN quarantine_reason TEXT;
ALTER TABLE requests ADD COLUMN follow_up_due TEXT;
ALTER TABLE requests ADD COLUMN follow_up_done_at TEXT;
ALTER TABLE requests ADD COLUMN follow_up_escalated_at TEXT;
CREATE INDEX requests_follow_up ON requests (follow_up_due);

CREATE TABLE trust_certificates (
  fingerprint      TEXT PRIMARY KEY,
  key_id           TEXT NOT NULL,
  serial           TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('root', 'organisation', 'user')),
  trusted_root     INTEGER NOT NULL DEFAULT 0,
  subject_name     TEXT NOT NULL,
  country          TEXT NOT NULL,
  org_country      TEXT,
  org_endpoint_uid TEXT,
  not_before       TEXT NOT NULL,
  not_after        TEXT NOT NULL,
  issuer_key_id    TEXT NOT NULL,
  certificate_json TEXT NOT NULL,
  added_by         TEXT NOT NULL,
  added_at         TEXT NOT NULL,
  CHECK (trusted_root = 0 OR kind = 'root')
);
CREATE INDEX trust_certificates_key ON trust_certificates (key_id);

CREATE TABLE trust_revocation_lists (
  issuer_key_id TEXT PRIMARY KEY,
  number        INTEGER NOT NULL,
  issued_at     TEXT NOT NULL,
  list_json     TEXT NOT NULL,
  added_by      TEXT NOT NULL,
  added_at      TEXT NOT NULL
);

CREATE TABLE request_signatures (
  request_id    TEXT PRIMARY KEY REFERENCES requests (id),
  envelope_json TEXT NOT NULL,
  summary_json  TEXT NOT NULL,
  digest        TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  verified_ok   INTEGER,
  report_json   TEXT,
  verified_at   TEXT
);

CREATE TABLE seen_nonces (
  value      TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  seen_at    TEXT NOT NULL
);

-- Counters for the providers' anomaly signals, kept as requests are received
-- so that reading them costs a few rows however many requests there are.
CREATE TABLE issuer_daily_activity (
  issuer_org_id TEXT NOT NULL REFERENCES organisations (id),
  day           TEXT NOT NULL,
  received      INTEGER NOT NULL,
  emergency     INTEGER NOT NULL,
  PRIMARY KEY (issuer_org_id, day)
);

CREATE TABLE issuer_provider_contacts (
  issuer_org_id    TEXT NOT NULL REFERENCES organisations (id),
  provider_org_id  TEXT NOT NULL REFERENCES organisations (id),
  first_request_id TEXT NOT NULL,
  first_at         TEXT NOT NULL,
  PRIMARY KEY (issuer_org_id, provider_org_id)
);

CREATE TABLE signing_policies (
  org_id          TEXT PRIMARY KEY REFERENCES organisations (id),
  validators      INTEGER NOT NULL CHECK (validators >= 0),
  supervisors     INTEGER NOT NULL CHECK (supervisors >= 0),
  follow_up_hours INTEGER NOT NULL CHECK (follow_up_hours > 0),
  updated_by      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
)sql"},
      {3, "credentials, recovery codes, sessions, token scopes, account events",
       R"sql(
CREATE TABLE credentials (
  user_id             TEXT PRIMARY KEY REFERENCES users (id),
  password_hash       TEXT,
  totp_secret_sealed  TEXT,
  totp_confirmed_at   TEXT,
  totp_last_step      INTEGER,
  failed_logins       INTEGER NOT NULL DEFAULT 0,
  locked_until        TEXT,
  password_changed_at TEXT
);

CREATE TABLE recovery_codes (
  user_id   TEXT NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
  id             TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users (id),
  session_hash   TEXT NOT NULL UNIQUE,
  csrf_hash      TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  revoked_at     TEXT,
  remote_address TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write';
-- Tokens minted before scopes existed could do whatever their holder's roles
-- allowed; administrators keep that, or they could no longer administer.
UPDATE api_tokens SET scopes = 'read,write,admin'
 WHERE user_id IN (SELECT id FROM users
                    WHERE hub_admin = 1 OR ',' || roles || ',' LIKE '%,org_admin,%');

CREATE TABLE account_events (
  seq             INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  actor_user_id   TEXT,
  subject_user_id TEXT,
  org_id          TEXT,
  type            TEXT NOT NULL,
  detail          TEXT NOT NULL,
  remote_address  TEXT NOT NULL
);
CREATE INDEX account_events_subject ON account_events (subject_user_id, seq);
)sql"},
      {4, "tamper-evident ledger: entries, complete-subtree hashes, checkpoints",
       R"sql(
-- The log's leaves. salt and content never leave the hub except in a party's
-- receipt; the entry itself holds no personal data.
CREATE TABLE ledger_entries (
  leaf_index INTEGER PRIMARY KEY,
  entry      TEXT NOT NULL,
  leaf_hash  BLOB NOT NULL,
  salt       BLOB NOT NULL,
  content    TEXT NOT NULL,
  request_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_request ON ledger_entries (request_id, leaf_index);
-- No index on leaf_hash: hashes arrive in random order, so each insert would
-- dirty a random index page, which cost a third of the append rate. A lookup
-- by hash scans the compact tiles instead.

-- The leaf hashes of leaves [8 * tile_index, 8 * tile_index + 8),
-- concatenated: one row holds the bottom three levels of the tree, so a
-- proof reads them with one seek into a compact table.
CREATE TABLE ledger_tiles (
  tile_index INTEGER PRIMARY KEY,
  hashes     BLOB NOT NULL
);

-- Hashes of the complete subtrees from level 3 up: node (level, index)
-- covers leaves [index * 2^level, (index + 1) * 2^level), stored under
-- node_key = level * 2^48 + index, so a lookup is a rowid seek.
CREATE TABLE ledger_nodes (
  node_key INTEGER PRIMARY KEY,
  hash     BLOB NOT NULL
);

CREATE TABLE ledger_checkpoints (
  tree_size  INTEGER PRIMARY KEY,
  root       BLOB NOT NULL,
  note       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)sql"},
      {5, "ledger checkpoint cosignatures by witnesses",
       R"sql(
-- A witness's signature line in a checkpoint's note: what it vouches for is
-- that checkpoint, which it checked was consistent with the last it signed.
CREATE TABLE ledger_cosignatures (
  tree_size INTEGER NOT NULL REFERENCES ledger_checkpoints (tree_size),
  witness   TEXT NOT NULL,
  line      TEXT NOT NULL,
  added_by  TEXT NOT NULL,
  added_at  TEXT NOT NULL,
  PRIMARY KEY (tree_size, witness)
);
)sql"},
      {6, "recipient certificates in the trust store",
       R"sql(
-- A CHECK constraint cannot be altered, so the table is rebuilt with the new
-- kind allowed; nothing refers to it by foreign key.
CREATE TABLE trust_certificates_new (
  fingerprint      TEXT PRIMARY KEY,
  key_id           TEXT NOT NULL,
  serial           TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('root', 'organisation', 'user', 'recipient')),
  trusted_root     INTEGER NOT NULL DEFAULT 0,
  subject_name     TEXT NOT NULL,
  country          TEXT NOT NULL,
  org_country      TEXT,
  org_endpoint_uid TEXT,
  not_before       TEXT NOT NULL,
  not_after        TEXT NOT NULL,
  issuer_key_id    TEXT NOT NULL,
  certificate_json TEXT NOT NULL,
  added_by         TEXT NOT NULL,
  added_at         TEXT NOT NULL,
  CHECK (trusted_root = 0 OR kind = 'root')
);
INSERT INTO trust_certificates_new (fingerprint, key_id, serial, kind, trusted_root, subject_name,
                                    country, org_country, org_endpoint_uid, not_before, not_after,
                                    issuer_key_id, certificate_json, added_by, added_at)
  SELECT fingerprint, key_id, serial, kind, trusted_root, subject_name, country, org_country,
         org_endpoint_uid, not_before, not_after, issuer_key_id, certificate_json, added_by,
         added_at
  FROM trust_certificates;
DROP TABLE trust_certificates;
ALTER TABLE trust_certificates_new RENAME TO trust_certificates;
CREATE INDEX trust_certificates_key ON trust_certificates (key_id);
)sql"},
      {7, "evidence packages, resumable uploads and chain of custody",
       R"sql(
CREATE TABLE evidence_uploads (
  id          TEXT PRIMARY KEY,
  request_id  TEXT NOT NULL REFERENCES requests (id),
  user_id     TEXT NOT NULL REFERENCES users (id),
  org_id      TEXT NOT NULL REFERENCES organisations (id),
  size        INTEGER NOT NULL CHECK (size > 0),
  received    INTEGER NOT NULL CHECK (received >= 0 AND received <= size),
  state       TEXT NOT NULL CHECK (state IN ('open', 'completed', 'refused')),
  package_id  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX evidence_uploads_request ON evidence_uploads (request_id);

CREATE TABLE evidence_packages (
  id               TEXT PRIMARY KEY,
  request_id       TEXT NOT NULL REFERENCES requests (id),
  attachment_id    TEXT NOT NULL UNIQUE REFERENCES attachments (id),
  statement        TEXT NOT NULL,
  statement_sha256 TEXT NOT NULL,
  signer_key_id    TEXT NOT NULL,
  item_count       INTEGER NOT NULL,
  total_size       INTEGER NOT NULL,
  package_bytes    INTEGER NOT NULL,
  registered_at    TEXT NOT NULL
);
CREATE INDEX evidence_packages_request ON evidence_packages (request_id, registered_at);

-- Append-only: custody events are never updated or deleted.
CREATE TABLE custody_events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id  TEXT NOT NULL REFERENCES requests (id),
  package_id  TEXT,
  upload_id   TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('upload_started', 'upload_part', 'registered',
                                            'download', 'verification')),
  user_id     TEXT NOT NULL,
  org_id      TEXT NOT NULL,
  token_id    TEXT,
  first_byte  INTEGER,
  last_byte   INTEGER,
  outcome     TEXT,
  detail      TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX custody_events_request ON custody_events (request_id, seq);
)sql"},
      {8, "the provider directory: current entries and every revision",
       R"sql(
-- categories is comma-framed (",SubscriberData,TrafficData,") so one LIKE
-- finds a category. hub_org_id links an entry to a provider organisation on
-- this hub; an organisation has at most one entry.
CREATE TABLE directory_entries (
  seq                   INTEGER PRIMARY KEY,
  id                    TEXT NOT NULL UNIQUE,
  version               INTEGER NOT NULL CHECK (version >= 1),
  name                  TEXT NOT NULL,
  legal_entity          TEXT NOT NULL,
  establishment_country TEXT NOT NULL,
  categories            TEXT NOT NULL,
  hub_org_id            TEXT UNIQUE REFERENCES organisations (id),
  entry_json            TEXT NOT NULL,
  updated_by            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);
CREATE INDEX directory_entries_country ON directory_entries (establishment_country, seq);

-- Append-only: a revision is never updated or deleted.
CREATE TABLE directory_revisions (
  entry_id   TEXT NOT NULL REFERENCES directory_entries (id),
  version    INTEGER NOT NULL,
  entry_json TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (entry_id, version)
);
)sql"},
      {9, "legal holds, reminders, gag orders and the user-notification task",
       R"sql(
ALTER TABLE requests ADD COLUMN non_disclosure_until TEXT;
ALTER TABLE requests ADD COLUMN user_notification_permitted_at TEXT;
ALTER TABLE requests ADD COLUMN user_notified_at TEXT;
ALTER TABLE requests ADD COLUMN user_notified_by TEXT;
-- SQLite's JSON functions; PostgreSQL would read draft_json::json.
UPDATE requests SET non_disclosure_until = json_extract(draft_json, '$.non_disclosure_until');
CREATE INDEX requests_non_disclosure ON requests (non_disclosure_until)
  WHERE user_notification_permitted_at IS NULL;
CREATE INDEX requests_preserved_until ON requests (preserved_until);

CREATE TABLE legal_holds (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  provider_org_id TEXT NOT NULL REFERENCES organisations (id),
  issuer_org_id   TEXT NOT NULL REFERENCES organisations (id),
  request_id      TEXT NOT NULL REFERENCES requests (id),
  scope_json      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('active', 'released', 'expired')),
  released_at     TEXT,
  released_by     TEXT,
  release_reason  TEXT,
  expired_at      TEXT,
  CHECK ((status = 'released') = (released_at IS NOT NULL)),
  CHECK ((status = 'expired') = (expired_at IS NOT NULL))
);
CREATE INDEX legal_holds_provider ON legal_holds (provider_org_id, seq);
CREATE INDEX legal_holds_issuer ON legal_holds (issuer_org_id, seq);
CREATE INDEX legal_holds_request ON legal_holds (request_id);

-- Append-only, like the timeline.
CREATE TABLE legal_hold_renewals (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  hold_id         TEXT NOT NULL REFERENCES legal_holds (id),
  at              TEXT NOT NULL,
  previous_expiry TEXT NOT NULL,
  new_expiry      TEXT NOT NULL,
  by_user_id      TEXT NOT NULL,
  by_org_id       TEXT NOT NULL
);
CREATE INDEX legal_hold_renewals_hold ON legal_hold_renewals (hold_id, seq);

CREATE TABLE reminders (
  id           TEXT PRIMARY KEY,
  request_id   TEXT NOT NULL REFERENCES requests (id),
  org_id       TEXT NOT NULL REFERENCES organisations (id),
  kind         TEXT NOT NULL CHECK (kind IN ('response_due_soon', 'response_overdue',
                                             'preservation_expiring', 'follow_up_due_soon',
                                             'follow_up_overdue', 'user_notification_permitted')),
  due_at       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  delivered_at TEXT,
  delivered_by TEXT,
  UNIQUE (request_id, kind, due_at)
);
CREATE INDEX reminders_org ON reminders (org_id, delivered_at, due_at);
)sql"},
      {10, "what kind of authority an organisation is", R"sql(
ALTER TABLE organisations ADD COLUMN authority_type TEXT
  CHECK (authority_type IN ('police', 'prosecutor', 'judge', 'central_authority'));
UPDATE organisations SET authority_type = 'central_authority' WHERE kind = 'central_authority';
)sql"},
      {11, "the authority asked to validate a request", R"sql(
ALTER TABLE requests ADD COLUMN validator_org_id TEXT REFERENCES organisations (id);
CREATE INDEX requests_validator ON requests (validator_org_id, seq);
)sql"},
      {12, "HI-1 objects, kept per sending organisation", R"sql(
CREATE TABLE hi1_objects (
  seq             INTEGER PRIMARY KEY,
  owner_org_id    TEXT NOT NULL REFERENCES organisations (id),
  object_id       TEXT NOT NULL,
  object_type     TEXT NOT NULL,
  associated_json TEXT NOT NULL,
  request_id      TEXT REFERENCES requests (id),
  generation      INTEGER NOT NULL CHECK (generation >= 1),
  xml             TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  last_changed    TEXT NOT NULL,
  UNIQUE (owner_org_id, object_id)
);
CREATE INDEX hi1_objects_request ON hi1_objects (request_id);
)sql"},
      {13, "HI-1 federation: work towards peer hubs, and deliveries arriving in parts", R"sql(
CREATE TABLE hi1_transfers (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('forward', 'deliver')),
  request_id      TEXT NOT NULL REFERENCES requests (id),
  package_id      TEXT NOT NULL,
  peer            TEXT NOT NULL,
  task_object_id  TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'refused')),
  remote_status   TEXT NOT NULL,
  delivery_id     TEXT NOT NULL,
  next_sequence   INTEGER NOT NULL CHECK (next_sequence >= 1),
  sent_bytes      INTEGER NOT NULL CHECK (sent_bytes >= 0),
  attempts        INTEGER NOT NULL CHECK (attempts >= 0),
  last_error      TEXT,
  next_attempt_at TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (kind, request_id, package_id)
);
CREATE INDEX hi1_transfers_open ON hi1_transfers (state, next_attempt_at);
CREATE INDEX hi1_transfers_task ON hi1_transfers (kind, peer, task_object_id);

CREATE TABLE hi1_inbound_deliveries (
  owner_org_id  TEXT NOT NULL REFERENCES organisations (id),
  delivery_id   TEXT NOT NULL,
  request_id    TEXT NOT NULL REFERENCES requests (id),
  next_sequence INTEGER NOT NULL CHECK (next_sequence >= 1),
  received      INTEGER NOT NULL CHECK (received >= 0),
  package_id    TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (owner_org_id, delivery_id)
);
)sql"},
  };
  return kMigrations;
}

}  // namespace liaison::sqlite
