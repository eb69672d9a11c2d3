// The JSON representations the API serves. One function per resource, so the
// HTTP API and the CLI's --json output agree.
#pragma once

#include <nlohmann/json.hpp>

#include "service/account_service.h"
#include "service/request_service.h"
#include "service/session_service.h"

namespace liaison::api {

nlohmann::json to_json(const Organisation& o);
nlohmann::json to_json(const User& u);
nlohmann::json to_json(const TokenRecord& t);
nlohmann::json to_json(const Scopes& s);
nlohmann::json to_json(const SessionView& s);
nlohmann::json to_json(const RequestView& v);
nlohmann::json to_json(const InclusionProof& p);
nlohmann::json to_json(const ConsistencyProof& p);
nlohmann::json to_json(const RequestEvent& e);
nlohmann::json to_json(const Message& m);
nlohmann::json to_json(const Attachment& a);
nlohmann::json to_json(const EvidenceUpload& u);
nlohmann::json to_json(const CustodyEvent& e);
nlohmann::json to_json(const PackageView& v);
nlohmann::json to_json(const QuarantineEntry& e);
nlohmann::json to_json(const StoredCertificate& c);
nlohmann::json to_json(const SigningPolicy& p);
nlohmann::json to_json(const LegalHold& h);
nlohmann::json to_json(const Reminder& r);
nlohmann::json to_json(const DueItem& d);

template <typename T>
nlohmann::json list_json(const std::vector<T>& items) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& i : items) a.push_back(to_json(i));
  return {{"items", std::move(a)}};
}

}  // namespace liaison::api
