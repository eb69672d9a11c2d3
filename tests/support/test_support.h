// Helpers shared by the test binaries: temporary directories and processes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace liaison::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A file's bytes; empty if it cannot be read.
std::string slurp(const std::filesystem::path& p);

// Runs a program to completion, capturing stdout and stderr.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = "");

}  // namespace liaison::testing
