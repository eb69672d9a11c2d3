#include "cli/key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/output.h"

namespace liaison::cli {

namespace {

std::string read_line_quietly(const std::string& prompt) {
  std::string line;
  bool tty = ::isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string read_passphrase(const std::string& what, bool confirm) {
  if (const char* env = std::getenv("LIAISON_KEY_PASSPHRASE"); env != nullptr && *env != '\0')
    return env;
  std::string first = read_line_quietly("Passphrase for " + what + ": ");
  if (first.empty()) throw CliError(kExitUsage, "no passphrase given for " + what);
  if (confirm && ::isatty(STDIN_FILENO) != 0) {
    if (read_line_quietly("Again: ") != first) throw CliError(kExitUsage, "the passphrases differ");
  }
  return first;
}

trust::SecretKey load_key(const std::string& path) {
  std::string text = read_file(path);
  auto key = trust::open_key_file(text, read_passphrase(path));
  if (!key.ok()) {
    const auto& e = key.error();
    std::string reason = e.issues.empty() ? e.message : e.issues[0].reason;
    throw CliError(
        e.issues.empty() || e.issues[0].field != "passphrase" ? kExitInvalid : kExitDenied,
        path + ": " + reason);
  }
  return std::move(key).value();
}

void save_key(const std::string& path, const trust::SecretKey& key, const std::string& passphrase,
              const trust::KeyFileOptions& options) {
  if (passphrase.size() < 8)
    throw CliError(kExitUsage, "a key file passphrase needs at least 8 characters");
  auto sealed = trust::seal_key_file(key, passphrase, options);
  if (!sealed.ok()) fail(sealed.error());
  write_new_file(path, *sealed);
}

nlohmann::json read_json_file(const std::string& path) {
  auto j = nlohmann::json::parse(read_file(path), nullptr, false);
  if (j.is_discarded()) throw CliError(kExitInvalid, path + " is not JSON");
  return j;
}

void write_new_file(const std::string& path, const std::string& content, bool world_readable) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec))
    throw CliError(kExitConflict, path + " already exists; choose another name");
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, world_readable ? 0644 : 0600);
  if (fd < 0) throw CliError(kExitFailure, "cannot write " + tmp + ": " + std::strerror(errno));
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      throw CliError(kExitFailure, "cannot write " + path + ": " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  // link() refuses to replace a file that appeared meanwhile, unlike rename().
  if (!synced || ::link(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw CliError(err == EEXIST ? kExitConflict : kExitFailure, path + ": " + std::strerror(err));
  }
  ::unlink(tmp.c_str());
  std::string dir = parent.empty() ? "." : parent.string();
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace liaison::cli
