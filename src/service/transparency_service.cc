#include "service/transparency_service.h"

#include <nlohmann/json.hpp>

#include "core/uuid.h"
#include "ledger/entry.h"

namespace liaison {

namespace {

constexpr std::int64_t kPage = 1000;

// The entries that send a request: submitted by an authority on this hub, or
// received complete from an authority's own system.
bool sends_request(const std::string& type) {
  return type == "request.submitted" || type == "request.received";
}

// The entries that mean some data reached the authority.
bool produces_data(const std::string& type) {
  return type == "request.produced" || type == "evidence.produced";
}

}  // namespace

Result<std::string> TransparencyService::country_of(ReadTx& tx, const std::string& org_id) {
  if (auto it = countries_.find(org_id); it != countries_.end()) return it->second;
  auto org = tx.get_org(org_id);
  if (!org.ok()) {
    if (org.error().code != ErrorCode::kNotFound) return org.take_error();
    return std::string("unknown");
  }
  // An organisation's country never changes, so it is asked for once.
  countries_[org_id] = org->country;
  return org->country;
}

Status TransparencyService::advance_to(std::int64_t size) {
  while (tallied_to_ < size) {
    std::int64_t end = std::min(size, tallied_to_ + kPage);
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(auto records, tx.ledger_entries(tallied_to_, end));
      for (const auto& record : records) {
        LIAISON_ASSIGN_OR_RETURN(ledger::Entry entry, ledger::decode_entry(record.entry));
        if (!entry.request_id) continue;
        if (produces_data(entry.type)) {
          tally_.mark_produced(*entry.request_id);
          continue;
        }
        if (!sends_request(entry.type)) continue;
        auto content = nlohmann::json::parse(record.content, nullptr, false);
        const auto* request = content.is_object() && content.contains("request")
                                  ? &content["request"]
                                  : nullptr;
        if (request == nullptr || !(*request)["draft"].is_object()) {
          return Error::internal("ledger entry " + std::to_string(record.leaf_index) +
                                 " sends a request but holds none");
        }
        const auto& draft = (*request)["draft"];
        SentRequest sent;
        sent.request_id = *entry.request_id;
        sent.sent_at = record.created_at;
        LIAISON_ASSIGN_OR_RETURN(sent.requesting_country,
                                 country_of(tx, request->value("issuer_org_id", "")));
        sent.provider_org_id = draft.value("provider_id", "");
        sent.kind = draft.value("kind", "");
        sent.accounts = draft.contains("targets") && draft["targets"].is_array()
                            ? static_cast<std::int64_t>(draft["targets"].size())
                            : 0;
        tally_.add(sent);
      }
      return Ok{};
    }));
    tallied_to_ = end;
  }
  return Ok{};
}

Result<TransparencyReport> TransparencyService::report(
    const std::optional<std::string>& provider_org_id) {
  TransparencyReport out;
  if (provider_org_id) {
    LIAISON_ASSIGN_OR_RETURN(std::string id, parse_uuid(*provider_org_id, "provider_id"));
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(Organisation org, tx.get_org(id));
      if (org.kind != OrgKind::kProvider)
        return Error::invalid("provider_id", "is not a provider on this hub");
      return Ok{};
    }));
    out.provider_org_id = id;
  }
  std::lock_guard lock(mu_);
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out.checkpoint, tx.latest_ledger_checkpoint());
    return Ok{};
  }));
  if (!out.checkpoint) return out;
  LIAISON_TRY(advance_to(out.checkpoint->tree_size));
  out.rows = tally_.rows(out.provider_org_id);
  return out;
}

}  // namespace liaison
