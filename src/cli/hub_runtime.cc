#include "cli/hub_runtime.h"

#include <sys/stat.h>

#include <filesystem>

#include "directory/loader.h"
#include "law/loader.h"
#include "store/hub_secret_key.h"
#include "store/sqlite/sqlite_store.h"

namespace liaison::cli {

namespace fs = std::filesystem;

HubRuntime::HubRuntime(std::string data_dir, std::unique_ptr<Store> store, BlobStore blobs,
                       trust::SecretBox secrets, trust::SecretKey ledger_key,
                       std::shared_ptr<const law::LawBook> law, etsi::JsonSchemas hi1_schemas,
                       etsi::XsdValidator hi1_xsd, const HubOptions& options)
    : data_dir_(std::move(data_dir)),
      store_(std::move(store)),
      blobs_(std::move(blobs)),
      ledger_(*store_, clock_, std::move(ledger_key), options.ledger_origin, options.checkpoints),
      directory_(*store_, clock_, ledger_),
      accounts_(*store_, clock_, ledger_),
      trust_(*store_, clock_, ledger_),
      sessions_(*store_, clock_, std::move(secrets), options.sessions),
      routes_(*store_, clock_, std::move(law), &directory_),
      cosignatures_(routes_),
      requests_(*store_, blobs_, clock_, trust_, cosignatures_, ledger_, &routes_),
      transparency_(*store_),
      hi1_schemas_(std::move(hi1_schemas)),
      hi1_xsd_(std::move(hi1_xsd)),
      hi1_(*store_, blobs_, requests_, clock_, options.hi1) {}

std::string HubOptions::default_law_dir() {
#ifdef LIAISON_DATA_DIR
  return std::string(LIAISON_DATA_DIR) + "/law";
#else
  return "data/law";
#endif
}

std::string HubOptions::default_etsi_dir() {
#ifdef LIAISON_DATA_DIR
  return std::string(LIAISON_DATA_DIR) + "/etsi";
#else
  return "data/etsi";
#endif
}

std::string default_directory_data() { return (fs::path(LIAISON_DATA_DIR) / "providers").string(); }

Result<int> HubRuntime::seed_directory(const std::string& folder,
                                       const std::function<void(directory::Entry&)>& adjust) {
  LIAISON_ASSIGN_OR_RETURN(auto entries, directory::load_directory(folder));
  if (adjust) {
    for (auto& e : entries) adjust(e);
  }
  return directory_.seed(entries);
}

bool HubRuntime::exists(const std::string& data_dir) {
  std::error_code ec;
  return fs::exists(fs::path(data_dir) / "liaison.db", ec);
}

Result<std::unique_ptr<HubRuntime>> HubRuntime::open(const std::string& data_dir, bool create,
                                                     const HubOptions& options) {
  if (!exists(data_dir) && !create) {
    return Error::make(
        ErrorCode::kNotFound,
        "no hub in " + data_dir + "; create one with 'liaison init --data " + data_dir + "'");
  }
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec)
    return Error::make(ErrorCode::kUnavailable, "cannot create " + data_dir + ": " + ec.message());
  // The directory holds evidence and token hashes: keep it to its owner.
  ::chmod(data_dir.c_str(), 0700);
  LIAISON_ASSIGN_OR_RETURN(auto store,
                           open_sqlite_store((fs::path(data_dir) / "liaison.db").string()));
  LIAISON_ASSIGN_OR_RETURN(auto blobs, BlobStore::open((fs::path(data_dir) / "blobs").string()));
  LIAISON_ASSIGN_OR_RETURN(std::string key, load_or_create_hub_secret_key(
                                                (fs::path(data_dir) / kHubSecretKeyFile).string()));
  LIAISON_ASSIGN_OR_RETURN(trust::SecretBox secrets, trust::SecretBox::with_key(key));
  // The ledger key's seed is kept, created and guarded exactly as the secret key is.
  LIAISON_ASSIGN_OR_RETURN(std::string seed, load_or_create_hub_secret_key(
                                                 (fs::path(data_dir) / kLedgerKeyFile).string()));
  LIAISON_ASSIGN_OR_RETURN(trust::SecretKey ledger_key, trust::SecretKey::from_seed(seed));
  auto law = law::load_law(options.law_dir);
  if (!law.ok()) {
    return Error::make(ErrorCode::kUnavailable, "the legal rules in " + options.law_dir +
                                                    " do not load (liaison law check --dir " +
                                                    options.law_dir + "): " + law.error().message);
  }
  auto schemas = etsi::JsonSchemas::load(fs::path(options.etsi_dir) / "ts103120");
  if (!schemas.ok()) {
    return Error::make(ErrorCode::kUnavailable, "the ETSI schemas in " + options.etsi_dir +
                                                    " do not load: " + schemas.error().message);
  }
  auto xsd = etsi::XsdValidator::load(options.etsi_dir);
  if (!xsd.ok()) {
    return Error::make(ErrorCode::kUnavailable, "the ETSI schemas in " + options.etsi_dir +
                                                    " do not load: " + xsd.error().message);
  }
  return std::make_unique<HubRuntime>(data_dir, std::move(store), std::move(blobs),
                                      std::move(secrets), std::move(ledger_key),
                                      std::make_shared<const law::LawBook>(std::move(law).value()),
                                      std::move(schemas).value(), std::move(xsd).value(), options);
}

}  // namespace liaison::cli
