// The provider directory (docs/directory.md): who each provider is, where it
// is established, how to reach it and its policies, for officers choosing a
// route and for the route advisor.
//
// Who may do what (core/permissions.h): every authenticated caller reads the
// whole directory, which holds nothing confidential. Hub administrators
// create and edit any entry; a provider's org admin creates and edits only
// the entry whose contact.hub_org_id is its own organisation, and cannot hand
// it to another. Authorities never edit. A refused edit is 403: entries are
// public, so there is nothing to hide behind a 404.
//
// Every create and edit writes the entry, its revision and a ledger entry
// committing to the entry's JSON, in one transaction.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "directory/entry.h"
#include "service/environment.h"
#include "service/idempotency.h"
#include "service/ledger_service.h"
#include "service/principal.h"
#include "service/route_service.h"
#include "store/store.h"

namespace liaison {

struct DirectoryQuery {
  std::optional<std::string> country;   // ISO 3166-1 alpha-2 of establishment
  std::optional<std::string> category;  // an ETSI data category name
  std::optional<std::string> text;      // in the name or legal entity, any case
  std::optional<std::string> cursor;
  std::optional<int> limit;
};

struct DirectoryList {
  std::vector<directory::Entry> items;
  std::optional<std::string> next_cursor;
};

// The directory is also where the law finds a provider's establishment, EU
// legal representative, stated policies and time zone (ProviderFactsSource).
class DirectoryService final : public ProviderFactsSource {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;
  // Who the hub's own seeding is recorded as.
  static constexpr const char* kHubActor = "hub";

  DirectoryService(Store& store, const Clock& clock, LedgerService& ledger)
      : store_(store), clock_(clock), ledger_(ledger) {}

  // Entries in the order they were first stored. Errors name the query
  // parameter: country, category, q, cursor, limit.
  Result<DirectoryList> list(const Principal& p, const DirectoryQuery& q);
  Result<directory::Entry> get(const Principal& p, const std::string& id);
  // Every version, oldest first.
  Result<std::vector<directory::Entry>> revisions(const Principal& p, const std::string& id);

  // A new entry at version 1; kConflict when its id, or its hub
  // organisation, is taken.
  Result<Created<directory::Entry>> create(const Principal& p, const nlohmann::json& body,
                                           const std::optional<IdempotencyKey>& key);
  // Replaces the entry `id` with `body`, whose id must be `id`. `if_match`
  // is the version the caller read (none: whatever is current).
  Result<directory::Entry> update(const Principal& p, const std::string& id,
                                  const nlohmann::json& body, std::optional<std::int64_t> if_match);

  // The hub's own: stores each entry whose id is not in the directory yet,
  // as a revision by "hub" with its ledger entry, and leaves every stored
  // entry as it is, so edits survive restarts. Returns how many it added.
  Result<int> seed(const std::vector<directory::Entry>& entries);

  // The entry linked to `provider` (contact.hub_org_id), as the law reads it.
  Result<std::optional<ProviderProfile>> profile(ReadTx& tx,
                                                 const Organisation& provider) const override;

 private:
  // Checks what only the store knows (that the hub organisation exists and
  // is a provider), then writes the entry, its revision and its ledger entry.
  Status store_entry(WriteTx& tx, const directory::Entry& e, const std::string& actor_org,
                     std::optional<std::int64_t> expected_version);

  Store& store_;
  const Clock& clock_;
  LedgerService& ledger_;
  // Every request's creation reads its provider's profile: parsed once per
  // entry text, keyed by the hub organisation, since the text is what is read.
  struct CachedProfile {
    std::string entry_json;
    ProviderProfile profile;
  };
  static constexpr std::size_t kMaxCachedProfiles = 4096;
  mutable std::mutex profiles_mu_;
  mutable std::unordered_map<std::string, CachedProfile> profiles_;
};

}  // namespace liaison
