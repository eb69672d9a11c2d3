#include "store/sqlite/sqlite_store.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/request_json.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"

namespace liaison {

namespace {

using sqlite::Connection;
using sqlite::Statement;

Error not_found(const std::string& what) { return Error::not_found(what + " not found"); }

// Every row a statement returns, each read by `from`.
template <typename From>
auto all_rows(sqlite::Statement& st, From from)
    -> Result<std::vector<decltype(from(std::declval<const sqlite::Statement&>()))>> {
  std::vector<decltype(from(st))> out;
  for (;;) {
    LIAISON_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(from(st));
  }
  return out;
}

// ledger_nodes' key (migration 4): level * 2^48 + index.
std::int64_t ledger_node_key(int level, std::int64_t index) {
  return (static_cast<std::int64_t>(level) << 48) | index;
}

// Every ReadTx/WriteTx method as SQL on one connection. The writer's
// connection gets all of them; readers are opened query_only, so a stray write
// through a ReadTx fails loudly rather than silently racing the writer.
class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Connection& c) : c_(c) {}
  Connection& connection() { return c_; }

  Result<Organisation> get_org(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT id, kind, name, country, endpoint_uid, "
                                                 "created_at, authority_type FROM organisations "
                                                 "WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("organisation " + id);
    return org_from(*st);
  }

  Result<std::vector<Organisation>> list_orgs() override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, kind, name, country, endpoint_uid, created_at, "
                                        "authority_type FROM organisations ORDER BY name, id"));
    std::vector<Organisation> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(org_from(*st));
    }
    return out;
  }

  Result<User> get_user(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, org_id, name, email, roles, hub_admin, "
                                        "disabled, created_at FROM users WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("user " + id);
    return user_from(*st);
  }

  Result<User> get_user_by_email(const std::string& email) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, org_id, name, email, roles, hub_admin, "
                                        "disabled, created_at FROM users WHERE email = ?"));
    st->bind(1, email);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("user " + email);
    return user_from(*st);
  }

  Result<std::vector<User>> list_users(const std::optional<std::string>& org_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "SELECT id, org_id, name, email, roles, hub_admin, disabled, created_at FROM users "
            "WHERE (?1 IS NULL OR org_id = ?1) ORDER BY email"));
    st->bind(1, org_id);
    std::vector<User> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(User u, user_from(*st));
      out.push_back(std::move(u));
    }
    return out;
  }

  Result<TokenRecord> get_token_by_hash(const std::string& token_hash) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, user_id, name, token_hash, created_at, "
                                        "expires_at, revoked_at, scopes FROM api_tokens "
                                        "WHERE token_hash = ?"));
    st->bind(1, token_hash);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("token");
    return token_from(*st);
  }

  Result<TokenHolder> get_token_holder(const std::string& token_hash) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "SELECT t.id, t.user_id, t.name, t.token_hash, t.created_at, t.expires_at, "
            "t.revoked_at, t.scopes, "
            "u.id, u.org_id, u.name, u.email, u.roles, u.hub_admin, u.disabled, u.created_at, "
            "o.id, o.kind, o.name, o.country, o.endpoint_uid, o.created_at, o.authority_type "
            "FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN organisations o ON o.id "
            "= u.org_id "
            "WHERE t.token_hash = ?"));
    st->bind(1, token_hash);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("token");
    TokenHolder h;
    LIAISON_ASSIGN_OR_RETURN(h.token, token_from(*st));
    LIAISON_ASSIGN_OR_RETURN(h.user, user_from(*st, 8));
    if (!st->is_null(16)) h.org = org_from(*st, 16);
    return h;
  }

  Result<std::vector<TokenRecord>> list_tokens(const std::string& user_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, user_id, name, token_hash, created_at, "
                                        "expires_at, revoked_at, scopes FROM api_tokens "
                                        "WHERE user_id = ? ORDER BY created_at, id"));
    st->bind(1, user_id);
    std::vector<TokenRecord> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(TokenRecord t, token_from(*st));
      out.push_back(std::move(t));
    }
    return out;
  }

