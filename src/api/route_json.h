// The law engine's answers as the API shows them: routes open and closed,
// their deadlines, issuers, forms and citations, with how well each is verified.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "law/advisor.h"
#include "law/validator.h"
#include "service/route_service.h"

namespace liaison::api {

nlohmann::json to_json(const law::Period& p);
nlohmann::json to_json(const std::optional<law::Period>& p);
nlohmann::json to_json(const law::AvailableRoute& r);
nlohmann::json to_json(const RouteAdvice& advice);
// A request's route as recorded on it: the rule's essentials, for both sides.
nlohmann::json route_summary(const law::Route& route);
nlohmann::json to_json(const law::RequiredCosignatures& c);

}  // namespace liaison::api
