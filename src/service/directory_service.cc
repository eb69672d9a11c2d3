#include "service/directory_service.h"

#include "core/organisation.h"
#include "service/cursor.h"

namespace liaison {

namespace {

using directory::Entry;

std::string actor_org(const Principal& p) {
  return p.org ? p.org->id : DirectoryService::kHubActor;
}

// How an entry stands to the caller: its own organisation's when the entry's
// hub organisation is the caller's.
Relation relation_to(const Principal& p, const Entry& e) {
  return e.contact.hub_org_id && p.member_of(*e.contact.hub_org_id) ? Relation::kOwn
                                                                    : Relation::kForeign;
}

DirectoryEntryRecord record_of(const Entry& e) {
  DirectoryEntryRecord r;
  r.id = e.id;
  r.version = e.version;
  r.name = e.name;
  r.legal_entity = e.legal_entity;
  r.establishment_country = e.establishment_country;
  for (DataCategory c : e.data_categories) r.categories.emplace_back(data_category_name(c));
  r.hub_org_id = e.contact.hub_org_id;
  r.entry_json = directory::to_json(e).dump();
  r.updated_by = e.updated_by;
  r.updated_at = e.updated_at;
  return r;
}

// Stored entries were validated when written; one that no longer decodes
// (a time zone dropped from the system's database) is reported, not hidden.
Result<Entry> entry_of(const std::string& stored_json, const std::string& id) {
  auto j = nlohmann::json::parse(stored_json, nullptr, false);
  auto e = directory::entry_from_json(j);
  if (!e.ok()) {
    return Error::internal("stored directory entry " + id +
                           " no longer decodes: " + e.error().message);
  }
  return e;
}

}  // namespace

Result<DirectoryList> DirectoryService::list(const Principal& p, const DirectoryQuery& q) {
  LIAISON_TRY(authorise(p, Action::kReadDirectory, Relation::kForeign,
                        "the directory is read by authenticated callers"));
  DirectoryFilter f;
  if (q.country) {
    LIAISON_TRY(validate_country(*q.country, "country"));
    f.country = q.country;
  }
  if (q.category) {
    if (!data_category_from_name(*q.category)) {
      return Error::invalid("category",
                            "must be SubscriberData, UserIdentifyingData, TrafficData or "
                            "StoredContentData");
    }
    f.category = q.category;
  }
  if (q.text) {
    if (q.text->empty() || q.text->size() > 200) {
      return Error::invalid("q", "must be 1-200 characters");
    }
    f.text = q.text;
  }
  if (q.cursor) {
    LIAISON_ASSIGN_OR_RETURN(f.after_seq, decode_cursor(*q.cursor));
  }
  f.limit = q.limit.value_or(kDefaultPageSize);
  if (f.limit < 1 || f.limit > kMaxPageSize) {
    return Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxPageSize));
  }
  DirectoryList out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(DirectoryPage page, tx.list_directory_entries(f));
    for (const auto& r : page.items) {
      LIAISON_ASSIGN_OR_RETURN(Entry e, entry_of(r.entry_json, r.id));
      out.items.push_back(std::move(e));
    }
    if (page.next_after_seq) out.next_cursor = encode_cursor(*page.next_after_seq);
    return Ok{};
  }));
  return out;
}

Result<Entry> DirectoryService::get(const Principal& p, const std::string& id) {
  LIAISON_TRY(authorise(p, Action::kReadDirectory, Relation::kForeign,
                        "the directory is read by authenticated callers"));
  Entry out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(DirectoryEntryRecord r, tx.get_directory_entry(id));
    LIAISON_ASSIGN_OR_RETURN(out, entry_of(r.entry_json, r.id));
    return Ok{};
  }));
  return out;
}

Result<std::vector<Entry>> DirectoryService::revisions(const Principal& p, const std::string& id) {
  LIAISON_TRY(authorise(p, Action::kReadDirectory, Relation::kForeign,
                        "the directory is read by authenticated callers"));
  std::vector<Entry> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto revisions, tx.list_directory_revisions(id));
    if (revisions.empty()) return Error::not_found("directory entry " + id + " not found");
    for (const auto& r : revisions) {
      LIAISON_ASSIGN_OR_RETURN(Entry e, entry_of(r.entry_json, id));
      out.push_back(std::move(e));
    }
    return Ok{};
  }));
  return out;
}

Status DirectoryService::store_entry(WriteTx& tx, const Entry& e, const std::string& actor_org,
                                     std::optional<std::int64_t> expected_version) {
  if (e.contact.hub_org_id) {
    auto org = tx.get_org(*e.contact.hub_org_id);
    if (!org.ok() || org->kind != OrgKind::kProvider) {
      return Error::invalid("contact/hub_org_id",
                            "no provider organisation with this id on this hub");
    }
  }
  DirectoryEntryRecord record = record_of(e);
  if (expected_version) {
    LIAISON_TRY(tx.update_directory_entry(record, *expected_version));
  } else {
    LIAISON_TRY(tx.insert_directory_entry(record));
  }
  return ledger_.append(tx,
                        {expected_version ? "directory.entry_updated" : "directory.entry_created",
                         std::nullopt,
                         actor_org,
                         std::nullopt,
                         clock_.now(),
                         {{"entry", directory::to_json(e)}}});
}