#define LIAISON_REQUEST_COLUMNS                                                                   \
  "seq, id, reference, issuer_org_id, status, created_by, created_at, updated_at, submitted_at, " \
  "preserved_until, version, draft_json, warnings_json, due_at, due_rule, quarantine_reason, "    \
  "follow_up_due, follow_up_done_at, follow_up_escalated_at, user_notification_permitted_at, "    \
  "user_notified_at, user_notified_by, validator_org_id"

  // --- Ledger ---

  Result<std::int64_t> ledger_size() override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM ledger_entries"));
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    return row ? st->integer(0) : 0;
  }

  Result<std::string> ledger_tile(std::int64_t tile) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT hashes FROM ledger_tiles WHERE tile_index = ?"));
    st->bind(1, tile);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("ledger tile " + std::to_string(tile));
    return st->text(0);
  }

  Result<std::string> ledger_node(int level, std::int64_t index) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT hash FROM ledger_nodes WHERE node_key = ?"));
    st->bind(1, ledger_node_key(level, index));
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) {
      return not_found("ledger node " + std::to_string(level) + "/" + std::to_string(index));
    }
    return st->text(0);
  }

  Status for_each_ledger_node(
      int min_level,
      const std::function<void(int, std::int64_t, const std::string&)>& fn) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT node_key, hash FROM ledger_nodes "
                                                 "WHERE node_key >= ? ORDER BY node_key"));
    st->bind(1, ledger_node_key(min_level, 0));
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) return Ok{};
      std::int64_t key = st->integer(0);
      fn(static_cast<int>(key >> 48), key & ((std::int64_t{1} << 48) - 1), st->text(1));
    }
  }

  static LedgerEntryRecord ledger_entry_from(const Statement& st) {
    return {st.integer(0), st.text(1),          st.text(2), st.text(3),
            st.text(4),    st.optional_text(5), st.text(6)};
  }

  Result<std::vector<LedgerEntryRecord>> ledger_entries(std::int64_t start,
                                                        std::int64_t end) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT leaf_index, entry, leaf_hash, salt, content, request_id, "
                            "created_at FROM ledger_entries WHERE leaf_index >= ? AND "
                            "leaf_index < ? ORDER BY leaf_index"));
    st->bind(1, start).bind(2, end);
    return all_rows(*st, ledger_entry_from);
  }

  Result<std::vector<LedgerEntryRecord>> ledger_entries_of_request(const std::string& request_id,
                                                                   bool with_content) override {
    // Without content, the columns that hold the request stay unread: a view
    // lists a request's entries on every GET.
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        with_content
            ? c_.prepare("SELECT leaf_index, entry, leaf_hash, salt, content, request_id, "
                         "created_at FROM ledger_entries WHERE request_id = ? ORDER BY leaf_index")
            : c_.prepare("SELECT leaf_index, entry, leaf_hash, '', '', request_id, created_at "
                         "FROM ledger_entries WHERE request_id = ? ORDER BY leaf_index"));
    st->bind(1, request_id);
    return all_rows(*st, ledger_entry_from);
  }

  Result<std::int64_t> ledger_find_leaf(const std::string& leaf_hash, std::int64_t size) override {
    if (leaf_hash.size() != 32) return Error::invalid("hash", "must be 32 bytes");
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT tile_index, hashes FROM ledger_tiles WHERE tile_index < ? "
                            "ORDER BY tile_index"));
    st->bind(1, (size + kLedgerTileLeaves - 1) / kLedgerTileLeaves);
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      std::int64_t first = st->integer(0) * kLedgerTileLeaves;
      std::string hashes = st->text(1);
      for (std::size_t at = 0; at + 32 <= hashes.size(); at += 32) {
        std::int64_t index = first + static_cast<std::int64_t>(at / 32);
        if (index >= size) break;
        if (hashes.compare(at, 32, leaf_hash) == 0) return index;
      }
    }
    return not_found("ledger leaf with this hash");
  }

  Result<std::vector<LedgerCosignatureRecord>> ledger_cosignatures(
      std::int64_t tree_size) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT tree_size, witness, line, added_by, added_at FROM "
                            "ledger_cosignatures WHERE tree_size = ? ORDER BY witness"));
    st->bind(1, tree_size);
    return all_rows(*st, [](const Statement& r) {
      return LedgerCosignatureRecord{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4)};
    });
  }

  Result<std::optional<LedgerCheckpointRecord>> latest_ledger_checkpoint() override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT tree_size, root, note, created_at FROM "
                                        "ledger_checkpoints ORDER BY tree_size DESC LIMIT 1"));
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return std::optional<LedgerCheckpointRecord>();
    return std::optional<LedgerCheckpointRecord>(
        LedgerCheckpointRecord{st->integer(0), st->text(1), st->text(2), st->text(3)});
  }

  Result<LedgerCheckpointRecord> ledger_checkpoint(std::int64_t tree_size) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT tree_size, root, note, created_at FROM "
                                                 "ledger_checkpoints WHERE tree_size = ?"));
    st->bind(1, tree_size);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("checkpoint of size " + std::to_string(tree_size));
    return LedgerCheckpointRecord{st->integer(0), st->text(1), st->text(2), st->text(3)};
  }

  Result<Request> get_request(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_REQUEST_COLUMNS " FROM requests WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("request " + id);
    return request_from(*st);
  }

  Result<RequestPage> list_requests(const RequestFilter& f) override {
    // One statement covers every filter combination: a NULL parameter
    // disables its condition. Statuses travel as a comma-framed list.
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "SELECT " LIAISON_REQUEST_COLUMNS " FROM requests WHERE "
            "(?1 IS NULL OR issuer_org_id = ?1 OR (validator_org_id = ?9 AND status = 'draft')) "
            "AND (?2 IS NULL OR "
            "provider_org_id = ?2) "
            "AND (?3 = 1 OR (status NOT IN ('draft', 'quarantined') AND submitted_at IS NOT "
            "NULL)) AND (?4 IS "
            "NULL OR instr(?4, ',' || status || ',') > 0) "
            "AND (?5 IS NULL OR kind = ?5) AND (?6 IS NULL OR (deadline IS NOT NULL AND "
            "deadline < ?6)) "
            "AND (?7 IS NULL OR seq < ?7) ORDER BY seq DESC LIMIT ?8"));
    std::optional<std::string> statuses;
    if (!f.statuses.empty()) {
      statuses = ",";
      for (auto s : f.statuses) *statuses += std::string(request_status_name(s)) + ",";
    }
    st->bind(1, f.issuer_org_id)
        .bind(2, f.provider_org_id)
        .bind(3, std::int64_t{f.include_drafts ? 1 : 0});
    st->bind(4, statuses);
    st->bind(5, f.kind ? std::optional<std::string>(request_kind_name(*f.kind)) : std::nullopt);
    st->bind(6, f.deadline_before).bind(7, f.after_seq).bind(8, std::int64_t{f.limit + 1});
    st->bind(9, f.or_validator_org_id);
    RequestPage page;
    std::int64_t last_seq = 0;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      if (static_cast<int>(page.items.size()) == f.limit) {
        page.next_after_seq = last_seq;
        break;
      }
      last_seq = st->integer(0);
      LIAISON_ASSIGN_OR_RETURN(Request r, request_from(*st));
      page.items.push_back(std::move(r));
    }
    return page;
  }

  Result<std::vector<RequestEvent>> list_events(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT seq, request_id, type, from_status, to_status, actor_user_id, "
                            "actor_org_id, at, note, "
                            "object_id FROM request_events WHERE request_id = ? ORDER BY seq"));
    st->bind(1, request_id);
    std::vector<RequestEvent> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back({st->integer(0), st->text(1), st->text(2), st->text(3), st->text(4),
                     st->text(5), st->text(6), st->text(7), st->text(8), st->optional_text(9)});
    }
    return out;
  }

  Result<std::vector<Message>> list_messages(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "SELECT id, request_id, author_user_id, author_org_id, body, created_at FROM messages "
            "WHERE request_id = ? ORDER BY created_at, rowid"));
    st->bind(1, request_id);
    std::vector<Message> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(message_from(*st));
    }
    return out;
  }

  Result<Message> get_message(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, request_id, author_user_id, author_org_id, "
                                        "body, created_at FROM messages WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("message " + id);
    return message_from(*st);
  }

  Result<std::vector<Attachment>> list_attachments(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT id, request_id, uploader_user_id, uploader_org_id, name, media_type, "
                   "size, sha256, purpose, "
                   "created_at FROM attachments WHERE request_id = ? ORDER BY created_at, rowid"));
    st->bind(1, request_id);
    std::vector<Attachment> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(attachment_from(*st));
    }
    return out;
  }

  Result<Attachment> get_attachment(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT id, request_id, uploader_user_id, uploader_org_id, "
                                        "name, media_type, size, sha256, purpose, "
                                        "created_at FROM attachments WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("attachment " + id);
    return attachment_from(*st);
  }

  Result<EvidenceUpload> get_evidence_upload(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT id, request_id, user_id, org_id, size, received, state, "
                   "package_id, created_at, updated_at FROM evidence_uploads WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("upload " + id);
    EvidenceUpload u;
    u.id = st->text(0);
    u.request_id = st->text(1);
    u.user_id = st->text(2);
    u.org_id = st->text(3);
    u.size = static_cast<std::uint64_t>(st->integer(4));
    u.received = static_cast<std::uint64_t>(st->integer(5));
    const std::string state = st->text(6);
    u.state = state == "completed" ? UploadState::kCompleted
              : state == "refused" ? UploadState::kRefused
                                   : UploadState::kOpen;
    u.package_id = st->optional_text(7);
    u.created_at = st->text(8);
    u.updated_at = st->text(9);
    return u;
  }

  Result<std::vector<EvidencePackage>> list_evidence_packages(
      const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT id, request_id, attachment_id, statement, statement_sha256, "
                            "signer_key_id, item_count, total_size, package_bytes, registered_at"
                            " FROM evidence_packages WHERE request_id = ? "
                            "ORDER BY registered_at, rowid"));
    st->bind(1, request_id);
    std::vector<EvidencePackage> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(package_from(*st));
    }
    return out;
  }

  Result<EvidencePackage> get_evidence_package(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT id, request_id, attachment_id, statement, statement_sha256, "
                            "signer_key_id, item_count, total_size, package_bytes, registered_at"
                            " FROM evidence_packages WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("evidence package " + id);
    return package_from(*st);
  }

  Result<EvidencePackage> get_evidence_package_of_attachment(
      const std::string& attachment_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT id, request_id, attachment_id, statement, statement_sha256, "
                            "signer_key_id, item_count, total_size, package_bytes, registered_at"
                            " FROM evidence_packages WHERE attachment_id = ?"));
    st->bind(1, attachment_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("evidence package of attachment " + attachment_id);
    return package_from(*st);
  }

  Result<std::vector<CustodyEvent>> list_custody_events(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT seq, request_id, package_id, upload_id, kind, user_id, "
                            "org_id, token_id, first_byte, last_byte, outcome, detail, at "
                            "FROM custody_events WHERE request_id = ? ORDER BY seq"));
    st->bind(1, request_id);
    std::vector<CustodyEvent> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      CustodyEvent e;
      e.seq = st->integer(0);
      e.request_id = st->text(1);
      e.package_id = st->optional_text(2);
      e.upload_id = st->optional_text(3);
      e.kind = st->text(4);
      e.user_id = st->text(5);
      e.org_id = st->text(6);
      e.token_id = st->optional_text(7);
      if (!st->is_null(8)) e.first_byte = static_cast<std::uint64_t>(st->integer(8));
      if (!st->is_null(9)) e.last_byte = static_cast<std::uint64_t>(st->integer(9));
      e.outcome = st->optional_text(10);
      e.detail = st->text(11);
      e.at = st->text(12);
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<IdempotencyRecord> get_idempotency(const std::string& principal_id,
                                            const std::string& key) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT principal_id, key, fingerprint, resource_kind, "
                                        "resource_id, created_at FROM idempotency_keys "
                                        "WHERE principal_id = ? AND key = ?"));
    st->bind(1, principal_id).bind(2, key);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("idempotency key");
    return IdempotencyRecord{st->text(0), st->text(1), st->text(2),
                             st->text(3), st->text(4), st->text(5)};
  }

  Result<std::vector<std::pair<std::string, std::int64_t>>> count_requests_by_status() override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT status, COUNT(*) FROM requests GROUP BY status ORDER BY status"));
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.emplace_back(st->text(0), st->integer(1));
    }
    return out;
  }
  // --- Trust ---

  Result<std::vector<StoredCertificate>> list_certificates() override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT fingerprint, key_id, serial, kind, trusted_root, subject_name, "
                            "country, org_country, org_endpoint_uid, not_before, not_after, "
                            "issuer_key_id, certificate_json, added_by, added_at "
                            "FROM trust_certificates ORDER BY added_at, fingerprint"));
    std::vector<StoredCertificate> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      StoredCertificate c;
      c.fingerprint = st->text(0);
      c.key_id = st->text(1);
      c.serial = st->text(2);
      c.kind = st->text(3);
      c.trusted_root = st->integer(4) != 0;
      c.subject_name = st->text(5);
      c.country = st->text(6);
      c.org_country = st->optional_text(7);
      c.org_endpoint_uid = st->optional_text(8);
      c.not_before = st->text(9);
      c.not_after = st->text(10);
      c.issuer_key_id = st->text(11);
      c.certificate_json = st->text(12);
      c.added_by = st->text(13);
      c.added_at = st->text(14);
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::vector<StoredRevocationList>> list_revocation_lists() override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT issuer_key_id, number, issued_at, list_json, "
                                        "added_by, added_at FROM trust_revocation_lists "
                                        "ORDER BY issuer_key_id"));
    std::vector<StoredRevocationList> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(
          {st->text(0), st->integer(1), st->text(2), st->text(3), st->text(4), st->text(5)});
    }
    return out;
  }

  Result<RequestSignatures> get_request_signatures(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT request_id, envelope_json, digest, updated_at, "
                                        "verified_ok, report_json, verified_at, summary_json "
                                        "FROM request_signatures WHERE request_id = ?"));
    st->bind(1, request_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("signatures of request " + request_id);
    RequestSignatures s{st->text(0),  st->text(1),          st->text(2),         st->text(3),
                        std::nullopt, st->optional_text(5), st->optional_text(6)};
    if (!st->is_null(4)) s.verified_ok = st->integer(4) != 0;
    s.summary_json = st->text(7);
    return s;
  }

  Result<std::optional<SigningPolicy>> get_signing_policy(const std::string& org_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT org_id, validators, supervisors, follow_up_hours, "
                                        "updated_by, updated_at FROM signing_policies "
                                        "WHERE org_id = ?"));
    st->bind(1, org_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return std::optional<SigningPolicy>();
    return std::optional<SigningPolicy>(SigningPolicy{st->text(0), st->integer(1), st->integer(2),
                                                      st->integer(3), st->text(4), st->text(5)});
  }

  Result<std::optional<std::string>> find_seen(const std::string& value) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("SELECT request_id FROM seen_nonces WHERE value = ?"));
    st->bind(1, value);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st->text(0));
  }

  Result<IssuerActivity> issuer_activity(const std::string& issuer_org_id,
                                         const std::string& provider_org_id,
                                         const std::string& since_day) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT COALESCE(SUM(received), 0), COALESCE(SUM(emergency), 0), "
                            "(SELECT first_request_id FROM issuer_provider_contacts WHERE "
                            "issuer_org_id = ?1 AND provider_org_id = ?2) "
                            "FROM issuer_daily_activity WHERE issuer_org_id = ?1 AND day >= ?3"));
    st->bind(1, issuer_org_id).bind(2, provider_org_id).bind(3, since_day);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return IssuerActivity{};
    return IssuerActivity{st->integer(0), st->integer(1), st->optional_text(2)};
  }

  Result<std::vector<Request>> list_follow_ups_due(const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_REQUEST_COLUMNS " FROM requests WHERE "
                            "follow_up_due IS NOT NULL AND follow_up_due < ? AND "
                            "follow_up_done_at IS NULL AND follow_up_escalated_at IS NULL "
                            "ORDER BY follow_up_due LIMIT 1000"));
    st->bind(1, at);
    std::vector<Request> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(Request r, request_from(*st));
      out.push_back(std::move(r));
    }
    return out;
  }

  // --- holds, deadlines, reminders ---

