#include "core/base64.h"

#include <sodium.h>

namespace liaison {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.find('\0'));
  return out;
}

Result<std::string> base64_decode(std::string_view text, const std::string& field) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return Error::invalid(field, field + " is not standard base64 with padding");
  }
  out.resize(len);
  return out;
}

}  // namespace liaison
