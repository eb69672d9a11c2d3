#include "http/static_site.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace liaison::http {

namespace fs = std::filesystem;

namespace {

// Scripts, styles, images and fetches from this origin only; no plug-ins, no
// framing by other sites (clickjacking), no <base> rewriting, forms post here.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

std::string etag_of(const std::string& bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned int i = 0; i < 12 && i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out + "\"";
}

bool is_app_address(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') == std::string_view::npos;
}

bool matches_etag(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match == "*") return true;
  std::stringstream list(if_none_match);
  std::string item;
  while (std::getline(list, item, ',')) {
    auto first = item.find_first_not_of(" \t");
    auto last = item.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    item = item.substr(first, last - first + 1);
    // If-None-Match compares weakly (RFC 9110 §13.1.2).
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    if (item == etag) return true;
  }
  return false;
}

}  // namespace

std::string media_type_for(const std::string& file_name) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/vnd.microsoft.icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  auto dot = file_name.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  auto it = kTypes.find(std::string_view(file_name).substr(dot));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Result<StaticSite> StaticSite::open(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_regular_file(root / "index.html", ec)) {
    return Error::invalid("web", root.string() + " holds no index.html: build the portal first");
  }
  StaticSite site;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return Error::invalid("web", root.string() + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec)) continue;
    std::string relative = fs::relative(entry.path(), root, ec).generic_string();
    if (ec) return Error::invalid("web", entry.path().string() + ": " + ec.message());
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return Error::invalid("web", "cannot read " + entry.path().string());
    File f;
    f.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    f.media_type = media_type_for(relative);
    f.etag = etag_of(f.bytes);
    f.immutable = relative.rfind("assets/", 0) == 0;
    site.files_.emplace("/" + relative, std::move(f));
  }
  return site;
}

std::uint64_t StaticSite::total_bytes() const {
  std::uint64_t n = 0;
  for (const auto& [path, f] : files_) n += f.bytes.size();
  return n;
}

std::optional<Response> StaticSite::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string& path = request.path == "/" ? std::string("/index.html") : request.path;
  if (auto it = files_.find(path); it != files_.end()) return answer(request, it->second);
  if (is_app_address(path)) return answer(request, files_.at("/index.html"));
  return std::nullopt;
}

Response StaticSite::answer(const Request& request, const File& file) const {
  Response r;
  r.headers.set("ETag", file.etag);
  r.headers.set("Cache-Control",
                file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.set("X-Content-Type-Options", "nosniff");
  r.headers.set("Content-Security-Policy", kContentSecurityPolicy);
  r.headers.set("X-Frame-Options", "DENY");
  r.headers.set("Referrer-Policy", "no-referrer");
  if (auto tag = request.headers.get("If-None-Match"); tag && matches_etag(*tag, file.etag)) {
    r.status = 304;
    return r;
  }
  r.headers.set("Content-Type", file.media_type);
  r.body = file.bytes;
  return r;
}

}  // namespace liaison::http
