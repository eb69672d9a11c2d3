// A request for electronic evidence, from an authority to a provider.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identifier.h"

namespace liaison {

enum class RequestKind { kPreservation, kProduction, kEmergencyDisclosure, kDomainRegistration };

// ETSI TS 103 120 RequestType dictionary values.
enum class DataCategory { kSubscriberData, kUserIdentifyingData, kTrafficData, kStoredContentData };

enum class RequestStatus {
  kDraft,
  kSubmitted,
  kAcknowledged,
  kClarificationRequested,
  kClarified,
  kAccepted,
  kPreserved,
  kProduced,
  kNotAvailable,
  kRejected,
  kCancelled,
  kExpired,
  kReleased,
  kQuarantined,  // failed verification on receipt: never in the provider's queue
};

const char* request_kind_name(RequestKind k);
std::optional<RequestKind> request_kind_from_name(std::string_view s);
const char* data_category_name(DataCategory c);  // the ETSI spelling, e.g. "SubscriberData"
std::optional<DataCategory> data_category_from_name(std::string_view s);
const char* request_status_name(RequestStatus s);
std::optional<RequestStatus> request_status_from_name(std::string_view s);

// ETSI AuthorisationTypeOfCase dictionary (TS 103 120 Table 7.10).
bool is_etsi_case_type(std::string_view s);
const std::vector<std::string_view>& etsi_case_types();

struct LegalBasis {
  std::string instrument;          // e.g. "Budapest Convention", "EU 2023/1543"
  std::string article;             // e.g. "Art. 18(1)(b)"
  std::string domestic_reference;  // the national provision or court order number
  bool operator==(const LegalBasis&) const = default;
};

struct Period {
  std::string start;  // RFC 3339 UTC
  std::string end;
  bool operator==(const Period&) const = default;
};

// The fields an authority fills in. Everything here is validated by
// validate_request_draft before it is stored.
struct RequestDraft {
  RequestKind kind = RequestKind::kProduction;
  std::vector<DataCategory> categories;
  std::vector<Identifier> targets;
  std::optional<Period> period;
  LegalBasis legal_basis;
  std::string case_type = "NotSpecified";
  std::string offence_description;
  std::optional<std::int64_t> max_penalty_months;
  std::optional<std::string> non_disclosure_until;  // gag order end, RFC 3339 UTC
  std::optional<std::string> emergency_justification;
  std::optional<std::string> deadline;  // RFC 3339 UTC
  std::string provider_org_id;
  std::string issuer_reference;  // the authority's own case number, free text
  // The legal route the request is filed under ("eu-2023-1543/epoc"), one the
  // hub's route advisor found open for it (docs/law.md). The officer may name
  // it; otherwise the hub records the best route open. Signed with the rest.
  std::string route;
  // What the offence is, for the penalty thresholds some routes set:
  // attack_on_information_systems, child_sexual_abuse, non_cash_payment_fraud,
  // terrorism or other. The hub checks the name against the law's vocabulary.
  std::string offence_category = "other";
};

struct Request {
  std::string id;         // UUID
  std::string reference;  // human reference, also the ETSI LDID: CC-ENDPOINT-YYYY-NNNNNN
  RequestDraft draft;
  RequestStatus status = RequestStatus::kDraft;
  std::string issuer_org_id;
  std::string created_by;  // user id
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> submitted_at;
  std::optional<std::string> preserved_until;  // for preserved requests
  std::int64_t version = 1;                    // bumped on every change; the ETag
  std::vector<Warning> warnings;               // from validation, kept for both sides to see
  // When the provider must answer, as the hub computed it at receipt, and the
  // rule that produced it. The authority's own deadline stays in the draft,
  // which is what was signed.
  std::optional<std::string> due_at;
  std::string due_rule;
  std::optional<std::string>
      quarantine_reason;  // why verification failed, for admins and the issuer
  // After an emergency disclosure the authority owes the ordinary legal process.
  std::optional<std::string> follow_up_due;
  std::optional<std::string> follow_up_done_at;
  std::optional<std::string> follow_up_escalated_at;  // set once, when it became overdue
  // The user-notification task: once a gag order (draft.non_disclosure_until)
  // has lapsed the hub tells the provider it may now tell the user, and the
  // provider records when it did. A request without a gag order has no task.
  std::optional<std::string> user_notification_permitted_at;
  std::optional<std::string> user_notified_at;
  std::optional<std::string> user_notified_by;  // user id
  // The authority the issuer asked to validate the request (a prosecutor's
  // office, a court), whose validators may then read and co-sign it.
  std::optional<std::string> validator_org_id = std::nullopt;
};

}  // namespace liaison
