// A hub's data directory opened for use: the database, the blob store and the
// services over them. The composition root of `serve` and the local admin
// commands.
//
// Layout of a data directory:
//   liaison.db (+ -wal, -shm)   SQLite database
//   blobs/                      content-addressed attachment bytes
//   blobs/tmp/                  uploads in flight
#pragma once

#include <memory>
#include <string>

#include "service/account_service.h"
#include "service/cosignature_rule.h"
#include "service/request_service.h"
#include "service/trust_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace liaison::cli {

class HubRuntime {
 public:
  // Opens the data directory, creating it when `create` is set.
  static Result<std::unique_ptr<HubRuntime>> open(const std::string& data_dir, bool create);
  static bool exists(const std::string& data_dir);

  Store& store() { return *store_; }
  BlobStore& blobs() { return blobs_; }
  AccountService& accounts() { return accounts_; }
  RequestService& requests() { return requests_; }
  TrustService& trust() { return trust_; }
  const std::string& data_dir() const { return data_dir_; }

  HubRuntime(std::string data_dir, std::unique_ptr<Store> store, BlobStore blobs);

 private:
  std::string data_dir_;
  std::unique_ptr<Store> store_;
  BlobStore blobs_;
  SystemClock clock_;
  AccountService accounts_;
  TrustService trust_;
  OrganisationPolicyRule cosignatures_;
  RequestService requests_;
};

}  // namespace liaison::cli
