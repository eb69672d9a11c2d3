// evidence_bench: the throughput of sealing and opening evidence packages,
// and the peak memory it takes.
//
//   evidence_bench [--dir D] [--size-mib N] [--items K] [--aead gcm|xchacha]
//                  [--input FILE]
//
// Writes K input files of N MiB in total to D (default /tmp), seals them for
// one recipient, inspects the package, opens it to verify, and opens it again
// into a sink that discards; prints GB/s for each and the process's peak RSS,
// then removes everything it wrote. --input seals one existing file instead
// of writing inputs, so that a file already in the page cache can be used.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "evidence/package.h"
#include "trust/certificate.h"
#include "trust/encoding.h"

using namespace liaison;  // NOLINT(google-build-using-namespace)

namespace {

trust::SecretKey key(const std::string& name) {
  return trust::SecretKey::from_seed(trust::sha256("evidence bench " + name)).value();
}

trust::Certificate issued(trust::Certificate c, const trust::SecretKey& by,
                          const std::string& name) {
  c.not_before = Timestamp::from_seconds(1'700'000'000);
  c.not_after = Timestamp::from_seconds(2'000'000'000);
  auto r = trust::issue_certificate(std::move(c), by, name);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

class Discard : public evidence::ItemSink {
 public:
  Status begin(const evidence::Item&) override { return Ok{}; }
  Status write(std::string_view p) override {
    bytes += p.size();
    return Ok{};
  }
  Status finish() override { return Ok{}; }
  void abort() override {}
  std::uint64_t bytes = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// User and system CPU seconds of the whole process so far.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "/tmp";
  std::uint64_t size_mib = 2048, items = 1;
  std::string given_input;
  evidence::Aead aead = evidence::Aead::kAes256Gcm;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--input")
      given_input = value;
    else if (flag == "--dir")
      dir = value;
    else if (flag == "--size-mib")
      size_mib = std::stoull(value);
    else if (flag == "--items")
      items = std::stoull(value);
    else if (flag == "--aead")
      aead = value == "xchacha" ? evidence::Aead::kXChaCha20Poly1305 : evidence::Aead::kAes256Gcm;
  }
  auto root_key = key("root"), org_key = key("org"), user_key = key("user"),
       police_key = key("police"), unit_key = key("unit");
  trust::OrgRef provider{"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider};
  trust::OrgRef police{"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority};
  trust::Certificate org;
  org.kind = trust::CertKind::kOrganisation;
  org.subject_name = provider.name;
  org.public_key = org_key.public_key();
  org.organisation = provider;
  org.country = "NL";
  org = issued(org, root_key, "Root");
  trust::Certificate user;
  user.kind = trust::CertKind::kUser;
  user.subject_name = "Eva Voorbeeld";
  user.public_key = user_key.public_key();
  user.organisation = provider;
  user.roles.add(Role::kAnalyst);
  user.country = "NL";
  user = issued(user, org_key, provider.name);
  trust::Certificate unit;
  unit.kind = trust::CertKind::kRecipient;
  unit.subject_name = "Digitale Recherche";
  unit.public_key = unit_key.public_key();
  unit.organisation = police;
  unit.country = "NL";
  unit = issued(unit, police_key, police.name);

  std::filesystem::path work =
      std::filesystem::path(dir) / ("evidence-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);
  std::vector<evidence::SealInput> inputs;
  if (!given_input.empty()) {
    size_mib = 0;
    items = 0;
    inputs.push_back({given_input, "input", "application/octet-stream", ""});
  }
  const std::uint64_t total =
      given_input.empty() ? size_mib << 20 : std::filesystem::file_size(given_input);
  std::vector<char> buf(4 << 20);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>(i * 2654435761u >> 13);
  for (std::uint64_t i = 0; i < items; ++i) {
    std::uint64_t size = total / items + (i < total % items ? 1 : 0);
    std::string p = (work / ("input-" + std::to_string(i))).string();
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    for (std::uint64_t done = 0; done < size;) {
      std::size_t n = std::min<std::uint64_t>(buf.size(), size - done);
      buf[0] = static_cast<char>(i + done);
      if (::write(fd, buf.data(), n) != static_cast<ssize_t>(n)) return 1;
      done += n;
    }
    ::close(fd);
    inputs.push_back({p, "items/input-" + std::to_string(i), "application/octet-stream", ""});
  }
  std::vector<char>().swap(buf);

  evidence::SealOptions options;
  options.request_id = "0191a7e2-4c1d-7b3e-9f00-1234567890ab";
  options.reference = "BENCH-1";
  options.created_at = Timestamp::from_seconds(1'800'000'000);
  options.aead = aead;
  std::string package = (work / "package.lep").string();
  const double gb = static_cast<double>(total) / 1e9;

  auto t = std::chrono::steady_clock::now();
  double cpu = cpu_seconds();
  auto sealed = evidence::seal_package(inputs, {unit}, user_key, {user, org}, options, package);
  double seal_s = seconds_since(t);
  if (!sealed.ok()) {
    std::fprintf(stderr, "seal: %s\n", sealed.error().message.c_str());
    return 1;
  }
  std::printf("seal     %8.3f s  %6.2f GB/s  cpu %6.3f s  (%s, %llu items, %.2f GB)\n", seal_s,
              gb / seal_s, cpu_seconds() - cpu, evidence::aead_name(aead),
              static_cast<unsigned long long>(items), gb);
  t = std::chrono::steady_clock::now();
  auto inspected = evidence::inspect_package(package);
  std::printf("inspect  %8.3f s\n", seconds_since(t));
  if (!inspected.ok()) return 1;
  t = std::chrono::steady_clock::now();
  cpu = cpu_seconds();
  auto verified = evidence::open_package(package, unit_key, nullptr);
  double verify_s = seconds_since(t);
  if (!verified.ok()) {
    std::fprintf(stderr, "open: %s\n", verified.error().message.c_str());
    return 1;
  }
  std::printf("verify   %8.3f s  %6.2f GB/s  cpu %6.3f s\n", verify_s, gb / verify_s,
              cpu_seconds() - cpu);
  Discard sink;
  t = std::chrono::steady_clock::now();
  cpu = cpu_seconds();
  auto opened = evidence::open_package(package, unit_key, &sink);
  double open_s = seconds_since(t);
  if (!opened.ok() || sink.bytes != total) return 1;
  std::printf("open     %8.3f s  %6.2f GB/s  cpu %6.3f s  (into a sink)\n", open_s, gb / open_s,
              cpu_seconds() - cpu);
  std::printf("peak RSS %ld MiB\n", peak_rss_kib() / 1024);
  std::filesystem::remove_all(work);
  return 0;
}
