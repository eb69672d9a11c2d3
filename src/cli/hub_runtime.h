// A hub's data directory opened for use: the database, the blob store and the
// services over them. The composition root of `serve` and the local admin
// commands.
//
// Layout of a data directory:
//   liaison.db (+ -wal, -shm)   SQLite database
//   blobs/                      content-addressed attachment bytes
//   blobs/tmp/                  uploads in flight
//   keys/hub-secrets.key        the key sealing TOTP secrets (store/hub_secret_key.h)
//   keys/ledger-signing.key     the seed of the Ed25519 key signing ledger checkpoints
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "etsi/json_schema.h"
#include "etsi/xsd.h"
#include "service/account_service.h"
#include "service/directory_service.h"
#include "service/hi1_service.h"
#include "service/ledger_service.h"
#include "service/request_service.h"
#include "service/route_cosignature_rule.h"
#include "service/route_service.h"
#include "service/session_service.h"
#include "service/transparency_service.h"
#include "service/trust_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace liaison::cli {

inline constexpr const char* kLedgerKeyFile = "keys/ledger-signing.key";
inline constexpr const char* kDefaultLedgerOrigin = "liaison-hub/ledger";

// The provider directory's shipped entries: data/providers/ of the source tree.
std::string default_directory_data();

struct HubOptions {
  SessionPolicy sessions;
  CheckpointPolicy checkpoints;
  // The checkpoints' origin line and key name; choose it once (a domain and a
  // path, such as hub.example.org/ledger): auditors pin it with the key.
  std::string ledger_origin = kDefaultLedgerOrigin;
  // The legal rules (data/law/): the source tree's unless told otherwise. A
  // hub does not open with rules that fail `liaison law check`'s loading.
  std::string law_dir = default_law_dir();
  static std::string default_law_dir();
  // ETSI's TS 103 120 schemas (data/etsi/), which the JSON encoding of HI-1
  // is written by; the source tree's unless told otherwise.
  std::string etsi_dir = default_etsi_dir();
  static std::string default_etsi_dir();
  Hi1Settings hi1;
};

class HubRuntime {
 public:
  // Opens the data directory, creating it when `create` is set, and the hub's
  // secret key, creating that when there is none yet.
  static Result<std::unique_ptr<HubRuntime>> open(const std::string& data_dir, bool create,
                                                  const HubOptions& options = {});
  static bool exists(const std::string& data_dir);

  Store& store() { return *store_; }
  BlobStore& blobs() { return blobs_; }
  const Clock& clock() const { return clock_; }
  AccountService& accounts() { return accounts_; }
  SessionService& sessions() { return sessions_; }
  RequestService& requests() { return requests_; }
  TrustService& trust() { return trust_; }
  LedgerService& ledger() { return ledger_; }
  RouteService& routes() { return routes_; }
  DirectoryService& directory() { return directory_; }
  TransparencyService& transparency() { return transparency_; }
  Hi1Service& hi1() { return hi1_; }
  const etsi::JsonSchemas& hi1_schemas() const { return hi1_schemas_; }
  const etsi::XsdValidator& hi1_xsd() const { return hi1_xsd_; }
  const std::string& data_dir() const { return data_dir_; }

  // Adds the entries of a folder of TOML files (directory/loader.h) that the
  // directory does not hold yet; `adjust` may change each before it is
  // stored. Returns how many were added.
  Result<int> seed_directory(const std::string& folder,
                             const std::function<void(directory::Entry&)>& adjust = {});

  HubRuntime(std::string data_dir, std::unique_ptr<Store> store, BlobStore blobs,
             trust::SecretBox secrets, trust::SecretKey ledger_key,
             std::shared_ptr<const law::LawBook> law, etsi::JsonSchemas hi1_schemas,
             etsi::XsdValidator hi1_xsd, const HubOptions& options);

 private:
  std::string data_dir_;
  std::unique_ptr<Store> store_;
  BlobStore blobs_;
  SystemClock clock_;
  LedgerService ledger_;
  DirectoryService directory_;
  AccountService accounts_;
  TrustService trust_;
  SessionService sessions_;
  RouteService routes_;
  RouteCoSignatureRule cosignatures_;
  RequestService requests_;
  TransparencyService transparency_;
  etsi::JsonSchemas hi1_schemas_;
  etsi::XsdValidator hi1_xsd_;
  Hi1Service hi1_;
};

}  // namespace liaison::cli
