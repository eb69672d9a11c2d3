#include "trust/base32.h"

#include <liboath/oath.h>

#include <cstdlib>
#include <memory>

#include "trust/oath.h"

namespace liaison::trust {

namespace {

// liboath returns malloc'd buffers; this hands them back to free().
struct FreeDeleter {
  // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
  void operator()(char* p) const { std::free(p); }
};

}  // namespace

std::string base32_encode(std::string_view bytes) {
  init_oath();
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) return "";
  std::unique_ptr<char, FreeDeleter> owned(out);
  std::string s(out, len);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Result<std::string> base32_decode(std::string_view text, const std::string& field) {
  init_oath();
  std::string clean;
  for (char ch : text) {
    if (ch == ' ' || ch == '=') continue;
    clean += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
  }
  // liboath wants whole blocks of eight characters, padded.
  while (clean.size() % 8 != 0) clean += '=';
  char* out = nullptr;
  std::size_t len = 0;
  if (clean.empty() || oath_base32_decode(clean.data(), clean.size(), &out, &len) != OATH_OK)
    return Error::invalid(field, "is not base32");
  std::unique_ptr<char, FreeDeleter> owned(out);
  return std::string(out, len);
}

}  // namespace liaison::trust