#define LIAISON_HOLD_COLUMNS                                                                  \
  "seq, id, provider_org_id, issuer_org_id, request_id, scope_json, created_at, created_by, " \
  "expires_at, status, released_at, released_by, release_reason, expired_at"

  Result<LegalHold> get_hold(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_HOLD_COLUMNS " FROM legal_holds WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("hold " + id);
    LIAISON_ASSIGN_OR_RETURN(LegalHold h, hold_from(*st));
    st.reset();
    LIAISON_TRY(read_renewals(h));
    return h;
  }

  Result<HoldPage> list_holds(const HoldFilter& f) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT " LIAISON_HOLD_COLUMNS " FROM legal_holds WHERE "
                   "(?1 IS NULL OR provider_org_id = ?1) AND (?2 IS NULL OR issuer_org_id = ?2) "
                   "AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR expires_at < ?4) "
                   "AND (?5 IS NULL OR seq < ?5) ORDER BY seq DESC LIMIT ?6"));
    st->bind(1, f.provider_org_id).bind(2, f.issuer_org_id);
    st->bind(3, f.status ? std::optional<std::string>(hold_status_name(*f.status)) : std::nullopt);
    st->bind(4, f.expiring_before).bind(5, f.after_seq).bind(6, std::int64_t{f.limit + 1});
    HoldPage page;
    std::int64_t last_seq = 0;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      if (static_cast<int>(page.items.size()) == f.limit) {
        page.next_after_seq = last_seq;
        break;
      }
      last_seq = st->integer(0);
      LIAISON_ASSIGN_OR_RETURN(LegalHold h, hold_from(*st));
      page.items.push_back(std::move(h));
    }
    st.reset();
    for (auto& h : page.items) LIAISON_TRY(read_renewals(h));
    return page;
  }

  Result<std::vector<LegalHold>> list_holds_of_request(const std::string& request_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_HOLD_COLUMNS " FROM legal_holds WHERE request_id = ? "
                            "ORDER BY seq"));
    st->bind(1, request_id);
    std::vector<LegalHold> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(LegalHold h, hold_from(*st));
      out.push_back(std::move(h));
    }
    st.reset();
    for (auto& h : out) LIAISON_TRY(read_renewals(h));
    return out;
  }

  Result<std::vector<Request>> list_requests_with_deadlines(const DeadlineFilter& f) override {
    // Mirrors core/request_deadlines.cc open_deadlines(), which has the last word.
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "SELECT " LIAISON_REQUEST_COLUMNS " FROM requests WHERE "
            "(?1 IS NULL OR issuer_org_id = ?1) AND (?2 IS NULL OR (provider_org_id = ?2 AND "
            "status NOT IN ('draft', 'quarantined') AND submitted_at IS NOT NULL)) AND ("
            "(status IN ('submitted', 'acknowledged', 'clarification_requested', 'clarified', "
            "'accepted') AND deadline IS NOT NULL AND deadline < ?3) "
            "OR (status = 'preserved' AND preserved_until IS NOT NULL AND preserved_until < ?3) "
            "OR (follow_up_due IS NOT NULL AND follow_up_done_at IS NULL AND follow_up_due < ?3) "
            "OR (user_notification_permitted_at IS NOT NULL AND user_notified_at IS NULL)) "
            "ORDER BY seq LIMIT ?4"));
    st->bind(1, f.issuer_org_id).bind(2, f.provider_org_id).bind(3, f.before);
    st->bind(4, std::int64_t{f.limit});
    std::vector<Request> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(Request r, request_from(*st));
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::vector<Request>> list_gags_lapsed(const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_REQUEST_COLUMNS " FROM requests WHERE "
                            "non_disclosure_until IS NOT NULL AND non_disclosure_until < ? AND "
                            "user_notification_permitted_at IS NULL AND submitted_at IS NOT NULL "
                            "AND status NOT IN ('draft', 'quarantined', 'cancelled') "
                            "ORDER BY non_disclosure_until LIMIT 1000"));
    st->bind(1, at);
    std::vector<Request> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(Request r, request_from(*st));
      out.push_back(std::move(r));
    }
    return out;
  }

#define LIAISON_REMINDER_COLUMNS \
  "id, request_id, org_id, kind, due_at, created_at, delivered_at, delivered_by"

  Result<std::vector<Reminder>> list_reminders(const std::string& org_id, bool undelivered_only,
                                               int limit) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_REMINDER_COLUMNS
                                                 " FROM reminders WHERE org_id = ?1 AND "
                                                 "(?2 = 0 OR delivered_at IS NULL) "
                                                 "ORDER BY due_at, created_at, id LIMIT ?3"));
    st->bind(1, org_id)
        .bind(2, std::int64_t{undelivered_only ? 1 : 0})
        .bind(3, std::int64_t{limit});
    return all_rows(*st, reminder_from);
  }

  Result<Reminder> get_reminder(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_REMINDER_COLUMNS " FROM reminders WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("reminder " + id);
    return reminder_from(*st);
  }

  // --- HI-1 objects ---

#define LIAISON_HI1_COLUMNS                                                              \
  "owner_org_id, object_id, object_type, associated_json, request_id, generation, xml, " \
  "created_at, last_changed"

  Result<Hi1ObjectRecord> get_hi1_object(const std::string& owner_org_id,
                                         const std::string& object_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_HI1_COLUMNS
                                                 " FROM hi1_objects WHERE owner_org_id = ? AND "
                                                 "object_id = ?"));
    st->bind(1, owner_org_id).bind(2, object_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("HI-1 object " + object_id);
    return hi1_object_from(*st);
  }

  Result<std::vector<Hi1ObjectRecord>> list_hi1_objects(const Hi1ObjectFilter& f) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT " LIAISON_HI1_COLUMNS " FROM hi1_objects WHERE owner_org_id = ?1 "
                   "AND (?2 IS NULL OR object_type = ?2) AND (?3 IS NULL OR last_changed >= ?3) "
                   "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(associated_json) "
                   "WHERE value = ?4)) ORDER BY seq LIMIT ?5"));
    st->bind(1, f.owner_org_id).bind(2, f.object_type).bind(3, f.changed_since);
    st->bind(4, f.associated_with).bind(5, std::int64_t{f.limit});
    std::vector<Hi1ObjectRecord> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(Hi1ObjectRecord o, hi1_object_from(*st));
      out.push_back(std::move(o));
    }
    return out;
  }

  // --- HI-1 federation ---

#define LIAISON_TRANSFER_COLUMNS                                                                \
  "id, kind, request_id, package_id, peer, task_object_id, state, remote_status, "              \
  "delivery_id, next_sequence, sent_bytes, attempts, last_error, next_attempt_at, created_at, " \
  "updated_at"

  Result<Hi1Transfer> find_hi1_transfer(Hi1TransferKind kind, const std::string& peer,
                                        const std::string& task_object_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_TRANSFER_COLUMNS
                                                 " FROM hi1_transfers WHERE kind = ? AND peer = ? "
                                                 "AND task_object_id = ? ORDER BY created_at"));
    st->bind(1, std::string(hi1_transfer_kind_name(kind))).bind(2, peer).bind(3, task_object_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("HI-1 transfer for task " + task_object_id);
    return transfer_from(*st);
  }

  Result<std::vector<Hi1Transfer>> list_open_hi1_transfers(int limit) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_TRANSFER_COLUMNS
                                                 " FROM hi1_transfers WHERE state IN ('pending', "
                                                 "'sent') ORDER BY created_at, id LIMIT ?"));
    st->bind(1, std::int64_t{limit});
    std::vector<Hi1Transfer> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      LIAISON_ASSIGN_OR_RETURN(Hi1Transfer t, transfer_from(*st));
      out.push_back(std::move(t));
    }
    return out;
  }

  Result<std::vector<std::string>> list_requests_to_forward(const std::string& issuer_org_id,
                                                            const std::string& provider_org_id,
                                                            int limit) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT r.id FROM requests r WHERE r.issuer_org_id = ? AND "
                            "r.provider_org_id = ? AND r.status = 'submitted' AND NOT EXISTS "
                            "(SELECT 1 FROM hi1_transfers t WHERE t.kind = 'forward' AND "
                            "t.request_id = r.id) ORDER BY r.seq LIMIT ?"));
    st->bind(1, issuer_org_id).bind(2, provider_org_id).bind(3, std::int64_t{limit});
    std::vector<std::string> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(st->text(0));
    }
    return out;
  }

  Result<std::vector<Hi1DeliveryDue>> list_hi1_deliveries_due(const std::string& sender_org_id,
                                                              const std::string& provider_org_id,
                                                              int limit) override {
    // The task a request came in as: the sender's LDTask or LPTask object
    // that names it (its other objects name no request).
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT p.request_id, p.id, o.object_id, p.registered_at AS at FROM "
                   "evidence_packages p JOIN hi1_objects o ON o.request_id = p.request_id AND "
                   "o.owner_org_id = ?1 JOIN requests q ON q.id = p.request_id AND "
                   "q.provider_org_id = ?3 WHERE NOT EXISTS (SELECT 1 FROM hi1_transfers t WHERE "
                   "t.kind = 'deliver' AND t.request_id = p.request_id AND t.package_id = p.id) "
                   "UNION ALL SELECT r.id, '', o.object_id, r.updated_at AS at FROM requests r "
                   "JOIN hi1_objects o ON o.request_id = r.id AND o.owner_org_id = ?1 WHERE "
                   "r.status = 'not_available' AND r.provider_org_id = ?3 AND NOT EXISTS (SELECT 1 "
                   "FROM hi1_transfers t "
                   "WHERE t.kind = 'deliver' AND t.request_id = r.id AND t.package_id = '') "
                   "ORDER BY at LIMIT ?2"));
    st->bind(1, sender_org_id).bind(2, std::int64_t{limit}).bind(3, provider_org_id);
    std::vector<Hi1DeliveryDue> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back({st->text(0), st->text(1), st->text(2)});
    }
    return out;
  }

  Result<Hi1InboundDelivery> get_hi1_inbound_delivery(const std::string& owner_org_id,
                                                      const std::string& delivery_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT owner_org_id, delivery_id, request_id, next_sequence, "
                            "received, package_id, created_at, updated_at FROM "
                            "hi1_inbound_deliveries WHERE owner_org_id = ? AND delivery_id = ?"));
    st->bind(1, owner_org_id).bind(2, delivery_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("HI-1 delivery " + delivery_id);
    return Hi1InboundDelivery{st->text(0),
                              st->text(1),
                              st->text(2),
                              st->integer(3),
                              static_cast<std::uint64_t>(st->integer(4)),
                              st->optional_text(5),
                              st->text(6),
                              st->text(7)};
  }

  // --- credentials and sessions ---

#define LIAISON_SESSION_COLUMNS                                                  \
  "s.id, s.user_id, s.session_hash, s.csrf_hash, s.created_at, s.last_seen_at, " \
  "s.expires_at, s.revoked_at, s.remote_address"

  Result<Credentials> get_credentials(const std::string& user_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT user_id, password_hash, totp_secret_sealed, totp_confirmed_at, "
                            "totp_last_step, failed_logins, locked_until, password_changed_at "
                            "FROM credentials WHERE user_id = ?"));
    st->bind(1, user_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("credentials of user " + user_id);
    return credentials_from(*st);
  }

  Result<std::vector<RecoveryCodeRecord>> list_recovery_codes(const std::string& user_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT user_id, code_hash, used_at FROM "
                                                 "recovery_codes WHERE user_id = ? "
                                                 "ORDER BY code_hash"));
    st->bind(1, user_id);
    std::vector<RecoveryCodeRecord> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back({st->text(0), st->text(1), st->optional_text(2)});
    }
    return out;
  }

  Result<SessionHolder> get_session_holder(const std::string& session_hash) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("SELECT " LIAISON_SESSION_COLUMNS
                   ", u.id, u.org_id, u.name, u.email, u.roles, u.hub_admin, u.disabled, "
                   "u.created_at, o.id, o.kind, o.name, o.country, o.endpoint_uid, o.created_at, "
                   "o.authority_type FROM sessions s JOIN users u ON u.id = s.user_id "
                   "LEFT JOIN organisations o ON o.id = u.org_id WHERE s.session_hash = ?"));
    st->bind(1, session_hash);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("session");
    SessionHolder h;
    h.session = session_from(*st);
    LIAISON_ASSIGN_OR_RETURN(h.user, user_from(*st, 9));
    if (!st->is_null(17)) h.org = org_from(*st, 17);
    return h;
  }

  Result<std::vector<SessionRecord>> list_sessions(const std::string& user_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_SESSION_COLUMNS
                                                 " FROM sessions s WHERE s.user_id = ? "
                                                 "ORDER BY s.created_at, s.id"));
    st->bind(1, user_id);
    std::vector<SessionRecord> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back(session_from(*st));
    }
    return out;
  }

  Result<std::vector<AccountEvent>> list_account_events(
      const std::string& subject_user_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT seq, at, actor_user_id, subject_user_id, org_id, type, detail, "
                            "remote_address FROM account_events WHERE subject_user_id = ? "
                            "ORDER BY seq"));
    st->bind(1, subject_user_id);
    std::vector<AccountEvent> out;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      out.push_back({st->integer(0), st->text(1), st->optional_text(2), st->optional_text(3),
                     st->optional_text(4), st->text(5), st->text(6), st->text(7)});
    }
    return out;
  }

  // --- Provider directory ---