Result<Created<Entry>> DirectoryService::create(const Principal& p, const nlohmann::json& body,
                                                const std::optional<IdempotencyKey>& key) {
  // Refused before the body is read when the caller may create no entry at all.
  if (!permits(Action::kCreateDirectoryEntry, caller_of(p), Relation::kOwn)) {
    return Error::make(ErrorCode::kForbidden,
                       "directory entries are created by hub administrators and providers' org "
                       "admins");
  }
  LIAISON_ASSIGN_OR_RETURN(Entry e, directory::entry_from_json(body));
  LIAISON_TRY(authorise(p, Action::kCreateDirectoryEntry, relation_to(p, e),
                        "a provider's org admin creates only the entry whose contact/hub_org_id "
                        "is its own organisation"));
  Timestamp now = clock_.now();
  e.version = 1;
  e.updated_at = format_rfc3339_micros(now);
  e.updated_by = p.user.id;
  Created<Entry> out;
  std::string resource_id = e.id;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "directory_entry"));
    if (replay) {
      resource_id = *replay;
      out.replayed = true;
      return Ok{};
    }
    LIAISON_TRY(store_entry(tx, e, actor_org(p), std::nullopt));
    return remember(tx, p.user.id, key, "directory_entry", e.id, e.updated_at);
  }));
  if (out.replayed) {
    LIAISON_ASSIGN_OR_RETURN(out.value, get(p, resource_id));
  } else {
    out.value = std::move(e);
  }
  return out;
}

Result<Entry> DirectoryService::update(const Principal& p, const std::string& id,
                                       const nlohmann::json& body,
                                       std::optional<std::int64_t> if_match) {
  LIAISON_ASSIGN_OR_RETURN(Entry current, get(p, id));
  LIAISON_TRY(authorise(p, Action::kUpdateDirectoryEntry, relation_to(p, current),
                        "a provider's org admin edits only the entry whose contact/hub_org_id is "
                        "its own organisation; authorities do not edit the directory"));
  LIAISON_ASSIGN_OR_RETURN(Entry e, directory::entry_from_json(body));
  if (e.id != id) return Error::invalid("id", "must be the id of the entry edited, " + id);
  LIAISON_TRY(authorise(p, Action::kUpdateDirectoryEntry, relation_to(p, e),
                        "a provider's org admin cannot hand its entry to another organisation"));
  Timestamp now = clock_.now();
  e.updated_at = format_rfc3339_micros(now);
  e.updated_by = p.user.id;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    // The caller was authorised against `current`: what is replaced must be it.
    LIAISON_ASSIGN_OR_RETURN(DirectoryEntryRecord stored, tx.get_directory_entry(id));
    if (stored.version != current.version) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "directory entry " + id + " changed while it was being edited");
    }
    std::int64_t expected = if_match.value_or(current.version);
    e.version = expected + 1;
    return store_entry(tx, e, actor_org(p), expected);
  }));
  return e;
}

Result<int> DirectoryService::seed(const std::vector<Entry>& entries) {
  int added = 0;
  for (Entry e : entries) {
    e.version = 1;
    e.updated_at = format_rfc3339_micros(clock_.now());
    e.updated_by = kHubActor;
    bool inserted = false;
    LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
      auto existing = tx.get_directory_entry(e.id);
      if (existing.ok()) return Ok{};
      if (existing.error().code != ErrorCode::kNotFound) return existing.error();
      inserted = true;
      return store_entry(tx, e, kHubActor, std::nullopt);
    }));
    if (inserted) ++added;
  }
  return added;
}

Result<std::optional<ProviderProfile>> DirectoryService::profile(
    ReadTx& tx, const Organisation& provider) const {
  LIAISON_ASSIGN_OR_RETURN(auto record, tx.find_directory_entry_of_org(provider.id));
  if (!record) return std::optional<ProviderProfile>{};
  {
    std::lock_guard lock(profiles_mu_);
    auto it = profiles_.find(provider.id);
    if (it != profiles_.end() && it->second.entry_json == record->entry_json) {
      return std::optional<ProviderProfile>{it->second.profile};
    }
  }
  LIAISON_ASSIGN_OR_RETURN(directory::Entry e, directory::parse_entry_json(record->entry_json));
  ProviderProfile out;
  out.facts.establishment = e.establishment_country;
  if (e.eu_legal_representative)
    out.facts.eu_legal_representative = e.eu_legal_representative->country;
  // What an entry states is a statement either way: the law engine treats an
  // unstated policy differently from a stated "no" (docs/law.md).
  out.facts.accepts_foreign_non_content = e.foreign_requests.voluntary_non_content;
  out.facts.accepts_foreign_emergency = e.emergency_policy.accepts_foreign;
  out.time_zone = e.time_zone.empty() ? "UTC" : e.time_zone;
  out.source = "directory entry " + e.id + (e.example ? " (an example entry)" : "");
  std::lock_guard lock(profiles_mu_);
  if (profiles_.size() >= kMaxCachedProfiles) profiles_.clear();
  profiles_.insert_or_assign(provider.id, CachedProfile{std::move(record->entry_json), out});
  return std::optional<ProviderProfile>{std::move(out)};
}

}  // namespace liaison
