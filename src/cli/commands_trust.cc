// `liaison trust …`: the chain of certificates behind every signature.
//
// The offline commands work on files only, on the machine where a key lives:
// a key is made and sealed where it will be used, and certificates and
// revocation lists are signed where their issuer's key is kept. Private keys
// never go to a hub; the holder of a key hands over its public half, and the
// issuer hands back a certificate. The commands that take --hub publish those
// files to a hub's trust store and read it back.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/key_files.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "core/identifier.h"
#include "service/environment.h"
#include "trust/certificate.h"
#include "trust/encoding.h"
#include "trust/revocation.h"
#include "trust/trust_store.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;
constexpr int kMaxValidDays = 3650;
// Certificates start a few minutes in the past, so that a verifier whose clock
// is a little behind the issuer's does not find them not yet valid.
constexpr std::int64_t kClockAllowance = 300;

template <typename T>
T check(Result<T> r) {
  if (!r.ok()) fail(r.error());
  return std::move(r).value();
}

void check(const Status& s) {
  if (!s.ok()) fail(s.error());
}

// An Error as one line: its message, or its fields and reasons when the
// message does not name them.
std::string one_line(const Error& e) {
  std::string msg = e.message;
  if (e.issues.size() > 1 ||
      (e.issues.size() == 1 && msg.find(e.issues[0].field) == std::string::npos)) {
    msg.clear();
    for (const auto& i : e.issues) msg += (msg.empty() ? "" : "; ") + i.field + ": " + i.reason;
  }
  return msg;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trimmed(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

// Checked before any passphrase is asked for or any key is opened, so that a
// typo costs nothing; write_new_file checks again when it writes.
void require_new(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw CliError(kExitConflict, path + " already exists; choose another name");
}

// --- the files ------------------------------------------------------------

// What a file holds, as its format marker says.
enum class FileKind { kCertificate, kRevocationList, kTrustStore, kKeyFile };

FileKind kind_of(const json& j, const std::string& path) {
  if (j.is_object()) {
    if (j.contains("liaison_certificate")) return FileKind::kCertificate;
    if (j.contains("liaison_revocation_list")) return FileKind::kRevocationList;
    if (j.contains("liaison_trust_store")) return FileKind::kTrustStore;
    if (j.contains("liaison_key_file")) return FileKind::kKeyFile;
  }
  throw CliError(kExitInvalid,
                 path + ": not a certificate, revocation list, trust store or key file");
}

trust::Certificate certificate_of(const json& j, const std::string& path) {
  auto c = trust::certificate_from_json(j);
  if (!c.ok()) throw CliError(kExitInvalid, path + ": " + one_line(c.error()));
  return std::move(c).value();
}

trust::Certificate read_certificate(const std::string& path) {
  json j = read_json_file(path);
  if (kind_of(j, path) != FileKind::kCertificate)
    throw CliError(kExitInvalid, path + ": not a certificate");
  return certificate_of(j, path);
}

trust::RevocationList revocation_list_of(const json& j, const std::string& path) {
  auto l = trust::revocation_list_from_json(j);
  if (!l.ok()) throw CliError(kExitInvalid, path + ": " + one_line(l.error()));
  return std::move(l).value();
}

trust::RevocationList read_revocation_list(const std::string& path) {
  json j = read_json_file(path);
  if (kind_of(j, path) != FileKind::kRevocationList)
    throw CliError(kExitInvalid, path + ": not a revocation list");
  return revocation_list_of(j, path);
}

// A key file's public half, which it carries in the clear: reading it needs no
// passphrase. (It is bound to the sealed key only for whoever can open the
// file, so a certifier takes it from the holder themselves.)
trust::PublicKey public_key_of_key_file(const json& j, const std::string& path) {
  if (!j.contains("public_key") || !j["public_key"].is_string())
    throw CliError(kExitInvalid, path + ": a key file without a public_key");
  auto key = trust::PublicKey::decode(j["public_key"].get<std::string>(), "public_key");
  if (!key.ok()) throw CliError(kExitInvalid, path + ": " + one_line(key.error()));
  if (j.value("key_id", "") != key->key_id())
    throw CliError(kExitInvalid, path + ": key_id does not match public_key");
  return std::move(key).value();
}

// The key a certificate is for: --public-key as `keygen` prints it, or a
// file holding it (a key file, a certificate being renewed, or just that text).
trust::PublicKey subject_public_key(const std::string& file, const std::string& text) {
  if (file.empty() == text.empty()) {
    throw CliError(kExitUsage,
                   "give the subject's public key with either --public-key BASE64URL or "
                   "--subject-key FILE");
  }
  if (!text.empty()) return check(trust::PublicKey::decode(trimmed(text), "--public-key"));
  std::string content = read_text(file);
  json j = json::parse(content, nullptr, false);
  if (j.is_discarded()) {
    auto key = trust::PublicKey::decode(trimmed(content), "public key");
    if (!key.ok())
      throw CliError(kExitInvalid,
                     file + ": neither a key file, a certificate nor a base64url public key");
    return std::move(key).value();
  }
  switch (kind_of(j, file)) {
    case FileKind::kKeyFile:
      return public_key_of_key_file(j, file);
    case FileKind::kCertificate:
      return certificate_of(j, file).public_key;
    default:
      throw CliError(kExitInvalid, file + ": holds no public key to certify");
  }
}

// Opens the issuer's key file, which must hold the key `cert` certifies.
trust::SecretKey open_issuer_key(const std::string& key_path, const trust::Certificate& cert,
                                 const std::string& cert_path) {
  trust::SecretKey key = load_key(key_path);
  if (!(key.public_key() == cert.public_key)) {
    throw CliError(kExitInvalid, "--issuer-key: " + key_path + " holds key " +
                                     key.public_key().key_id() + ", but " + cert_path +
                                     " certifies key " + cert.key_id());
  }
  return key;
}

// An issuer certificate of the kind that issues `what`.
trust::Certificate read_issuer(const std::string& path, trust::CertKind kind,
                               const std::string& what) {
  trust::Certificate c = read_certificate(path);
  if (c.kind != kind) {
    throw CliError(kExitInvalid,
                   "--issuer-cert: " + path + " holds " + trust::describe_certificate(c) + "; " +
                       what + " are certified by " +
                       (kind == trust::CertKind::kRoot ? "a root" : "an organisation"));
  }
  Timestamp now = SystemClock().now();
  if (!c.valid_at(now)) {
    throw CliError(kExitInvalid, "--issuer-cert: " + trust::describe_certificate(c) +
                                     " is valid only from " + format_rfc3339(c.not_before) +
                                     " until " + format_rfc3339(c.not_after));
  }
  return c;
}

// Gives `c` its serial and checks what it says, so that a mistake is named
// before the issuer's passphrase is asked for.
void check_content(trust::Certificate& c) {
  c.serial = trust::hex_encode(trust::random_bytes(16));
  check(trust::validate_certificate_content(c));
}

struct Validity {
  Timestamp from, until;
};

// From now (less the clock allowance) for `days`, within the issuer's own
// validity. Asked for explicitly, a longer one is refused; by default it is
// cut short, with a note.
Validity validity(int days, bool given, const trust::Certificate* issuer) {
  if (days < 1 || days > kMaxValidDays) {
    throw CliError(kExitUsage,
                   "--valid-days: must be between 1 and " + std::to_string(kMaxValidDays));
  }
  std::int64_t now = SystemClock().now().seconds();
  Validity v{Timestamp::from_seconds(now - kClockAllowance),
             Timestamp::from_seconds(now + days * kDay)};
  if (issuer != nullptr) {
    v.from = std::max(v.from, issuer->not_before);
    if (v.until > issuer->not_after) {
      if (given) {
        throw CliError(kExitInvalid,
                       "--valid-days: the certificate would outlive its issuer's, which ends at " +
                           format_rfc3339(issuer->not_after) + "; give at most " +
                           std::to_string((issuer->not_after.seconds() - now) / kDay) + " days");
      }
      v.until = issuer->not_after;
      std::cerr << "note: valid until " << format_rfc3339(v.until)
                << ", when the issuer's own certificate ends\n";
    }
  }
  return v;
}

trust::Contact contact_of(const std::string& given) {
  const std::string flag = "--emergency-contact";
  if (given.find('@') != std::string::npos) {
    auto normal = normalise_email(given, flag);
    if (!normal.ok())
      throw CliError(kExitInvalid, flag + ": " + given + ": " + normal.error().message);
    return {"email", *normal};
  }
  // People write numbers with spaces and dashes; the certificate holds E.164.
  std::string phone;
  for (char ch : given) {
    if (ch != ' ' && ch != '-' && ch != '.' && ch != '(' && ch != ')') phone += ch;
  }
  trust::Contact c{"phone", phone};
  if (Status s = trust::validate_contact(c, flag); !s.ok()) {
    throw CliError(kExitInvalid,
                   flag + ": " + given + ": " +
                       (s.error().issues.empty() ? s.error().message : s.error().issues[0].reason) +
                       ", or an e-mail address");
  }
  return c;
}

std::string org_text(const trust::OrgRef& o) {
  return o.name + " (" + o.country + "/" + o.endpoint_uid + ", " + org_kind_name(o.kind) + ")";
}

std::string roles_text(const Roles& roles) {
  std::string s = roles.to_string();
  std::replace(s.begin(), s.end(), ',', ' ');
  return s;
}

std::string validity_text(const trust::Certificate& c) {
  Timestamp now = SystemClock().now();
  return format_rfc3339(c.not_before) + " until " + format_rfc3339(c.not_after) +
         (c.not_after < now    ? " (EXPIRED)"
          : c.not_before > now ? " (not yet valid)"
                               : " (valid now)");
}

void print_certificate(const trust::Certificate& c) {
  std::cout << cert_kind_name(c.kind) << " certificate\n"
            << "  subject:      " << c.subject_name
            << (c.subject_email ? " <" + *c.subject_email + ">" : "") << "\n";
  if (c.organisation) std::cout << "  organisation: " << org_text(*c.organisation) << "\n";
  if (!c.roles.empty()) std::cout << "  roles:        " << roles_text(c.roles) << "\n";
  std::cout << "  country:      " << c.country << "\n";
  for (const auto& k : c.emergency_contacts)
    std::cout << "  call-back:    " << k.value << " (" << k.kind << ")\n";
  std::cout << "  key id:       " << c.key_id() << "\n"
            << "  public key:   " << c.public_key.encoded() << "\n"
            << "  serial:       " << c.serial << "\n"
            << "  valid:        " << validity_text(c) << "\n";
  if (c.kind == trust::CertKind::kRoot) {
    std::cout << "  issuer:       itself; the self-signature "
              << (trust::certificate_signature_valid(c, c.public_key) ? "is valid" : "is NOT VALID")
              << "\n";
  } else {
    std::cout << "  issuer:       " << c.issuer_name << " (key " << c.issuer_key_id << ")\n";
  }
  std::cout << "  fingerprint:  " << c.fingerprint() << "\n";
  if (c.kind == trust::CertKind::kRecipient) {
    std::cout << "  use:          evidence packages for " << c.organisation->name
              << " are sealed to this key; it signs nothing\n";
  }
}

void print_revocation_list(const trust::RevocationList& l) {
  std::cout << "revocation list " << l.number << " of " << l.issuer_name << " (key "
            << l.issuer_key_id << ")\n"
            << "  issued at:    " << format_rfc3339(l.issued_at) << "\n"
            << "  fingerprint:  " << l.fingerprint() << "\n";
  Table t({"SERIAL", "KEY ID", "REVOKED AT", "REASON"});
  for (const auto& e : l.entries)
    t.add({e.serial, e.key_id, format_rfc3339(e.revoked_at), e.reason});
  std::cout << t.render();
}

void print_trust_store(const trust::TrustStore& store) {
  auto roots = store.roots();
  auto certs = store.certificates();
  auto lists = store.revocation_lists();
  std::cout << "trust store: " << roots.size() << " root(s), " << certs.size()
            << " certificate(s), " << lists.size()
            << " revocation list(s); every signature in it checked\n";
  Table t({"KIND", "SUBJECT", "KEY ID", "VALID UNTIL", "ISSUER"});
  for (const auto* group : {&roots, &certs}) {
    for (const auto& c : *group) {
      t.add({cert_kind_name(c.kind),
             c.subject_name + (c.subject_email ? " <" + *c.subject_email + ">" : ""), c.key_id(),
             format_rfc3339(c.not_after),
             c.kind == trust::CertKind::kRoot ? "(itself)" : c.issuer_name});
    }
  }
  std::cout << t.render();
  if (lists.empty()) return;
  std::cout << "\nRevocation lists\n";
  Table l({"ISSUER", "KEY ID", "NUMBER", "ISSUED AT", "ENTRIES"});
  for (const auto& r : lists) {
    l.add({r.issuer_name, r.issuer_key_id, std::to_string(r.number), format_rfc3339(r.issued_at),
           std::to_string(r.entries.size())});
  }
  std::cout << l.render();
}

// What an issuing command prints about the certificate it wrote.
void report_issued(const trust::Certificate& c, const std::string& out, bool as_json) {
  if (as_json) {
    std::cout << json{{"file", out},
                      {"fingerprint", c.fingerprint()},
                      {"certificate", trust::to_json(c)}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "Wrote " << trust::describe_certificate(c) << " to " << out << "\n"
            << "  key id:       " << c.key_id() << "\n"
            << "  valid:        " << format_rfc3339(c.not_before) << " until "
            << format_rfc3339(c.not_after) << "\n"
            << "  fingerprint:  " << c.fingerprint() << "\n";
}

// --- publishing to a hub --------------------------------------------------

// One thing to send to the hub: a certificate or a revocation list.
struct Entry {
  std::string file;
  std::string what;   // for people: "the root certificate of … (serial …)"
  std::string route;  // where it goes
  json body;
  bool from_bundle = false;
};

Entry certificate_entry(const std::string& file, const trust::Certificate& c, bool bundle) {
  return {file, trust::describe_certificate(c),
          c.kind == trust::CertKind::kRoot ? "/api/v1/trust/roots" : "/api/v1/trust/certificates",
          trust::to_json(c), bundle};
}

Entry list_entry(const std::string& file, const trust::RevocationList& l, bool bundle) {
  return {file, "revocation list " + std::to_string(l.number) + " of " + l.issuer_name,
          "/api/v1/trust/revocations", trust::to_json(l), bundle};
}

// The entries of a file, in the order the hub needs them: issuers before what
// they issued, revocation lists last. Everything is decoded, strictly, before
// anything is sent.
std::vector<Entry> entries_of(const std::string& file) {
  json j = read_json_file(file);
  switch (kind_of(j, file)) {
    case FileKind::kCertificate:
      return {certificate_entry(file, certificate_of(j, file), false)};
    case FileKind::kRevocationList:
      return {list_entry(file, revocation_list_of(j, file), false)};
    case FileKind::kKeyFile:
      throw CliError(kExitUsage, file +
                                     ": a private key file; keys never go to a hub, only the "
                                     "certificates issued for them");
    case FileKind::kTrustStore:
      break;
  }
  std::vector<trust::Certificate> roots, orgs, leaves;
  std::vector<trust::RevocationList> lists;
  auto array = [&](const char* name) {
    if (!j.contains(name) || !j[name].is_array())
      throw CliError(kExitInvalid, file + ": trust_store/" + name + ": must be an array");
    return j[name];
  };
  json roots_j = array("roots"), certs_j = array("certificates"),
       lists_j = array("revocation_lists");
  for (std::size_t i = 0; i < roots_j.size(); ++i) {
    auto c = trust::certificate_from_json(roots_j[i], "trust_store/roots/" + std::to_string(i));
    if (!c.ok()) throw CliError(kExitInvalid, file + ": " + one_line(c.error()));
    roots.push_back(*c);
  }
  for (std::size_t i = 0; i < certs_j.size(); ++i) {
    auto c =
        trust::certificate_from_json(certs_j[i], "trust_store/certificates/" + std::to_string(i));
    if (!c.ok()) throw CliError(kExitInvalid, file + ": " + one_line(c.error()));
    // Users and recipients need their organisation's certificate sent first.
    bool leaf = c->kind == trust::CertKind::kUser || c->kind == trust::CertKind::kRecipient;
    (leaf ? leaves : orgs).push_back(*c);
  }
  for (std::size_t i = 0; i < lists_j.size(); ++i) {
    auto l = trust::revocation_list_from_json(lists_j[i],
                                              "trust_store/revocation_lists/" + std::to_string(i));
    if (!l.ok()) throw CliError(kExitInvalid, file + ": " + one_line(l.error()));
    lists.push_back(*l);
  }
  std::vector<Entry> out;
  for (const auto* group : {&roots, &orgs, &leaves}) {
    for (const auto& c : *group) out.push_back(certificate_entry(file, c, true));
  }
  for (const auto& l : lists) out.push_back(list_entry(file, l, true));
  return out;
}

void print_policy(const json& p) {
  std::cout << "Signing policy of organisation " << str(p, "org_id") << "\n"
            << "  validators:      " << str(p, "validators") << "\n"
            << "  supervisors:     " << str(p, "supervisors") << "\n"
            << "  follow-up hours: " << str(p, "follow_up_hours")
            << " (legal process owed after an emergency disclosure)\n"
            << "  updated at:      " << str(p, "updated_at") << "\n";
}

}  // namespace

void add_trust_commands(CLI::App& app) {
  auto* trust_cmd = app.add_subcommand(
      "trust", "Keys, certificates and revocation lists, and a hub's trust store");
  trust_cmd->require_subcommand(1);
  static bool as_json = false;
  static Remote remote;

  // keygen
  static std::string keygen_out, keygen_label;
  auto* keygen = trust_cmd->add_subcommand(
      "keygen", "Make a new Ed25519 key in a passphrase-protected key file (offline)");
  keygen->add_option("--out", keygen_out, "Key file to create")->required();
  keygen->add_option("--label", keygen_label, "Free text for people, e.g. the holder's name");
  keygen->add_flag("--json", as_json, "Print JSON");
  keygen->callback([] {
    require_new(keygen_out);
    std::string passphrase = read_passphrase(keygen_out, true);
    trust::SecretKey key = trust::SecretKey::generate();
    trust::KeyFileOptions options;
    options.label = keygen_label;
    save_key(keygen_out, key, passphrase, options);
    trust::PublicKey pub = key.public_key();
    if (as_json) {
      std::cout << json{{"file", keygen_out},
                        {"key_id", pub.key_id()},
                        {"public_key", pub.encoded()}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "Wrote a new key to " << keygen_out
              << ", sealed with your passphrase. It is the only copy: keep it safe.\n"
              << "  key id:       " << pub.key_id() << "\n"
              << "  public key:   " << pub.encoded() << "\n"
              << "Give the public key (never the file's passphrase) to whoever certifies you.\n";
  });

  // root create
  auto* root = trust_cmd->add_subcommand("root", "Root certificates of central authorities");
  root->require_subcommand(1);
  static std::string root_key, root_name, root_country, root_out;
  static int root_days = 1825;
  auto* root_create = root->add_subcommand(
      "create", "Self-sign a root certificate for a central authority (offline)");
  root_create->add_option("--key", root_key, "The root's key file ('trust keygen')")->required();
  root_create->add_option("--name", root_name, "The central authority's name")->required();
  root_create->add_option("--country", root_country, "The country it speaks for (ISO 3166-1)")
      ->required();
  static CLI::Option* root_days_opt =
      root_create->add_option("--valid-days", root_days, "Validity in days")->capture_default_str();
  root_create->add_option("--out", root_out, "Certificate file to create")->required();
  root_create->add_flag("--json", as_json, "Print JSON");
  root_create->callback([] {
    require_new(root_out);
    check(validate_country(root_country, "--country"));
    Validity v = validity(root_days, root_days_opt->count() > 0, nullptr);
    trust::SecretKey key = load_key(root_key);
    trust::Certificate c;
    c.kind = trust::CertKind::kRoot;
    c.subject_name = root_name;
    c.public_key = key.public_key();
    c.country = root_country;
    c.not_before = v.from;
    c.not_after = v.until;
    c = check(trust::issue_certificate(c, key, root_name));
    write_new_file(root_out, trust::to_json(c).dump(2) + "\n", true);
    report_issued(c, root_out, as_json);
  });

  // certify-org
  static std::string issuer_key, issuer_cert, subject_key, public_key, out;
  static std::string org_name, org_country, org_endpoint, org_kind;
  static std::vector<std::string> contacts;
  static int org_days = 730;
  auto* certify_org = trust_cmd->add_subcommand(
      "certify-org", "Certify an organisation's key with a root's (offline)");
  certify_org->add_option("--issuer-key", issuer_key, "The root's key file")->required();
  certify_org->add_option("--issuer-cert", issuer_cert, "The root's certificate")->required();
  certify_org->add_option("--subject-key", subject_key,
                          "The organisation's public key: its key file, its certificate being "
                          "renewed, or a file with the public key 'trust keygen' printed");
  certify_org->add_option("--public-key", public_key, "The organisation's public key (base64url)");
  certify_org->add_option("--name", org_name, "The organisation's name")->required();
  certify_org->add_option("--country", org_country, "Its country: the root's")->required();
  certify_org->add_option("--endpoint", org_endpoint, "Its ETSI endpoint id on the hub")
      ->required();
  certify_org->add_option("--kind", org_kind, "authority, provider or central_authority")
      ->required()
      ->check(CLI::IsMember({"authority", "provider", "central_authority"}));
  certify_org->add_option("--emergency-contact", contacts,
                          "A call-back number (+31205550100) or e-mail address providers may use "
                          "to confirm an emergency request; repeatable");
  static CLI::Option* org_days_opt =
      certify_org->add_option("--valid-days", org_days, "Validity in days")->capture_default_str();
  certify_org->add_option("--out", out, "Certificate file to create")->required();
  certify_org->add_flag("--json", as_json, "Print JSON");
  certify_org->callback([] {
    require_new(out);
    trust::Certificate r = read_issuer(issuer_cert, trust::CertKind::kRoot, "organisations");
    if (!trust::certificate_signature_valid(r, r.public_key)) {
      throw CliError(kExitInvalid, "--issuer-cert: " + trust::describe_certificate(r) +
                                       " does not carry a valid signature by its own key");
    }
    check(validate_country(org_country, "--country"));
    // A root speaks for one country; verifiers refuse the chain otherwise.
    if (org_country != r.country) {
      throw CliError(kExitInvalid, "--country: country_mismatch: the root " + r.subject_name +
                                       " speaks for " + r.country +
                                       " and certifies organisations of " + r.country +
                                       " only, not " + org_country);
    }
    check(validate_endpoint_uid(org_endpoint, "--endpoint"));
    std::vector<trust::Contact> vouched;
    vouched.reserve(contacts.size());
    for (const auto& c : contacts) vouched.push_back(contact_of(c));
    trust::PublicKey subject = subject_public_key(subject_key, public_key);
    if (subject == r.public_key)
      throw CliError(kExitInvalid,
                     "the subject key is the root's own; an organisation needs its own");
    Validity v = validity(org_days, org_days_opt->count() > 0, &r);
    trust::Certificate c;
    c.kind = trust::CertKind::kOrganisation;
    c.subject_name = org_name;
    c.public_key = subject;
    c.organisation = trust::OrgRef{org_country, org_endpoint, org_name,
                                   org_kind_from_name(org_kind).value_or(OrgKind::kAuthority)};
    c.country = org_country;
    c.emergency_contacts = vouched;
    c.not_before = v.from;
    c.not_after = v.until;
    check_content(c);
    trust::SecretKey key = open_issuer_key(issuer_key, r, issuer_cert);
    c = check(trust::issue_certificate(c, key, r.subject_name));
    write_new_file(out, trust::to_json(c).dump(2) + "\n", true);
    report_issued(c, out, as_json);
  });

  // certify-user
  static std::string user_name, user_email, user_roles;
  static int user_days = 365;
  auto* certify_user = trust_cmd->add_subcommand(
      "certify-user", "Certify a user's key and signing roles with their organisation's (offline)");
  certify_user->add_option("--issuer-key", issuer_key, "The organisation's key file")->required();
  certify_user->add_option("--issuer-cert", issuer_cert, "The organisation's certificate")
      ->required();
  certify_user->add_option("--subject-key", subject_key,
                           "The user's public key: their key file, their certificate being "
                           "renewed, or a file with the public key 'trust keygen' printed");
  certify_user->add_option("--public-key", public_key, "The user's public key (base64url)");
  certify_user->add_option("--name", user_name, "The user's full name")->required();
  certify_user
      ->add_option("--email", user_email, "Their e-mail address, as their hub account has it")
      ->required();
  certify_user->add_option("--roles", user_roles, "Comma-separated, e.g. officer,supervisor")
      ->required();
  static CLI::Option* user_days_opt =
      certify_user->add_option("--valid-days", user_days, "Validity in days")
          ->capture_default_str();
  certify_user->add_option("--out", out, "Certificate file to create")->required();
  certify_user->add_flag("--json", as_json, "Print JSON");
  certify_user->callback([] {
    require_new(out);
    trust::Certificate org = read_issuer(issuer_cert, trust::CertKind::kOrganisation, "users");
    std::string email = check(normalise_email(user_email, "--email"));
    Roles roles = check(Roles::parse(user_roles, "--roles"));
    std::stringstream names(roles.to_string());
    for (std::string name; std::getline(names, name, ',');) {
      auto role = role_from_name(name);
      if (role && !role_allowed_for(*role, org.organisation->kind)) {
        throw CliError(kExitInvalid, "--roles: an organisation of kind " +
                                         std::string(org_kind_name(org.organisation->kind)) +
                                         " does not hand out the role " + name);
      }
    }
    trust::PublicKey subject = subject_public_key(subject_key, public_key);
    if (subject == org.public_key) {
      throw CliError(kExitInvalid,
                     "the subject key is the organisation's own; a user needs their own");
    }
    Validity v = validity(user_days, user_days_opt->count() > 0, &org);
    trust::Certificate c;
    c.kind = trust::CertKind::kUser;
    c.subject_name = user_name;
    c.subject_email = email;
    c.public_key = subject;
    c.organisation = org.organisation;
    c.roles = roles;
    c.country = org.country;
    c.not_before = v.from;
    c.not_after = v.until;
    check_content(c);
    trust::SecretKey key = open_issuer_key(issuer_key, org, issuer_cert);
    c = check(trust::issue_certificate(c, key, org.subject_name));
    write_new_file(out, trust::to_json(c).dump(2) + "\n", true);
    report_issued(c, out, as_json);
  });

  // certify-recipient
  static std::string recipient_name;
  static int recipient_days = 730;
  auto* certify_recipient = trust_cmd->add_subcommand(
      "certify-recipient",
      "Certify a key that evidence packages for the organisation are sealed to (offline)");
  certify_recipient->add_option("--issuer-key", issuer_key, "The organisation's key file")
      ->required();
  certify_recipient->add_option("--issuer-cert", issuer_cert, "The organisation's certificate")
      ->required();
  certify_recipient->add_option("--subject-key", subject_key,
                                "The recipient's public key: its key file, its certificate being "
                                "renewed, or a file with the public key 'trust keygen' printed");
  certify_recipient->add_option("--public-key", public_key,
                                "The recipient's public key (base64url)");
  certify_recipient
      ->add_option("--name", recipient_name,
                   "Who holds the key, e.g. \"Evidence unit, Northport Police\"")
      ->required();
  static CLI::Option* recipient_days_opt =
      certify_recipient->add_option("--valid-days", recipient_days, "Validity in days")
          ->capture_default_str();
  certify_recipient->add_option("--out", out, "Certificate file to create")->required();
  certify_recipient->add_flag("--json", as_json, "Print JSON");
  certify_recipient->callback([] {
    require_new(out);
    trust::Certificate org =
        read_issuer(issuer_cert, trust::CertKind::kOrganisation, "recipient keys");
    trust::PublicKey subject = subject_public_key(subject_key, public_key);
    // Each key has one use: the organisation's certifies, a recipient key only
    // receives. Sealing to the certifying key would put it on evidence desks.
    if (subject == org.public_key) {
      throw CliError(kExitInvalid,
                     "the subject key is the organisation's own; a recipient key must be a "
                     "separate key, made with 'trust keygen'");
    }
    Validity v = validity(recipient_days, recipient_days_opt->count() > 0, &org);
    trust::Certificate c;
    c.kind = trust::CertKind::kRecipient;
    c.subject_name = recipient_name;
    c.public_key = subject;
    c.organisation = org.organisation;
    c.country = org.country;
    c.not_before = v.from;
    c.not_after = v.until;
    check_content(c);
    trust::SecretKey key = open_issuer_key(issuer_key, org, issuer_cert);
    c = check(trust::issue_certificate(c, key, org.subject_name));
    write_new_file(out, trust::to_json(c).dump(2) + "\n", true);
    report_issued(c, out, as_json);
  });

  // revoke
  static std::vector<std::string> revoked_files, serials, key_ids;
  static std::string reason, revoked_at, previous;
  auto* revoke = trust_cmd->add_subcommand(
      "revoke", "Sign the issuer's next revocation list, adding certificates to it (offline)");
  revoke->add_option("--issuer-key", issuer_key, "The issuer's key file")->required();
  revoke->add_option("--issuer-cert", issuer_cert, "The issuer's certificate")->required();
  revoke->add_option("--certificate", revoked_files, "A certificate to revoke; repeatable");
  revoke->add_option("--serial", serials,
                     "The serial of a certificate to revoke whose file is lost (with --key-id)");
  revoke->add_option("--key-id", key_ids, "Its key id (one per --serial)");
  revoke
      ->add_option("--reason", reason,
                   "key_compromise, superseded, cessation, affiliation_changed or unspecified")
      ->required()
      ->check(CLI::IsMember(
          {"key_compromise", "superseded", "cessation", "affiliation_changed", "unspecified"}));
  revoke->add_option("--at", revoked_at,
                     "Since when (RFC 3339; default now). Signatures made before it stand; for a "
                     "compromised key, give when it was compromised");
  revoke->add_option("--previous", previous,
                     "The issuer's latest list, whose entries are kept; without it this is list 1");
  revoke->add_option("--out", out, "Revocation list file to create")->required();
  revoke->add_flag("--json", as_json, "Print JSON");
  revoke->callback([] {
    require_new(out);
    trust::Certificate issuer = read_certificate(issuer_cert);
    if (issuer.kind == trust::CertKind::kUser || issuer.kind == trust::CertKind::kRecipient) {
      throw CliError(kExitInvalid, "--issuer-cert: " + trust::describe_certificate(issuer) +
                                       " issues nothing; roots and organisations revoke what "
                                       "they issued");
    }
    Timestamp now = SystemClock().now().floor_seconds();
    Timestamp at = now;
    if (!revoked_at.empty()) at = check(parse_rfc3339(revoked_at, "--at")).floor_seconds();

    trust::RevocationList list;
    list.issuer_name = issuer.subject_name;
    list.number = 1;
    if (!previous.empty()) {
      trust::RevocationList prev = read_revocation_list(previous);
      if (prev.issuer_key_id != issuer.key_id() ||
          !trust::revocation_list_signature_valid(prev, issuer.public_key)) {
        throw CliError(kExitInvalid, "--previous: " + previous + " is not a list signed by " +
                                         issuer.subject_name + " (key " + issuer.key_id() + ")");
      }
      list.number = prev.number + 1;
      list.entries = prev.entries;
    }
    std::size_t kept = list.entries.size();
    auto add = [&](const std::string& serial, const std::string& key_id, const std::string& what) {
      for (const auto& e : list.entries) {
        if (e.serial == serial) {
          throw CliError(kExitConflict, what + " is already revoked, since " +
                                            format_rfc3339(e.revoked_at) + " (" + e.reason + ")");
        }
      }
      list.entries.push_back({serial, key_id, at, reason});
    };
    for (const auto& f : revoked_files) {
      trust::Certificate c = read_certificate(f);
      if (c.issuer_key_id != issuer.key_id()) {
        throw CliError(kExitInvalid, f + ": " + trust::describe_certificate(c) + " was issued by " +
                                         c.issuer_name + " (key " + c.issuer_key_id +
                                         "); only its issuer revokes it");
      }
      add(c.serial, c.key_id(), f + ": " + trust::describe_certificate(c));
    }
    if (serials.size() != key_ids.size())
      throw CliError(kExitUsage,
                     "--serial and --key-id come in pairs, one of each per certificate");
    for (std::size_t i = 0; i < serials.size(); ++i) {
      if (!trust::is_lower_hex(serials[i], 32))
        throw CliError(kExitInvalid, "--serial: must be 32 lower-case hex characters");
      if (!trust::is_lower_hex(key_ids[i], 32))
        throw CliError(kExitInvalid, "--key-id: must be 32 lower-case hex characters");
      add(serials[i], key_ids[i], "serial " + serials[i]);
    }
    if (list.entries.size() == kept) {
      throw CliError(kExitUsage,
                     "nothing to revoke: give --certificate FILE, or --serial and --key-id");
    }
    trust::SecretKey key = open_issuer_key(issuer_key, issuer, issuer_cert);
    list.issued_at = now;
    list = check(trust::sign_revocation_list(list, key));
    write_new_file(out, trust::to_json(list).dump(2) + "\n", true);
    if (as_json) {
      std::cout << json{{"file", out},
                        {"fingerprint", list.fingerprint()},
                        {"revocation_list", trust::to_json(list)}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "Wrote revocation list " << list.number << " of " << list.issuer_name << " to "
              << out << ": " << list.entries.size() - kept << " new, " << kept
              << " kept from the list before\n"
              << "Publish it with 'liaison trust import " << out
              << "'; keep it, the next list starts from it (--previous).\n";
  });

  // show
  static std::string show_file;
  auto* show = trust_cmd->add_subcommand(
      "show", "Show a certificate, revocation list, trust store or key file (offline)");
  show->add_option("FILE", show_file, "The file")->required();
  show->add_flag("--json", as_json, "Print JSON");
  show->callback([] {
    json j = read_json_file(show_file);
    switch (kind_of(j, show_file)) {
      case FileKind::kCertificate: {
        trust::Certificate c = certificate_of(j, show_file);
        if (as_json) {
          std::cout << json{{"type", "certificate"},
                            {"fingerprint", c.fingerprint()},
                            {"certificate", trust::to_json(c)}}
                           .dump(2)
                    << "\n";
        } else {
          print_certificate(c);
        }
        return;
      }
      case FileKind::kRevocationList: {
        trust::RevocationList l = revocation_list_of(j, show_file);
        if (as_json) {
          std::cout << json{{"type", "revocation_list"},
                            {"fingerprint", l.fingerprint()},
                            {"revocation_list", trust::to_json(l)}}
                           .dump(2)
                    << "\n";
        } else {
          print_revocation_list(l);
        }
        return;
      }
      case FileKind::kTrustStore: {
        auto store = trust::TrustStore::from_json(j);
        if (!store.ok()) throw CliError(kExitInvalid, show_file + ": " + one_line(store.error()));
        if (as_json) {
          std::cout << json{{"type", "trust_store"}, {"trust_store", store->to_json()}}.dump(2)
                    << "\n";
        } else {
          print_trust_store(*store);
        }
        return;
      }
      case FileKind::kKeyFile: {
        trust::PublicKey pub = public_key_of_key_file(j, show_file);
        json info = {{"type", "key_file"},
                     {"key_id", pub.key_id()},
                     {"public_key", pub.encoded()},
                     {"label", j.value("label", "")},
                     {"kdf", j.value("kdf", "")},
                     {"opslimit", j.value("opslimit", 0)},
                     {"memlimit", j.value("memlimit", 0)}};
        if (as_json) {
          std::cout << info.dump(2) << "\n";
          return;
        }
        std::cout << "key file (the private key stays sealed; no passphrase is needed to show it)\n"
                  << "  label:        " << info["label"].get<std::string>() << "\n"
                  << "  key id:       " << pub.key_id() << "\n"
                  << "  public key:   " << pub.encoded() << "\n"
                  << "  passphrase:   " << str(info, "kdf") << ", " << str(info, "opslimit")
                  << " passes over "
                  << info["memlimit"].get<std::uint64_t>() / (std::uint64_t{1024} * 1024)
                  << " MiB\n";
        return;
      }
    }
  });

  // import
  static std::vector<std::string> import_files;
  auto* import = trust_cmd->add_subcommand(
      "import",
      "Send certificates, revocation lists or a trust store bundle to the hub's trust store");
  add_remote(import, remote);
  import->add_option("FILE", import_files, "Files to send, in order")->required();
  import->callback([] {
    std::vector<Entry> entries;
  for (const auto& f : import_files) {
    for (auto& e : entries_of(f)) entries.push_back(std::move(e));
  }
  HubClient c = client(remote);
  json results = json::array();
  int first_failure = kExitOk;
  std::size_t failures = 0;
  for (const auto& e : entries) {
    ClientResponse resp;
    try {
      resp = c.send("POST", e.route, e.body.dump());
    } catch (const std::exception& ex) {
      throw CliError(kExitUnavailable, ex.what());
    }
    json result = {{"file", e.file}, {"what", e.what}, {"http_status", resp.status}};
    if (resp.status < 400) {
      result["status"] = "imported";
      if (!remote.json_out) std::cout << "Imported " << e.what << "\n";
    } else if (e.from_bundle && resp.status == 409) {
      // A bundle overlaps with what a hub has; what it holds already is no failure.
      result["status"] = "already_held";
      if (!remote.json_out) std::cout << "Already held: " << e.what << "\n";
    } else {
      std::string line = e.file + ": " + describe_problem(resp.status, resp.body);
      int code = exit_code_for_http(resp.status);
      if (entries.size() == 1) throw CliError(code, line);
      result["status"] = "refused";
      result["detail"] = line;
      std::cerr << "liaison: " << line << "\n";
      if (failures++ == 0) first_failure = code;
    }
    results.push_back(std::move(result));
  }
  if (remote.json_out) std::cout << json{{"items", results}}.dump(2) << "\n";
  if (failures > 0) {
    throw CliError(first_failure, std::to_string(failures) + " of " +
                                      std::to_string(entries.size()) +
                                      " entries were not imported");
  }
});

// export
static std::string export_out;
auto* exp = trust_cmd->add_subcommand(
    "export", "Save the hub's trust store, for 'request verify --trust-store' offline");
add_remote(exp, remote);
exp->add_option("--out", export_out, "File to create")->required();
exp->callback([] {
  require_new(export_out);
  HubClient c = client(remote);
  json bundle = call(c, "GET", "/api/v1/trust");
  write_new_file(export_out, bundle.dump(2) + "\n", true);
  auto count = [&](const char* k) { return bundle.contains(k) ? bundle[k].size() : 0; };
  if (remote.json_out) {
    std::cout << json{{"file", export_out},
                      {"roots", count("roots")},
                      {"certificates", count("certificates")},
                      {"revocation_lists", count("revocation_lists")}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "Saved the hub's trust store to " << export_out << ": " << count("roots")
            << " root(s), " << count("certificates") << " certificate(s), "
            << count("revocation_lists") << " revocation list(s)\n";
});

// list
auto* list = trust_cmd->add_subcommand(
    "list", "List the certificates and revocation lists in the hub's trust store");
add_remote(list, remote);
static std::string list_kind, list_org;
list->add_option("--kind", list_kind, "Only certificates of this kind")
    ->check(CLI::IsMember({"root", "organisation", "user", "recipient"}));
list->add_option("--organisation", list_org,
                 "Only certificates naming this organisation (its id on the hub)");
list->callback([] {
  HubClient c = client(remote);
  std::string query;
  if (!list_kind.empty()) query += "kind=" + url_encode(list_kind);
  if (!list_org.empty())
    query += std::string(query.empty() ? "" : "&") + "organisation=" + url_encode(list_org);
  json certs = call(c, "GET", "/api/v1/trust/certificates" + (query.empty() ? "" : "?" + query));
  json lists = call(c, "GET", "/api/v1/trust/revocations");
  if (remote.json_out) {
    std::cout << json{{"certificates", certs["items"]}, {"revocation_lists", lists["items"]}}.dump(
                     2)
              << "\n";
    return;
  }
  Table t({"KIND", "SUBJECT", "KEY ID", "VALID UNTIL", "ROOT?", "FINGERPRINT"});
  for (const auto& i : certs["items"]) {
    std::string subject = str(i, "subject_name");
    const json& cert = i.value("certificate", json::object());
    if (cert.contains("subject") && cert["subject"].contains("email"))
      subject += " <" + str(cert["subject"], "email") + ">";
    bool is_root = i.value("kind", "") == "root";
    t.add({str(i, "kind"), subject, str(i, "key_id"), str(i, "not_after"),
           !is_root ? "-" : (i.value("trusted_root", false) ? "yes" : "distrusted"),
           str(i, "fingerprint")});
  }
  std::cout << t.render();
  if (lists["items"].empty()) return;
  std::cout << "\nRevocation lists\n";
  Table l({"ISSUER", "KEY ID", "NUMBER", "ISSUED AT", "ENTRIES"});
  for (const auto& i : lists["items"]) {
    const json& issuer = i.value("issuer", json::object());
    l.add({str(issuer, "name"), str(issuer, "key_id"), str(i, "number"), str(i, "issued_at"),
           std::to_string(i.value("entries", json::array()).size())});
  }
  std::cout << l.render();
});

// distrust
static std::string distrusted;
auto* distrust = trust_cmd->add_subcommand(
    "distrust", "Stop the hub trusting a root; what chains only to it stops verifying");
add_remote(distrust, remote);
distrust->add_option("ROOT", distrusted, "The root's fingerprint ('trust list'), or its file")
    ->required();
distrust->callback([] {
  std::string fingerprint = distrusted;
  std::error_code ec;
  if (std::filesystem::is_regular_file(distrusted, ec)) {
    trust::Certificate c = read_certificate(distrusted);
    if (c.kind != trust::CertKind::kRoot)
      throw CliError(kExitInvalid,
                     distrusted + ": " + trust::describe_certificate(c) + " is not a root");
    fingerprint = c.fingerprint();
  } else if (!trust::is_lower_hex(distrusted, 64)) {
    throw CliError(kExitUsage,
                   "ROOT: give a root's fingerprint (64 lower-case hex characters, "
                   "see 'liaison trust list') or its certificate file");
  }
  HubClient c = client(remote);
  call(c, "DELETE", "/api/v1/trust/roots/" + url_encode(fingerprint));
  if (remote.json_out) {
    std::cout << json{{"fingerprint", fingerprint}, {"trusted_root", false}}.dump(2) << "\n";
    return;
  }
  std::cout << "The hub no longer trusts the root " << fingerprint
            << "; what chains only to it no longer verifies\n";
});

// policy get|set
auto* policy =
    trust_cmd->add_subcommand("policy", "The co-signatures an organisation's requests need");
policy->require_subcommand(1);
static std::string policy_org;
static int validators = 0, supervisors = 0, follow_up_hours = 0;
auto* policy_get = policy->add_subcommand("get", "Show an organisation's signing policy");
add_remote(policy_get, remote);
policy_get->add_option("--org", policy_org, "Organisation id")->required();
policy_get->callback([] {
  HubClient c = client(remote);
  json p = call(c, "GET", "/api/v1/organisations/" + url_encode(policy_org) + "/signing-policy");
  if (remote.json_out) {
    std::cout << p.dump(2) << "\n";
  } else {
    print_policy(p);
  }
});
auto* policy_set = policy->add_subcommand(
    "set", "Change an organisation's signing policy; what is not given stays as it is");
add_remote(policy_set, remote);
policy_set->add_option("--org", policy_org, "Organisation id")->required();
static CLI::Option* validators_opt =
    policy_set->add_option("--validators", validators, "Validator co-signatures, 0-5");
static CLI::Option* supervisors_opt =
    policy_set->add_option("--supervisors", supervisors, "Supervisor co-signatures, 0-5");
static CLI::Option* hours_opt = policy_set->add_option(
    "--follow-up-hours", follow_up_hours,
    "Hours, 1-720, within which an emergency disclosure's legal process must follow");
policy_set->callback([] {
  if (validators_opt->count() + supervisors_opt->count() + hours_opt->count() == 0) {
    throw CliError(kExitUsage,
                   "nothing to change: give --validators, --supervisors or --follow-up-hours");
  }
  HubClient c = client(remote);
  std::string path = "/api/v1/organisations/" + url_encode(policy_org) + "/signing-policy";
  // The hub sets every field at once; keep what is not being changed.
  json current = call(c, "GET", path);
  json body = {{"validators", current.value("validators", 0)},
               {"supervisors", current.value("supervisors", 0)},
               {"follow_up_hours", current.value("follow_up_hours", 48)}};
  if (validators_opt->count() > 0) body["validators"] = validators;
  if (supervisors_opt->count() > 0) body["supervisors"] = supervisors;
  if (hours_opt->count() > 0) body["follow_up_hours"] = follow_up_hours;
  json p = call(c, "PUT", path, body.dump());
  if (remote.json_out) {
    std::cout << p.dump(2) << "\n";
  } else {
    print_policy(p);
  }
});
}  // namespace liaison::cli

}  // namespace liaison::cli
