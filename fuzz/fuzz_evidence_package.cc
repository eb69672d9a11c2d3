// Arbitrary bytes as an evidence package and as an exhibit, as a recipient or
// a court would receive them: inspect_package (steps 1–6 of the format's
// verification), open_package with the test vectors' recipient key when the
// structure holds, and verify_exhibit. Nothing may crash, hang or allocate
// beyond the format's limits; every refusal must name its field; a package
// that inspects must account for every byte of the file.
//
// The readers take paths, so each input is written to one memfd and read back
// through /proc/self/fd, which keeps the disk out of the loop.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "evidence/package.h"
#include "trust/encoding.h"
#include "trust/keys.h"

namespace {

using namespace liaison;

const std::string& input_path() {
  static const std::string path = [] {
    int fd = memfd_create("fuzz-evidence", 0);
    if (fd < 0) std::abort();
    return "/proc/self/fd/" + std::to_string(fd);
  }();
  return path;
}

int input_fd() { return std::stoi(input_path().substr(std::string("/proc/self/fd/").size())); }

// The first recipient of tests/vectors/evidence (see its README).
const trust::SecretKey& recipient() {
  static const trust::SecretKey key =
      trust::SecretKey::from_seed(trust::sha256("liaison evidence test seed: police evidence unit"))
          .value();
  return key;
}

class Discard : public evidence::ItemSink {
 public:
  Status begin(const evidence::Item&) override { return Ok{}; }
  Status write(std::string_view) override { return Ok{}; }
  Status finish() override { return Ok{}; }
  void abort() override {}
};

template <typename T>
void check_refusal(const Result<T>& r, const char* what) {
  if (r.ok() || r.error().code == ErrorCode::kUnavailable) return;
  if (r.error().issues.empty() || r.error().issues[0].field.empty()) {
    std::fprintf(stderr, "%s refused without naming a field: %s\n", what,
                 r.error().message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = input_fd();
  if (ftruncate(fd, 0) != 0) std::abort();
  if (size != 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
  const std::string& path = input_path();

  auto info = evidence::inspect_package(path);
  check_refusal(info, "inspect_package");
  if (info.ok()) {
    if (info->file_bytes != size || info->package_bytes > size ||
        (info->registration.has_value() != (info->package_bytes < size))) {
      std::fprintf(stderr, "inspect_package accounted for the wrong bytes\n");
      std::abort();
    }
    Discard sink;
    auto opened = evidence::open_package(path, recipient(), &sink);
    check_refusal(opened, "open_package");
  }
  auto exhibit = evidence::verify_exhibit(path);
  check_refusal(exhibit, "verify_exhibit");
  if (exhibit.ok() && exhibit->plaintext_offset + exhibit->item.size != size) {
    std::fprintf(stderr, "verify_exhibit accepted bytes beyond its plaintext\n");
    std::abort();
  }
  return 0;
}
