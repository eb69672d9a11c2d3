// The one place the law module touches the disk: reading the rule files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "law/loader.h"

namespace liaison::law {

Result<std::vector<LawFile>> read_law_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<LawFile> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error::make(ErrorCode::kNotFound, dir + ": not a directory of law rules");
  }
  for (const char* sub : {"instruments", "parties"}) {
    fs::path base = fs::path(dir) / sub;
    if (!fs::is_directory(base, ec)) {
      return Error::make(ErrorCode::kNotFound, base.string() + ": no such directory");
    }
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        paths.push_back(entry.path());
      }
    }
    if (ec) return Error::make(ErrorCode::kUnavailable, base.string() + ": " + ec.message());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      if (!in) return Error::make(ErrorCode::kUnavailable, "cannot read " + p.string());
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back({std::string(sub) + "/" + p.filename().string(), ss.str()});
    }
  }
  return out;
}

Result<LawBook> load_law(const std::string& dir) {
  LIAISON_ASSIGN_OR_RETURN(auto files, read_law_files(dir));
  return parse_law(files);
}

}  // namespace liaison::law