#define LIAISON_DIRECTORY_COLUMNS                                                         \
  "seq, id, version, name, legal_entity, establishment_country, categories, hub_org_id, " \
  "entry_json, updated_by, updated_at"

  static DirectoryEntryRecord directory_entry_from(const Statement& st) {
    DirectoryEntryRecord r;
    r.id = st.text(1);
    r.version = st.integer(2);
    r.name = st.text(3);
    r.legal_entity = st.text(4);
    r.establishment_country = st.text(5);
    std::string framed = st.text(6);  // ",A,B,"
    for (std::size_t start = 1; start < framed.size();) {
      auto end = framed.find(',', start);
      if (end == std::string::npos) break;
      if (end > start) r.categories.push_back(framed.substr(start, end - start));
      start = end + 1;
    }
    r.hub_org_id = st.optional_text(7);
    r.entry_json = st.text(8);
    r.updated_by = st.text(9);
    r.updated_at = st.text(10);
    return r;
  }

  Result<DirectoryEntryRecord> get_directory_entry(const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_DIRECTORY_COLUMNS
                                                 " FROM directory_entries WHERE id = ?"));
    st->bind(1, id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return not_found("directory entry " + id);
    return directory_entry_from(*st);
  }

  Result<std::optional<DirectoryEntryRecord>> find_directory_entry_of_org(
      const std::string& org_id) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT " LIAISON_DIRECTORY_COLUMNS
                                                 " FROM directory_entries WHERE hub_org_id = ?"));
    st->bind(1, org_id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return std::optional<DirectoryEntryRecord>{};
    return std::optional<DirectoryEntryRecord>{directory_entry_from(*st)};
  }

  Result<DirectoryPage> list_directory_entries(const DirectoryFilter& f) override {
    // A NULL parameter disables its condition, as in list_requests. The text
    // is matched with LIKE after escaping its wildcards, lower-cased on both
    // sides, which PostgreSQL reads the same way.
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT " LIAISON_DIRECTORY_COLUMNS " FROM directory_entries WHERE "
                            "(?1 IS NULL OR establishment_country = ?1) "
                            "AND (?2 IS NULL OR categories LIKE '%,' || ?2 || ',%' ESCAPE '\\') "
                            "AND (?3 IS NULL OR lower(name) LIKE '%' || ?3 || '%' ESCAPE '\\' "
                            "     OR lower(legal_entity) LIKE '%' || ?3 || '%' ESCAPE '\\') "
                            "AND (?4 IS NULL OR seq > ?4) ORDER BY seq LIMIT ?5"));
    auto pattern = [](const std::optional<std::string>& v) -> std::optional<std::string> {
      if (!v) return std::nullopt;
      std::string out;
      for (char ch : *v) {
        if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
        out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
      }
      return out;
    };
    st->bind(1, f.country).bind(2, pattern(f.category)).bind(3, pattern(f.text));
    st->bind(4, f.after_seq).bind(5, std::int64_t{f.limit + 1});
    DirectoryPage page;
    std::int64_t last_seq = 0;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row) break;
      if (static_cast<int>(page.items.size()) == f.limit) {
        page.next_after_seq = last_seq;
        break;
      }
      last_seq = st->integer(0);
      page.items.push_back(directory_entry_from(*st));
    }
    return page;
  }

  Result<std::vector<DirectoryRevisionRecord>> list_directory_revisions(
      const std::string& id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT entry_id, version, entry_json, updated_by, updated_at FROM "
                            "directory_revisions WHERE entry_id = ? ORDER BY version"));
    st->bind(1, id);
    return all_rows(*st, [](const Statement& r) {
      return DirectoryRevisionRecord{r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4)};
    });
  }

  // --- writes ---

  Status insert_org(const Organisation& o) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("INSERT INTO organisations (id, kind, name, country, "
                                        "endpoint_uid, created_at, authority_type) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, o.id)
        .bind(2, std::string(org_kind_name(o.kind)))
        .bind(3, o.name)
        .bind(4, o.country);
    st->bind(5, o.endpoint_uid).bind(6, o.created_at);
    std::optional<std::string> type;
    if (o.authority_type) type = authority_type_name(*o.authority_type);
    st->bind(7, type);
    return conflict_as(st->run(), "endpoint_uid",
                       "an organisation with this country and endpoint id exists");
  }

  Status insert_user(const User& u) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "INSERT INTO users (id, org_id, name, email, roles, hub_admin, disabled, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, u.id)
        .bind(2, u.org_id)
        .bind(3, u.name)
        .bind(4, u.email)
        .bind(5, u.roles.to_string());
    st->bind(6, std::int64_t{u.hub_admin}).bind(7, std::int64_t{u.disabled}).bind(8, u.created_at);
    return conflict_as(st->run(), "email", "a user with this e-mail address exists");
  }

  Status insert_token(const TokenRecord& t) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, "
                            "expires_at, revoked_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, t.id)
        .bind(2, t.user_id)
        .bind(3, t.name)
        .bind(4, t.token_hash)
        .bind(5, t.created_at);
    st->bind(6, t.expires_at).bind(7, t.revoked_at).bind(8, t.scopes.to_string());
    return st->run();
  }

  Status revoke_token(const std::string& id, const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    st->bind(1, at).bind(2, id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("active token " + id);
    return Ok{};
  }

  Result<std::int64_t> next_request_number(const std::string& issuer_org_id, int year) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM "
                                                 "requests WHERE issuer_org_id = ? AND year = ?"));
    st->bind(1, issuer_org_id).bind(2, std::int64_t{year});
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    return row ? st->integer(0) : 1;
  }

  Status insert_request(const Request& r, std::int64_t number, int year) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO requests (id, reference, issuer_org_id, provider_org_id, year, "
                   "number, kind, status, "
                   "created_by, created_at, updated_at, submitted_at, deadline, preserved_until, "
                   "version, draft_json, warnings_json, due_at, due_rule, quarantine_reason, "
                   "follow_up_due, follow_up_done_at, follow_up_escalated_at, "
                   "non_disclosure_until, user_notification_permitted_at, user_notified_at, "
                   "user_notified_by, validator_org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, r.id)
        .bind(2, r.reference)
        .bind(3, r.issuer_org_id)
        .bind(4, r.draft.provider_org_id);
    st->bind(5, std::int64_t{year})
        .bind(6, number)
        .bind(7, std::string(request_kind_name(r.draft.kind)));
    st->bind(8, std::string(request_status_name(r.status)))
        .bind(9, r.created_by)
        .bind(10, r.created_at);
    st->bind(11, r.updated_at)
        .bind(12, r.submitted_at)
        .bind(13, effective_deadline(r))
        .bind(14, r.preserved_until);
    st->bind(15, r.version)
        .bind(16, encode_draft(r.draft).dump())
        .bind(17, encode_warnings(r.warnings).dump());
    bind_computed(*st, 18, r);
    return st->run();
  }

  Status update_request(const Request& r, std::int64_t expected_version) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare(
            "UPDATE requests SET status = ?, updated_at = ?, submitted_at = ?, deadline = "
            "?, preserved_until = ?, version = ?, draft_json = ?, warnings_json = ?, "
            "due_at = ?, due_rule = ?, quarantine_reason = ?, follow_up_due = ?, "
            "follow_up_done_at = ?, follow_up_escalated_at = ?, non_disclosure_until = ?, "
            "user_notification_permitted_at = ?, user_notified_at = ?, user_notified_by = ?, "
            "validator_org_id = ? WHERE id = ? AND version = ?"));
    st->bind(1, std::string(request_status_name(r.status)))
        .bind(2, r.updated_at)
        .bind(3, r.submitted_at);
    st->bind(4, effective_deadline(r)).bind(5, r.preserved_until).bind(6, r.version);
    st->bind(7, encode_draft(r.draft).dump()).bind(8, encode_warnings(r.warnings).dump());
    bind_computed(*st, 9, r);
    st->bind(20, r.id).bind(21, expected_version);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "the request changed since version " + std::to_string(expected_version));
    }
    return Ok{};
  }

  Status insert_event(const RequestEvent& e) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("INSERT INTO request_events (request_id, type, "
                                        "from_status, to_status, actor_user_id, actor_org_id, at, "
                                        "note, object_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, e.request_id).bind(2, e.type).bind(3, e.from_status).bind(4, e.to_status);
    st->bind(5, e.actor_user_id)
        .bind(6, e.actor_org_id)
        .bind(7, e.at)
        .bind(8, e.note)
        .bind(9, e.object_id);
    return st->run();
  }

  Status insert_message(const Message& m) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("INSERT INTO messages (id, request_id, "
                                                 "author_user_id, author_org_id, body, created_at) "
                                                 "VALUES (?, ?, ?, ?, ?, ?)"));
    st->bind(1, m.id).bind(2, m.request_id).bind(3, m.author_user_id).bind(4, m.author_org_id);
    st->bind(5, m.body).bind(6, m.created_at);
    return st->run();
  }

  Status insert_attachment(const Attachment& a) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO attachments (id, request_id, uploader_user_id, "
                            "uploader_org_id, name, media_type, size, "
                            "sha256, purpose, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, a.id).bind(2, a.request_id).bind(3, a.uploader_user_id).bind(4, a.uploader_org_id);
    st->bind(5, a.name)
        .bind(6, a.media_type)
        .bind(7, static_cast<std::int64_t>(a.size))
        .bind(8, a.sha256);
    st->bind(9, std::string(attachment_purpose_name(a.purpose))).bind(10, a.created_at);
    return st->run();
  }

  Status insert_ledger_entry(const LedgerEntryRecord& e) override {
    if (e.leaf_hash.size() != 32) return Error::internal("a leaf hash is 32 bytes");
    LIAISON_ASSIGN_OR_RETURN(std::int64_t size, ledger_size());
    if (e.leaf_index != size) {
      return Error::internal("ledger append at " + std::to_string(e.leaf_index) +
                             " but the log holds " + std::to_string(size) + " entries");
    }
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO ledger_entries (leaf_index, entry, leaf_hash, salt, "
                            "content, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, e.leaf_index).bind(2, e.entry).bind_blob(3, e.leaf_hash).bind_blob(4, e.salt);
    st->bind(5, e.content).bind(6, e.request_id).bind(7, e.created_at);
    LIAISON_TRY(st->run());
    LIAISON_ASSIGN_OR_RETURN(
        auto tile, c_.prepare("INSERT INTO ledger_tiles (tile_index, hashes) VALUES (?, ?) "
                              "ON CONFLICT (tile_index) DO UPDATE SET hashes = CAST(hashes || "
                              "excluded.hashes AS BLOB)"));
    tile->bind(1, e.leaf_index / kLedgerTileLeaves).bind_blob(2, e.leaf_hash);
    return tile->run();
  }

  Status put_ledger_node(int level, std::int64_t index, const std::string& hash) override {
    if (level < kLedgerTileHeight) return Error::internal("the bottom levels are in tiles");
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("INSERT INTO ledger_nodes (node_key, hash) VALUES (?, ?)"));
    st->bind(1, ledger_node_key(level, index)).bind_blob(2, hash);
    return st->run();
  }

  Status put_ledger_cosignature(const LedgerCosignatureRecord& c) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO ledger_cosignatures (tree_size, witness, line, added_by, "
                            "added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    st->bind(1, c.tree_size).bind(2, c.witness).bind(3, c.line).bind(4, c.added_by);
    st->bind(5, c.added_at);
    return st->run();
  }

  Status insert_ledger_checkpoint(const LedgerCheckpointRecord& c) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("INSERT INTO ledger_checkpoints (tree_size, root, note, "
                                        "created_at) VALUES (?, ?, ?, ?)"));
    st->bind(1, c.tree_size).bind_blob(2, c.root).bind(3, c.note).bind(4, c.created_at);
    return conflict_as(st->run(), "tree_size", "a checkpoint of this size was published");
  }

  Status insert_evidence_upload(const EvidenceUpload& u) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO evidence_uploads (id, request_id, user_id, org_id, size, "
                            "received, state, package_id, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, u.id).bind(2, u.request_id).bind(3, u.user_id).bind(4, u.org_id);
    st->bind(5, static_cast<std::int64_t>(u.size)).bind(6, static_cast<std::int64_t>(u.received));
    st->bind(7, std::string(upload_state_name(u.state)));
    st->bind(8, u.package_id).bind(9, u.created_at).bind(10, u.updated_at);
    return st->run();
  }

  Status update_evidence_upload(const EvidenceUpload& u, std::uint64_t expected_received) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE evidence_uploads SET received = ?, state = ?, package_id = ?, "
                            "updated_at = ? WHERE id = ? AND received = ? AND state = 'open'"));
    st->bind(1, static_cast<std::int64_t>(u.received));
    st->bind(2, std::string(upload_state_name(u.state)));
    st->bind(3, u.package_id).bind(4, u.updated_at).bind(5, u.id);
    st->bind(6, static_cast<std::int64_t>(expected_received));
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) {
      Error e = Error::invalid("Content-Range", "another part of this upload was stored first");
      e.code = ErrorCode::kConflict;
      return e;
    }
    return Ok{};
  }

  Status insert_evidence_package(const EvidencePackage& p) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO evidence_packages (id, request_id, attachment_id, statement, "
                   "statement_sha256, signer_key_id, item_count, total_size, "
                   "package_bytes, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, p.id).bind(2, p.request_id).bind(3, p.attachment_id).bind(4, p.statement);
    st->bind(5, p.statement_sha256).bind(6, p.signer_key_id);
    st->bind(7, static_cast<std::int64_t>(p.item_count))
        .bind(8, static_cast<std::int64_t>(p.total_size))
        .bind(9, static_cast<std::int64_t>(p.package_bytes));
    st->bind(10, p.registered_at);
    return conflict_as(st->run(), "package_id", "a package with this id is registered already");
  }

  Result<std::int64_t> insert_custody_event(const CustodyEvent& e) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO custody_events (request_id, package_id, upload_id, kind, "
                            "user_id, org_id, token_id, first_byte, last_byte, outcome, detail, "
                            "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const auto opt_int = [](const std::optional<std::uint64_t>& v) {
      return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(*v)) : std::nullopt;
    };
    st->bind(1, e.request_id).bind(2, e.package_id).bind(3, e.upload_id).bind(4, e.kind);
    st->bind(5, e.user_id).bind(6, e.org_id).bind(7, e.token_id);
    st->bind(8, opt_int(e.first_byte)).bind(9, opt_int(e.last_byte)).bind(10, e.outcome);
    st->bind(11, e.detail).bind(12, e.at);
    LIAISON_TRY(st->run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.raw()));
  }

  // --- holds and reminders ---

  Status insert_hold(const LegalHold& h) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO legal_holds (id, provider_org_id, issuer_org_id, "
                            "request_id, scope_json, created_at, created_by, expires_at, status, "
                            "released_at, released_by, release_reason, expired_at) VALUES (?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, h.id).bind(2, h.provider_org_id).bind(3, h.issuer_org_id).bind(4, h.request_id);
    st->bind(5, encode_hold_scope(h.scope).dump()).bind(6, h.created_at).bind(7, h.created_by);
    st->bind(8, h.expires_at).bind(9, std::string(hold_status_name(h.status)));
    st->bind(10, h.released_at).bind(11, h.released_by).bind(12, h.release_reason);
    st->bind(13, h.expired_at);
    return st->run();
  }

  Status update_hold(const LegalHold& h) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE legal_holds SET expires_at = ?, status = ?, released_at = ?, "
                            "released_by = ?, release_reason = ?, expired_at = ? WHERE id = ?"));
    st->bind(1, h.expires_at).bind(2, std::string(hold_status_name(h.status)));
    st->bind(3, h.released_at).bind(4, h.released_by).bind(5, h.release_reason);
    st->bind(6, h.expired_at).bind(7, h.id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("hold " + h.id);
    return Ok{};
  }

  Status insert_hold_renewal(const std::string& hold_id, const HoldRenewal& r) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO legal_hold_renewals (hold_id, at, previous_expiry, "
                            "new_expiry, by_user_id, by_org_id) VALUES (?, ?, ?, ?, ?, ?)"));
    st->bind(1, hold_id).bind(2, r.at).bind(3, r.previous_expiry).bind(4, r.new_expiry);
    st->bind(5, r.by_user_id).bind(6, r.by_org_id);
    return st->run();
  }

  Result<bool> insert_reminder(const Reminder& r) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO reminders (id, request_id, org_id, kind, due_at, created_at, "
                   "delivered_at, delivered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (request_id, kind, due_at) DO NOTHING"));
    st->bind(1, r.id).bind(2, r.request_id).bind(3, r.org_id).bind(4, r.kind);
    st->bind(5, r.due_at).bind(6, r.created_at).bind(7, r.delivered_at).bind(8, r.delivered_by);
    LIAISON_TRY(st->run());
    return sqlite3_changes(c_.raw()) > 0;
  }

  Status mark_reminder_delivered(const std::string& id, const std::string& at,
                                 const std::string& by_user_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("UPDATE reminders SET delivered_at = ?, delivered_by = ? WHERE id = ?"));
    st->bind(1, at).bind(2, by_user_id).bind(3, id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("reminder " + id);
    return Ok{};
  }

  Status insert_idempotency(const IdempotencyRecord& r) override {
    LIAISON_ASSIGN_OR_RETURN(auto st,
                             c_.prepare("INSERT INTO idempotency_keys (principal_id, key, "
                                        "fingerprint, resource_kind, resource_id, created_at) "
                                        "VALUES (?, ?, ?, ?, ?, ?)"));
    st->bind(1, r.principal_id).bind(2, r.key).bind(3, r.fingerprint).bind(4, r.resource_kind);
    st->bind(5, r.resource_id).bind(6, r.created_at);
    return st->run();
  }

  // --- Trust ---

  Status insert_certificate(const StoredCertificate& c) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO trust_certificates (fingerprint, key_id, serial, kind, "
                   "trusted_root, subject_name, country, org_country, org_endpoint_uid, "
                   "not_before, not_after, issuer_key_id, certificate_json, added_by, added_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, c.fingerprint).bind(2, c.key_id).bind(3, c.serial).bind(4, c.kind);
    st->bind(5, std::int64_t{c.trusted_root ? 1 : 0}).bind(6, c.subject_name).bind(7, c.country);
    st->bind(8, c.org_country).bind(9, c.org_endpoint_uid).bind(10, c.not_before);
    st->bind(11, c.not_after).bind(12, c.issuer_key_id).bind(13, c.certificate_json);
    st->bind(14, c.added_by).bind(15, c.added_at);
    return conflict_as(st->run(), "certificate", "is already in this hub's trust store");
  }

  Status set_trusted_root(const std::string& fingerprint, bool trusted) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("UPDATE trust_certificates SET trusted_root = ? "
                                                 "WHERE fingerprint = ? AND kind = 'root'"));
    st->bind(1, std::int64_t{trusted ? 1 : 0}).bind(2, fingerprint);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("root certificate " + fingerprint);
    return Ok{};
  }

  Status put_revocation_list(const StoredRevocationList& l) override {
    // An issuer's lists only move forward: a replayed older list must not
    // un-revoke a key.
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO trust_revocation_lists (issuer_key_id, number, issued_at, "
                   "list_json, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                   "ON CONFLICT (issuer_key_id) DO UPDATE SET number = ?2, issued_at = ?3, "
                   "list_json = ?4, added_by = ?5, added_at = ?6 "
                   "WHERE trust_revocation_lists.number < ?2"));
    st->bind(1, l.issuer_key_id).bind(2, l.number).bind(3, l.issued_at).bind(4, l.list_json);
    st->bind(5, l.added_by).bind(6, l.added_at);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) {
      Error e = Error::invalid("number",
                               "is not higher than the number of the list already held "
                               "for this issuer");
      e.code = ErrorCode::kConflict;
      return e;
    }
    return Ok{};
  }

  Status put_request_signatures(const RequestSignatures& s) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO request_signatures (request_id, envelope_json, digest, "
                   "updated_at, verified_ok, report_json, verified_at, summary_json) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (request_id) DO "
                   "UPDATE SET envelope_json = ?2, digest = ?3, updated_at = ?4, "
                   "verified_ok = ?5, report_json = ?6, verified_at = ?7, summary_json = ?8"));
    st->bind(1, s.request_id).bind(2, s.envelope_json).bind(3, s.digest).bind(4, s.updated_at);
    st->bind(5, s.verified_ok ? std::optional<std::int64_t>(*s.verified_ok ? 1 : 0)
                              : std::optional<std::int64_t>());
    st->bind(6, s.report_json).bind(7, s.verified_at).bind(8, s.summary_json);
    return st->run();
  }

  Status put_signing_policy(const SigningPolicy& p) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO signing_policies (org_id, validators, supervisors, "
                            "follow_up_hours, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                            "?6) ON CONFLICT (org_id) DO UPDATE SET validators = ?2, supervisors "
                            "= ?3, follow_up_hours = ?4, updated_by = ?5, updated_at = ?6"));
    st->bind(1, p.org_id).bind(2, p.validators).bind(3, p.supervisors).bind(4, p.follow_up_hours);
    st->bind(5, p.updated_by).bind(6, p.updated_at);
    return st->run();
  }

  Status record_issuer_activity(const std::string& issuer_org_id,
                                const std::string& provider_org_id, const std::string& day,
                                bool emergency, const std::string& request_id,
                                const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto day_st,
        c_.prepare("INSERT INTO issuer_daily_activity (issuer_org_id, day, received, emergency) "
                   "VALUES (?1, ?2, 1, ?3) ON CONFLICT (issuer_org_id, day) DO UPDATE SET "
                   "received = issuer_daily_activity.received + 1, emergency = "
                   "issuer_daily_activity.emergency + ?3"));
    day_st->bind(1, issuer_org_id).bind(2, day).bind(3, std::int64_t{emergency ? 1 : 0});
    LIAISON_TRY(day_st->run());
    LIAISON_ASSIGN_OR_RETURN(
        auto first_st,
        c_.prepare("INSERT INTO issuer_provider_contacts (issuer_org_id, provider_org_id, "
                   "first_request_id, first_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    first_st->bind(1, issuer_org_id).bind(2, provider_org_id).bind(3, request_id).bind(4, at);
    return first_st->run();
  }

  Status insert_seen(const std::string& value, const std::string& request_id,
                     const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("INSERT INTO seen_nonces (value, request_id, seen_at) VALUES (?, ?, ?)"));
    st->bind(1, value).bind(2, request_id).bind(3, at);
    return conflict_as(st->run(), "nonce", "was seen before");
  }

  Status put_credentials(const Credentials& c) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO credentials (user_id, password_hash, totp_secret_sealed, "
                            "totp_confirmed_at, totp_last_step, failed_logins, locked_until, "
                            "password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                            "ON CONFLICT (user_id) DO UPDATE SET password_hash = ?2, "
                            "totp_secret_sealed = ?3, totp_confirmed_at = ?4, totp_last_step = ?5, "
                            "failed_logins = ?6, locked_until = ?7, password_changed_at = ?8"));
    st->bind(1, c.user_id).bind(2, c.password_hash).bind(3, c.totp_secret_sealed);
    st->bind(4, c.totp_confirmed_at).bind(5, c.totp_last_step).bind(6, c.failed_logins);
    st->bind(7, c.locked_until).bind(8, c.password_changed_at);
    return st->run();
  }

  Status replace_recovery_codes(const std::string& user_id,
                                const std::vector<std::string>& code_hashes) override {
    LIAISON_ASSIGN_OR_RETURN(auto del, c_.prepare("DELETE FROM recovery_codes WHERE user_id = ?"));
    del->bind(1, user_id);
    LIAISON_TRY(del->run());
    del.reset();
    for (const auto& h : code_hashes) {
      LIAISON_ASSIGN_OR_RETURN(
          auto ins, c_.prepare("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)"));
      ins->bind(1, user_id).bind(2, h);
      LIAISON_TRY(ins->run());
    }
    return Ok{};
  }

  Status use_recovery_code(const std::string& user_id, const std::string& code_hash,
                           const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("UPDATE recovery_codes SET used_at = ? WHERE "
                                                 "user_id = ? AND code_hash = ? AND used_at IS "
                                                 "NULL"));
    st->bind(1, at).bind(2, user_id).bind(3, code_hash);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("unused recovery code");
    return Ok{};
  }

  Status insert_session(const SessionRecord& s) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO sessions (id, user_id, session_hash, csrf_hash, "
                            "created_at, last_seen_at, expires_at, revoked_at, remote_address) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, s.id).bind(2, s.user_id).bind(3, s.session_hash).bind(4, s.csrf_hash);
    st->bind(5, s.created_at).bind(6, s.last_seen_at).bind(7, s.expires_at);
    st->bind(8, s.revoked_at).bind(9, s.remote_address);
    return st->run();
  }

  Status touch_session(const std::string& id, const std::string& last_seen_at) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("UPDATE sessions SET last_seen_at = ?1 WHERE "
                                                 "id = ?2 AND last_seen_at < ?1"));
    st->bind(1, last_seen_at).bind(2, id);
    return st->run();
  }

  Status revoke_session(const std::string& id, const std::string& at) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st,
        c_.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    st->bind(1, at).bind(2, id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("active session " + id);
    return Ok{};
  }

  Result<std::int64_t> revoke_sessions_of_user(
      const std::string& user_id, const std::string& at,
      const std::optional<std::string>& except_id) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND "
                            "revoked_at IS NULL AND (?3 IS NULL OR id <> ?3)"));
    st->bind(1, at).bind(2, user_id).bind(3, except_id);
    LIAISON_TRY(st->run());
    return std::int64_t{sqlite3_changes(c_.raw())};
  }

  Status set_user_disabled(const std::string& user_id, bool disabled) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("UPDATE users SET disabled = ? WHERE id = ?"));
    st->bind(1, std::int64_t{disabled}).bind(2, user_id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("user " + user_id);
    return Ok{};
  }

  Status insert_account_event(const AccountEvent& e) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO account_events (at, actor_user_id, subject_user_id, "
                            "org_id, type, detail, remote_address) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, e.at).bind(2, e.actor_user_id).bind(3, e.subject_user_id).bind(4, e.org_id);
    st->bind(5, e.type).bind(6, e.detail).bind(7, e.remote_address);
    return st->run();
  }

  Status insert_directory_entry(const DirectoryEntryRecord& e) override {
    auto existing = get_directory_entry(e.id);
    if (existing.ok()) return conflict("id", "an entry with this id exists");
    if (existing.error().code != ErrorCode::kNotFound) return existing.take_error();
    LIAISON_TRY(check_org_unclaimed(e));
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO directory_entries (id, version, name, legal_entity, "
                            "establishment_country, categories, hub_org_id, entry_json, "
                            "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    bind_directory_entry(*st, e);
    LIAISON_TRY(st->run());
    return insert_directory_revision(e);
  }

  Status update_directory_entry(const DirectoryEntryRecord& e,
                                std::int64_t expected_version) override {
    LIAISON_ASSIGN_OR_RETURN(DirectoryEntryRecord current, get_directory_entry(e.id));
    if (current.version != expected_version) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "directory entry " + e.id + " is at version " +
                             std::to_string(current.version) + ", not " +
                             std::to_string(expected_version));
    }
    if (e.version != expected_version + 1) {
      return Error::internal("a directory entry's new version must follow the stored one");
    }
    LIAISON_TRY(check_org_unclaimed(e));
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE directory_entries SET id = ?1, version = ?2, name = ?3, "
                            "legal_entity = ?4, establishment_country = ?5, categories = ?6, "
                            "hub_org_id = ?7, entry_json = ?8, updated_by = ?9, updated_at = ?10 "
                            "WHERE id = ?1 AND version = ?11"));
    bind_directory_entry(*st, e);
    st->bind(11, expected_version);
    LIAISON_TRY(st->run());
    return insert_directory_revision(e);
  }

  Status insert_hi1_object(const Hi1ObjectRecord& o) override {
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("INSERT INTO hi1_objects (" LIAISON_HI1_COLUMNS
                                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, o.owner_org_id).bind(2, o.object_id).bind(3, o.object_type);
    st->bind(4, nlohmann::json(o.associated).dump()).bind(5, o.request_id);
    st->bind(6, o.generation).bind(7, o.xml).bind(8, o.created_at).bind(9, o.last_changed);
    auto done = st->run();
    if (!done.ok() && done.error().code == ErrorCode::kConflict) {
      return conflict("ObjectIdentifier", "an object with this identifier exists");
    }
    return done;
  }

  Status insert_hi1_transfer(const Hi1Transfer& t) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO hi1_transfers (" LIAISON_TRANSFER_COLUMNS
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, t.id).bind(2, std::string(hi1_transfer_kind_name(t.kind))).bind(3, t.request_id);
    st->bind(4, t.package_id).bind(5, t.peer).bind(6, t.task_object_id);
    st->bind(7, std::string(hi1_transfer_state_name(t.state))).bind(8, t.remote_status);
    st->bind(9, t.delivery_id).bind(10, t.next_sequence);
    st->bind(11, static_cast<std::int64_t>(t.sent_bytes)).bind(12, t.attempts);
    st->bind(13, t.last_error).bind(14, t.next_attempt_at).bind(15, t.created_at);
    st->bind(16, t.updated_at);
    auto done = st->run();
    if (!done.ok() && done.error().code == ErrorCode::kConflict) {
      return conflict("request_id", "this request has such a transfer already");
    }
    return done;
  }

  Status update_hi1_transfer(const Hi1Transfer& t) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE hi1_transfers SET peer = ?, task_object_id = ?, state = ?, "
                            "remote_status = ?, delivery_id = ?, next_sequence = ?, sent_bytes = "
                            "?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? "
                            "WHERE id = ?"));
    st->bind(1, t.peer).bind(2, t.task_object_id);
    st->bind(3, std::string(hi1_transfer_state_name(t.state))).bind(4, t.remote_status);
    st->bind(5, t.delivery_id).bind(6, t.next_sequence);
    st->bind(7, static_cast<std::int64_t>(t.sent_bytes)).bind(8, t.attempts);
    st->bind(9, t.last_error).bind(10, t.next_attempt_at).bind(11, t.updated_at).bind(12, t.id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("HI-1 transfer " + t.id);
    return Ok{};
  }

  Status put_hi1_inbound_delivery(const Hi1InboundDelivery& d) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT OR REPLACE INTO hi1_inbound_deliveries (owner_org_id, "
                            "delivery_id, request_id, next_sequence, received, package_id, "
                            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, d.owner_org_id).bind(2, d.delivery_id).bind(3, d.request_id);
    st->bind(4, d.next_sequence).bind(5, static_cast<std::int64_t>(d.received));
    st->bind(6, d.package_id).bind(7, d.created_at).bind(8, d.updated_at);
    return st->run();
  }

  Status update_hi1_object(const Hi1ObjectRecord& o) override {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("UPDATE hi1_objects SET request_id = ?, generation = ?, xml = ?, "
                            "last_changed = ? WHERE owner_org_id = ? AND object_id = ?"));
    st->bind(1, o.request_id).bind(2, o.generation).bind(3, o.xml).bind(4, o.last_changed);
    st->bind(5, o.owner_org_id).bind(6, o.object_id);
    LIAISON_TRY(st->run());
    if (sqlite3_changes(c_.raw()) == 0) return not_found("HI-1 object " + o.object_id);
    return Ok{};
  }

 private:
  static Error conflict(const std::string& field, const std::string& reason) {
    Error e = Error::invalid(field, reason);
    e.code = ErrorCode::kConflict;
    return e;
  }

  // An organisation on the hub is one provider: a second entry may not claim it.
  Status check_org_unclaimed(const DirectoryEntryRecord& e) {
    if (!e.hub_org_id) return Ok{};
    LIAISON_ASSIGN_OR_RETURN(auto st, c_.prepare("SELECT id FROM directory_entries WHERE "
                                                 "hub_org_id = ? AND id <> ?"));
    st->bind(1, e.hub_org_id).bind(2, e.id);
    LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
    if (row) {
      return conflict("contact/hub_org_id",
                      "directory entry " + st->text(0) + " already names this organisation");
    }
    return Ok{};
  }

  static void bind_directory_entry(Statement& st, const DirectoryEntryRecord& e) {
    std::string framed = ",";
    for (const auto& c : e.categories) framed += c + ",";
    st.bind(1, e.id).bind(2, e.version).bind(3, e.name).bind(4, e.legal_entity);
    st.bind(5, e.establishment_country).bind(6, framed).bind(7, e.hub_org_id);
    st.bind(8, e.entry_json).bind(9, e.updated_by).bind(10, e.updated_at);
  }

  Status insert_directory_revision(const DirectoryEntryRecord& e) {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("INSERT INTO directory_revisions (entry_id, version, entry_json, "
                            "updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"));
    st->bind(1, e.id).bind(2, e.version).bind(3, e.entry_json).bind(4, e.updated_by);
    st->bind(5, e.updated_at);
    return st->run();
  }

 public:
 private:
  static Status conflict_as(Status s, const std::string& field, const std::string& reason) {
    if (s.ok() || s.error().code != ErrorCode::kConflict) return s;
    Error e = Error::invalid(field, reason);
    e.code = ErrorCode::kConflict;
    return e;
  }

  // Row readers take the column where their fields start, so joins can reuse them.
  static Organisation org_from(const Statement& st, int c = 0) {
    Organisation o;
    o.id = st.text(c);
    o.kind = org_kind_from_name(st.text(c + 1)).value_or(OrgKind::kAuthority);
    o.name = st.text(c + 2);
    o.country = st.text(c + 3);
    o.endpoint_uid = st.text(c + 4);
    o.created_at = st.text(c + 5);
    if (auto type = st.optional_text(c + 6)) o.authority_type = authority_type_from_name(*type);
    return o;
  }

  static Result<User> user_from(const Statement& st, int c = 0) {
    User u;
    u.id = st.text(c);
    u.org_id = st.optional_text(c + 1);
    u.name = st.text(c + 2);
    u.email = st.text(c + 3);
    LIAISON_ASSIGN_OR_RETURN(u.roles, Roles::parse(st.text(c + 4), "roles"));
    u.hub_admin = st.integer(c + 5) != 0;
    u.disabled = st.integer(c + 6) != 0;
    u.created_at = st.text(c + 7);
    return u;
  }

  static Result<TokenRecord> token_from(const Statement& st) {
    TokenRecord t{st.text(0), st.text(1),          st.text(2),          st.text(3),
                  st.text(4), st.optional_text(5), st.optional_text(6), {}};
    LIAISON_ASSIGN_OR_RETURN(t.scopes, Scopes::parse(st.text(7), "scopes"));
    return t;
  }

  static Credentials credentials_from(const Statement& st) {
    Credentials c;
    c.user_id = st.text(0);
    c.password_hash = st.optional_text(1);
    c.totp_secret_sealed = st.optional_text(2);
    c.totp_confirmed_at = st.optional_text(3);
    if (!st.is_null(4)) c.totp_last_step = st.integer(4);
    c.failed_logins = st.integer(5);
    c.locked_until = st.optional_text(6);
    c.password_changed_at = st.optional_text(7);
    return c;
  }

  static SessionRecord session_from(const Statement& st) {
    return SessionRecord{st.text(0), st.text(1), st.text(2),          st.text(3), st.text(4),
                         st.text(5), st.text(6), st.optional_text(7), st.text(8)};
  }

  static Result<Request> request_from(const Statement& st) {
    Request r;
    r.id = st.text(1);
    r.reference = st.text(2);
    r.issuer_org_id = st.text(3);
    auto status = request_status_from_name(st.text(4));
    if (!status) return Error::internal("stored request has unknown status " + st.text(4));
    r.status = *status;
    r.created_by = st.text(5);
    r.created_at = st.text(6);
    r.updated_at = st.text(7);
    r.submitted_at = st.optional_text(8);
    r.preserved_until = st.optional_text(9);
    r.version = st.integer(10);
    auto draft = nlohmann::json::parse(st.text(11), nullptr, false);
    LIAISON_ASSIGN_OR_RETURN(r.draft, decode_stored_draft(draft));
    r.warnings = decode_warnings(nlohmann::json::parse(st.text(12), nullptr, false));
    r.due_at = st.optional_text(13);
    r.due_rule = st.text(14);
    r.quarantine_reason = st.optional_text(15);
    r.follow_up_due = st.optional_text(16);
    r.follow_up_done_at = st.optional_text(17);
    r.follow_up_escalated_at = st.optional_text(18);
    r.user_notification_permitted_at = st.optional_text(19);
    r.user_notified_at = st.optional_text(20);
    r.user_notified_by = st.optional_text(21);
    r.validator_org_id = st.optional_text(22);
    return r;
  }

  // The deadline lists filter and sort on: the earlier of the authority's own
  // and the one the hub computed. Both are whole-second UTC text, which sorts
  // like the instants.
  static std::optional<std::string> effective_deadline(const Request& r) {
    if (!r.due_at) return r.draft.deadline;
    if (!r.draft.deadline) return r.due_at;
    return std::min(*r.due_at, *r.draft.deadline);
  }

  // Binds due_at … validator_org_id, eleven columns from `first`.
  static void bind_computed(Statement& st, int first, const Request& r) {
    st.bind(first, r.due_at).bind(first + 1, r.due_rule).bind(first + 2, r.quarantine_reason);
    st.bind(first + 3, r.follow_up_due)
        .bind(first + 4, r.follow_up_done_at)
        .bind(first + 5, r.follow_up_escalated_at);
    st.bind(first + 6, r.draft.non_disclosure_until)
        .bind(first + 7, r.user_notification_permitted_at)
        .bind(first + 8, r.user_notified_at)
        .bind(first + 9, r.user_notified_by)
        .bind(first + 10, r.validator_org_id);
  }

  static Result<LegalHold> hold_from(const Statement& st) {
    LegalHold h;
    h.id = st.text(1);
    h.provider_org_id = st.text(2);
    h.issuer_org_id = st.text(3);
    h.request_id = st.text(4);
    auto scope = nlohmann::json::parse(st.text(5), nullptr, false);
    LIAISON_ASSIGN_OR_RETURN(h.scope, decode_stored_hold_scope(scope));
    h.created_at = st.text(6);
    h.created_by = st.text(7);
    h.expires_at = st.text(8);
    auto status = hold_status_from_name(st.text(9));
    if (!status) return Error::internal("stored hold has unknown status " + st.text(9));
    h.status = *status;
    h.released_at = st.optional_text(10);
    h.released_by = st.optional_text(11);
    h.release_reason = st.optional_text(12);
    h.expired_at = st.optional_text(13);
    return h;
  }

  Status read_renewals(LegalHold& h) {
    LIAISON_ASSIGN_OR_RETURN(
        auto st, c_.prepare("SELECT at, previous_expiry, new_expiry, by_user_id, by_org_id FROM "
                            "legal_hold_renewals WHERE hold_id = ? ORDER BY seq"));
    st->bind(1, h.id);
    LIAISON_ASSIGN_OR_RETURN(
        h.renewals, all_rows(*st, [](const Statement& row) {
          return HoldRenewal{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4)};
        }));
    return Ok{};
  }

  static Result<Hi1Transfer> transfer_from(const Statement& st) {
    Hi1Transfer t;
    t.id = st.text(0);
    auto kind = hi1_transfer_kind_from_name(st.text(1));
    auto state = hi1_transfer_state_from_name(st.text(6));
    if (!kind || !state) return Error::internal("hi1_transfers row " + t.id + " is unreadable");
    t.kind = *kind;
    t.request_id = st.text(2);
    t.package_id = st.text(3);
    t.peer = st.text(4);
    t.task_object_id = st.text(5);
    t.state = *state;
    t.remote_status = st.text(7);
    t.delivery_id = st.text(8);
    t.next_sequence = st.integer(9);
    t.sent_bytes = static_cast<std::uint64_t>(st.integer(10));
    t.attempts = st.integer(11);
    t.last_error = st.optional_text(12);
    t.next_attempt_at = st.text(13);
    t.created_at = st.text(14);
    t.updated_at = st.text(15);
    return t;
  }

  static Result<Hi1ObjectRecord> hi1_object_from(const Statement& st) {
    Hi1ObjectRecord o;
    o.owner_org_id = st.text(0);
    o.object_id = st.text(1);
    o.object_type = st.text(2);
    auto associated = nlohmann::json::parse(st.text(3), nullptr, false);
    if (!associated.is_array()) return Error::internal("hi1_objects.associated_json is not a list");
    for (const auto& a : associated) {
      if (!a.is_string()) return Error::internal("hi1_objects.associated_json holds a non-string");
      o.associated.push_back(a.get<std::string>());
    }
    o.request_id = st.optional_text(4);
    o.generation = st.integer(5);
    o.xml = st.text(6);
    o.created_at = st.text(7);
    o.last_changed = st.text(8);
    return o;
  }

  static Reminder reminder_from(const Statement& st) {
    return Reminder{st.text(0), st.text(1), st.text(2),          st.text(3),
                    st.text(4), st.text(5), st.optional_text(6), st.optional_text(7)};
  }

  static Message message_from(const Statement& st) {
    return Message{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
  }

  static EvidencePackage package_from(const Statement& st) {
    EvidencePackage p;
    p.id = st.text(0);
    p.request_id = st.text(1);
    p.attachment_id = st.text(2);
    p.statement = st.text(3);
    p.statement_sha256 = st.text(4);
    p.signer_key_id = st.text(5);
    p.item_count = static_cast<std::uint64_t>(st.integer(6));
    p.total_size = static_cast<std::uint64_t>(st.integer(7));
    p.package_bytes = static_cast<std::uint64_t>(st.integer(8));
    p.registered_at = st.text(9);
    return p;
  }

  static Attachment attachment_from(const Statement& st) {
    Attachment a;
    a.id = st.text(0);
    a.request_id = st.text(1);
    a.uploader_user_id = st.text(2);
    a.uploader_org_id = st.text(3);
    a.name = st.text(4);
    a.media_type = st.text(5);
    a.size = static_cast<std::uint64_t>(st.integer(6));
    a.sha256 = st.text(7);
    a.purpose = attachment_purpose_from_name(st.text(8)).value_or(AttachmentPurpose::kDocument);
    a.created_at = st.text(9);
    return a;
  }

  Connection& c_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, std::unique_ptr<Connection> checkpointer,
              std::vector<std::unique_ptr<Connection>> readers, SqliteOptions options)
      : writer_(std::move(writer)), checkpointer_(std::move(checkpointer)), options_(options) {
    for (auto& r : readers) idle_readers_.push_back(std::move(r));
    commit_thread_ = std::thread([this] { commit_loop(); });
    checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    jobs_cv_.notify_all();
    checkpoint_cv_.notify_all();
    commit_thread_.join();
    checkpoint_thread_.join();
  }

  Status read(const std::function<Status(ReadTx&)>& fn) override {
    // A read inside a read on the same thread joins the outer transaction:
    // it sees the same snapshot and costs no second connection.
    if (ActiveRead* outer = active_read_; outer != nullptr && outer->store == this)
      return call_read(fn, *outer->tx);
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    Status result = run_read(*conn, fn);
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(std::move(conn));
    }
    readers_cv_.notify_one();
    return result;
  }

  Status write(const std::function<Status(WriteTx&)>& fn) override {
    Job job;
    job.fn = &fn;
    {
      std::unique_lock lock(mu_);
      if (stopping_) return Error::make(ErrorCode::kUnavailable, "the store is shutting down");
      queue_.push_back(&job);
      jobs_cv_.notify_one();
      job.done_cv.wait(lock, [&] { return job.done; });
    }
    return std::move(job.result);
  }

  Status check_integrity() override {
    return read([](ReadTx& tx) -> Status {
      auto& conn = static_cast<SqliteTx&>(tx).connection();
      LIAISON_ASSIGN_OR_RETURN(auto st, conn.prepare("PRAGMA integrity_check"));
      LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
      if (!row || st->text(0) != "ok") {
        return Error::internal("database integrity check failed: " +
                               (row ? st->text(0) : std::string("no result")));
      }
      return Ok{};
    });
  }

 private:
  struct Job {
    const std::function<Status(WriteTx&)>* fn = nullptr;
    Status result;
    bool done = false;
    std::condition_variable done_cv;
  };

  struct ActiveRead {
    const SqliteStore* store;
    SqliteTx* tx;
  };
  static thread_local ActiveRead* active_read_;

  static Status call_read(const std::function<Status(ReadTx&)>& fn, SqliteTx& tx) {
    try {
      return fn(tx);
    } catch (const std::exception& e) {
      return Error::internal(std::string("read failed: ") + e.what());
    } catch (...) {
      // Anything escaping here would leak this connection from the pool
      // with its transaction still open.
      return Error::internal("read failed: unknown exception");
    }
  }

  Status run_read(Connection& conn, const std::function<Status(ReadTx&)>& fn) {
    LIAISON_ASSIGN_OR_RETURN(auto begin, conn.prepare("BEGIN"));
    LIAISON_TRY(begin->run());
    SqliteTx tx(conn);
    ActiveRead active{this, &tx};
    ActiveRead* outer = active_read_;  // a read of another store, if any
    active_read_ = &active;
    Status result = call_read(fn, tx);
    active_read_ = outer;
    auto commit = conn.prepare("COMMIT");
    if (commit.ok()) (void)commit.value()->run();
    return result;
  }

  // Copies the WAL back into the database beside the writer. SQLite's own
  // automatic checkpoint still runs on the commit thread, every
  // wal_autocheckpoint pages, because only a checkpoint by the writer lets the
  // next write start the WAL afresh under sustained load. This thread does the
  // bulk of the copying beforehand (PASSIVE: it never waits for or blocks
  // anyone), so that checkpoint finds little left to copy and the writes
  // queued behind it wait less.
  void checkpoint_loop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(options_.checkpoint_interval_ms));
      if (stopping_) break;
      lock.unlock();
      int log_frames = 0, copied = 0;
      sqlite3_wal_checkpoint_v2(checkpointer_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                &log_frames, &copied);
      lock.lock();
    }
  }

  void commit_loop() {
    SqliteTx tx(*writer_);
    for (;;) {
      std::vector<Job*> batch;
      {
        std::unique_lock lock(mu_);
        jobs_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      run_batch(tx, batch);
      {
        std::lock_guard lock(mu_);
        for (Job* j : batch) {
          j->done = true;
          j->done_cv.notify_one();
        }
      }
    }
  }

  // The batch's own statements run once or twice per job on the single
  // commit thread: prepare them once rather than parse them every time.
  Status run_cached(const char* sql) {
    LIAISON_ASSIGN_OR_RETURN(auto st, writer_->prepare(sql));
    return st->run();
  }

  void run_batch(SqliteTx& tx, const std::vector<Job*>& batch) {
    Status begun = run_cached("BEGIN IMMEDIATE");
    if (!begun.ok()) {
      for (Job* j : batch) j->result = begun;
      return;
    }
    bool any_ok = false;
    for (Job* j : batch) {
      // Each job gets its own savepoint, so one failing job leaves the
      // others' writes in the shared commit untouched.
      Status sp = run_cached("SAVEPOINT job");
      if (!sp.ok()) {
        j->result = sp;
        continue;
      }
      Status r = [&]() -> Status {
        try {
          return (*j->fn)(tx);
        } catch (const std::exception& e) {
          return Error::internal(std::string("write failed: ") + e.what());
        } catch (...) {
          // This runs on the commit thread: an escaping exception would
          // terminate the process, not just fail this job.
          return Error::internal("write failed: unknown exception");
        }
      }();
      if (r.ok()) {
        (void)run_cached("RELEASE job");
        any_ok = true;
      } else {
        (void)run_cached("ROLLBACK TO job");
        (void)run_cached("RELEASE job");
      }
      j->result = std::move(r);
      if (sqlite3_get_autocommit(writer_->raw()) != 0) {
        // Some errors (I/O, disk full) make SQLite abandon the whole
        // transaction, savepoints and all. Jobs reported OK so far were never
        // committed: fail them, and every job not yet run.
        Error lost = Error::make(ErrorCode::kUnavailable, "the database abandoned the transaction");
        for (Job* k : batch) {
          if (k->result.ok()) k->result = lost;
        }
        return;
      }
    }
    Status committed = any_ok ? run_cached("COMMIT") : run_cached("ROLLBACK");
    if (!committed.ok()) {
      (void)writer_->exec("ROLLBACK");
      for (Job* j : batch) {
        if (j->result.ok()) j->result = committed;
      }
    }
  }

  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> checkpointer_;
  SqliteOptions options_;

  std::mutex mu_;
  std::condition_variable jobs_cv_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::thread commit_thread_;
  std::condition_variable checkpoint_cv_;
  std::thread checkpoint_thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

thread_local SqliteStore::ActiveRead* SqliteStore::active_read_ = nullptr;

Status migrate(Connection& conn) {
  LIAISON_ASSIGN_OR_RETURN(auto st, conn.prepare("PRAGMA user_version"));
  LIAISON_ASSIGN_OR_RETURN(bool row, st->step());
  std::int64_t current = row ? st->integer(0) : 0;
  st.reset();
  const auto& all = sqlite::migrations();
  if (!all.empty() && current > all.back().version) {
    return Error::make(
        ErrorCode::kUnavailable,
        "the database was written by a newer Liaison (schema " + std::to_string(current) + ")");
  }
  for (const auto& m : all) {
    if (m.version <= current) continue;
    LIAISON_TRY(conn.exec("BEGIN IMMEDIATE"));
    Status applied = conn.exec(m.sql);
    if (applied.ok()) applied = conn.exec("PRAGMA user_version = " + std::to_string(m.version));
    if (!applied.ok()) {
      (void)conn.exec("ROLLBACK");
      return Error::internal("migration " + std::to_string(m.version) +
                             " failed: " + applied.error().message);
    }
    LIAISON_TRY(conn.exec("COMMIT"));
  }
  return Ok{};
}

}  // namespace

