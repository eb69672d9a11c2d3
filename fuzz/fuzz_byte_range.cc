// The Range request header, which any client may fill with anything, against
// file sizes the input also chooses: answering must never crash, and a
// partial answer must always lie inside the file and be non-empty.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "http/range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first eight bytes, if there are that many, are the file's size.
  std::uint64_t file_size = 1000;
  if (size >= sizeof file_size) {
    std::memcpy(&file_size, data, sizeof file_size);
    data += sizeof file_size;
    size -= sizeof file_size;
  }
  std::string_view header(reinterpret_cast<const char*>(data), size);
  using Kind = liaison::http::RangeAnswer::Kind;
  for (std::uint64_t s : {file_size, std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}}) {
    auto answer = liaison::http::answer_range(header, s);
    if (answer.kind == Kind::kPartial) {
      const auto& r = answer.range;
      if (r.length == 0 || r.offset >= s || r.length > s - r.offset) __builtin_trap();
      if (liaison::http::content_range(r, s).empty()) __builtin_trap();
    }
    if (s == 0 && answer.kind != Kind::kWhole) __builtin_trap();
  }
  (void)liaison::http::if_range_allows(header, "\"3fa8\"");
  return 0;
}
