#include "core/transparency.h"

#include <cctype>
#include <fmt/format.h>

namespace liaison {

std::string half_year_of(const std::string& rfc3339) {
  if (rfc3339.size() < 7 || rfc3339[4] != '-') return "";
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (!std::isdigit(static_cast<unsigned char>(rfc3339[static_cast<std::size_t>(i)]))) return "";
  }
  int month = (rfc3339[5] - '0') * 10 + (rfc3339[6] - '0');
  if (month < 1 || month > 12) return "";
  return rfc3339.substr(0, 4) + (month <= 6 ? "-H1" : "-H2");
}

Figure published(std::int64_t count) {
  if (count > 0 && count < kTransparencyThreshold) return std::string(kTransparencyBand);
  return count;
}

void TransparencyTally::add(const SentRequest& r) {
  if (sent_.count(r.request_id) != 0) return;
  sent_.emplace(r.request_id, Counted{half_year_of(r.sent_at), r.requesting_country, r.kind,
                                      r.provider_org_id, r.accounts, false});
}

void TransparencyTally::mark_produced(const std::string& request_id) {
  auto it = sent_.find(request_id);
  if (it != sent_.end()) it->second.produced = true;
}

std::vector<TransparencyRow> TransparencyTally::rows(
    const std::optional<std::string>& provider_org_id) const {
  struct Sums {
    std::int64_t requests = 0, accounts = 0, produced = 0;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Sums> sums;
  for (const auto& [id, c] : sent_) {
    if (provider_org_id && c.provider != *provider_org_id) continue;
    Sums& s = sums[{c.period, c.country, c.kind}];
    s.requests += 1;
    s.accounts += c.accounts;
    s.produced += c.produced ? 1 : 0;
  }
  std::vector<TransparencyRow> out;
  out.reserve(sums.size());
  for (const auto& [key, s] : sums) {
    TransparencyRow row;
    std::tie(row.period, row.country, row.kind) = key;
    row.requests = published(s.requests);
    row.accounts = published(s.accounts);
    row.with_data_produced = published(s.produced);
    bool exact = std::holds_alternative<std::int64_t>(row.requests) &&
                 std::holds_alternative<std::int64_t>(row.with_data_produced);
    if (exact) row.produced_share = static_cast<double>(s.produced) / static_cast<double>(s.requests);
    out.push_back(std::move(row));
  }
  return out;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_figure(const Figure& f) {
  if (const auto* n = std::get_if<std::int64_t>(&f)) return std::to_string(*n);
  return std::get<std::string>(f);
}

}  // namespace

std::string transparency_csv(const std::vector<TransparencyRow>& rows) {
  std::string out =
      "period,country,kind,requests,accounts_specified,with_data_produced,produced_share\r\n";
  for (const auto& r : rows) {
    out += csv_field(r.period) + ',' + csv_field(r.country) + ',' + csv_field(r.kind) + ',' +
           csv_figure(r.requests) + ',' + csv_figure(r.accounts) + ',' +
           csv_figure(r.with_data_produced) + ',' +
           (r.produced_share ? fmt::format("{:.4f}", *r.produced_share) : "") + "\r\n";
  }
  return out;
}

}  // namespace liaison
