#include "evidence/recipients.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "trust/encoding.h"
#include "trust/init.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

namespace fields = trust::fields;

namespace {

// crypto_box_seal with a given ephemeral key pair: the ephemeral public key,
// then crypto_box of the message under the nonce BLAKE2b-192(epk || pk), as
// libsodium writes it, so crypto_box_seal_open opens it.
int seal_box_with_seed(unsigned char* out, const unsigned char* message, std::size_t size,
                       const unsigned char* recipient, const unsigned char* seed) {
  std::array<unsigned char, crypto_box_PUBLICKEYBYTES> epk{};
  std::array<unsigned char, crypto_box_SECRETKEYBYTES> esk{};
  std::array<unsigned char, crypto_box_NONCEBYTES> nonce{};
  crypto_box_seed_keypair(epk.data(), esk.data(), seed);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, nonce.size());
  crypto_generichash_update(&state, epk.data(), epk.size());
  crypto_generichash_update(&state, recipient, crypto_box_PUBLICKEYBYTES);
  crypto_generichash_final(&state, nonce.data(), nonce.size());
  std::copy(epk.begin(), epk.end(), out);
  int rc = crypto_box_easy(out + epk.size(), message, size, nonce.data(), recipient, esk.data());
  sodium_memzero(esk.data(), esk.size());
  return rc;
}

}  // namespace

PackageKey::~PackageKey() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

Result<std::vector<Stanza>> seal_stanzas(const std::vector<trust::Certificate>& recipients,
                                         const PackageKey& package_key,
                                         std::string_view vector_seed) {
  trust::init();
  if (!vector_seed.empty() && vector_seed.size() != 32) {
    return fields::bad("options/vector_seed", "must be 32 bytes");
  }
  if (recipients.empty() || recipients.size() > kMaxRecipients) {
    return fields::bad("recipients", "a package is sealed for 1 to 64 recipients, not " +
                                         std::to_string(recipients.size()));
  }
  std::vector<Stanza> stanzas;
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    const trust::Certificate& cert = recipients[i];
    std::string at = "recipients/" + std::to_string(i);
    if (cert.kind != trust::CertKind::kRecipient) {
      return fields::bad(at, "is " + trust::describe_certificate(cert) + ", a " +
                                 trust::cert_kind_name(cert.kind) +
                                 " certificate; packages are sealed only to recipient "
                                 "certificates");
    }
    if (!cert.organisation) return fields::bad(at, "names no organisation");
    for (std::size_t j = 0; j < i; ++j) {
      if (recipients[j].public_key == cert.public_key) {
        return fields::bad(at, "is the key of recipients/" + std::to_string(j) + " again");
      }
    }
    std::array<unsigned char, crypto_box_PUBLICKEYBYTES> x25519{};
    if (cert.public_key.bytes.size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_ed25519_pk_to_curve25519(
            x25519.data(), reinterpret_cast<const unsigned char*>(cert.public_key.bytes.data())) !=
            0) {
      return fields::bad(at + "/public_key", "has no X25519 form to seal to");
    }
    Stanza s;
    std::string sha = trust::sha256(cert.public_key.bytes);
    s.key_id = sha.substr(0, kKeyIdBytes);
    s.sealed_box.resize(kSealedBoxBytes);
    auto* box = reinterpret_cast<unsigned char*>(s.sealed_box.data());
    const auto* key = reinterpret_cast<const unsigned char*>(package_key.bytes().data());
    int rc = 0;
    if (vector_seed.empty()) {
      rc = crypto_box_seal(box, key, package_key.bytes().size(), x25519.data());
    } else {
      std::string seed(vector_seed);
      seed += "box";
      seed += static_cast<char>(i >> 8);
      seed += static_cast<char>(i & 0xff);
      std::string derived = trust::sha256(seed);
      rc = seal_box_with_seed(box, key, package_key.bytes().size(), x25519.data(),
                              reinterpret_cast<const unsigned char*>(derived.data()));
      sodium_memzero(derived.data(), derived.size());
    }
    if (rc != 0) {
      return Error::internal("cannot seal the package key to " + at);
    }
    stanzas.push_back(std::move(s));
  }
  return stanzas;
}

Result<PackageKey> open_stanza(const Header& header, const std::vector<RecipientRef>& listed,
                               const trust::SecretKey& key) {
  trust::init();
  trust::PublicKey pub = key.public_key();
  std::string key_id = trust::sha256(pub.bytes).substr(0, kKeyIdBytes);
  std::size_t index = header.stanzas.size();
  for (std::size_t i = 0; i < header.stanzas.size(); ++i) {
    if (header.stanzas[i].key_id == key_id) index = i;
  }
  if (index == header.stanzas.size()) {
    std::string names;
    for (const RecipientRef& r : listed) {
      if (!names.empty()) names += "; ";
      names += r.key_id + " (" + r.name + ", " + r.organisation.name + ")";
    }
    return fields::bad("recipients", "this key (" + pub.key_id() +
                                         ") is not a recipient of the package; it is sealed for " +
                                         names);
  }
  std::array<unsigned char, crypto_box_PUBLICKEYBYTES> x_pub{};
  std::array<unsigned char, crypto_box_SECRETKEYBYTES> x_secret{};
  const auto* ed_secret = reinterpret_cast<const unsigned char*>(key.bytes().data());
  if (crypto_sign_ed25519_pk_to_curve25519(
          x_pub.data(), reinterpret_cast<const unsigned char*>(pub.bytes.data())) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(x_secret.data(), ed_secret) != 0) {
    return fields::bad("recipients", "this key has no X25519 form to open with");
  }
  std::string package_key(kPackageKeyBytes, '\0');
  const Stanza& s = header.stanzas[index];
  int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(package_key.data()),
                                reinterpret_cast<const unsigned char*>(s.sealed_box.data()),
                                s.sealed_box.size(), x_pub.data(), x_secret.data());
  sodium_memzero(x_secret.data(), x_secret.size());
  PackageKey out(std::move(package_key));
  if (rc != 0) {
    return fields::bad("header/recipients/" + std::to_string(index),
                       "the sealed package key for this key (" + pub.key_id() +
                           ") does not open: the stanza was altered");
  }
  return out;
}

}  // namespace liaison::evidence