const char* attachment_purpose_name(AttachmentPurpose p) {
  return p == AttachmentPurpose::kProduction ? "production" : "document";
}

const char* upload_state_name(UploadState s) {
  switch (s) {
    case UploadState::kOpen:
      return "open";
    case UploadState::kCompleted:
      return "completed";
    case UploadState::kRefused:
      return "refused";
  }
  return "open";
}

std::optional<AttachmentPurpose> attachment_purpose_from_name(std::string_view s) {
  if (s == "document") return AttachmentPurpose::kDocument;
  if (s == "production") return AttachmentPurpose::kProduction;
  return std::nullopt;
}

const char* hi1_transfer_kind_name(Hi1TransferKind k) {
  return k == Hi1TransferKind::kDeliver ? "deliver" : "forward";
}

const char* hi1_transfer_state_name(Hi1TransferState s) {
  switch (s) {
    case Hi1TransferState::kPending:
      return "pending";
    case Hi1TransferState::kSent:
      return "sent";
    case Hi1TransferState::kDone:
      return "done";
    case Hi1TransferState::kRefused:
      return "refused";
  }
  return "pending";
}

std::optional<Hi1TransferKind> hi1_transfer_kind_from_name(std::string_view s) {
  if (s == "forward") return Hi1TransferKind::kForward;
  if (s == "deliver") return Hi1TransferKind::kDeliver;
  return std::nullopt;
}

