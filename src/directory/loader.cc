#include "directory/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace liaison::directory {

namespace fs = std::filesystem;

namespace {

// Far above any real entry; keeps a stray large file from being read whole.
constexpr std::uintmax_t kMaxFileBytes = 1 << 20;

}  // namespace

Result<std::vector<Entry>> load_directory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error::make(ErrorCode::kNotFound, "no directory data folder at " + dir);
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".toml" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return Error::make(ErrorCode::kUnavailable, "cannot read " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<Entry> out;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    if (fs::file_size(path, ec) > kMaxFileBytes || ec) {
      return Error::invalid("", name + " is larger than 1 MiB or unreadable");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return Error::make(ErrorCode::kUnavailable, "cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    LIAISON_ASSIGN_OR_RETURN(Entry e, parse_entry_toml(text.str(), name));
    if (path.stem().string() != e.id) {
      return Error::invalid("id", name + ": id '" + e.id + "' differs from the file's name");
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace liaison::directory