std::optional<Hi1TransferState> hi1_transfer_state_from_name(std::string_view s) {
  for (auto st : {Hi1TransferState::kPending, Hi1TransferState::kSent, Hi1TransferState::kDone,
                  Hi1TransferState::kRefused}) {
    if (s == hi1_transfer_state_name(st)) return st;
  }
  return std::nullopt;
}

namespace {
// Process-wide SQLite settings, made once before any connection opens.
// Memory statistics take a global mutex on every allocation, which all
// threads then queue on; nothing here reads them. Each connection is used by
// one thread at a time, so SQLite's per-connection mutexes are not needed.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
}
}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, SqliteOptions options) {
  configure_sqlite_once();
  LIAISON_ASSIGN_OR_RETURN(auto writer, Connection::open(path, false));
  LIAISON_TRY(migrate(*writer));
  LIAISON_TRY(writer->exec("PRAGMA wal_autocheckpoint = " +
                           std::to_string(options.wal_autocheckpoint_pages)));
  LIAISON_ASSIGN_OR_RETURN(auto checkpointer, Connection::open(path, false));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.readers; ++i) {
    LIAISON_ASSIGN_OR_RETURN(auto reader, Connection::open(path, false));
    LIAISON_TRY(reader->exec("PRAGMA query_only = 1"));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(
      std::move(writer), std::move(checkpointer), std::move(readers), options));
}

}  // namespace liaison
