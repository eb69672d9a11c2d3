// A real hub for end-to-end tests: `liaison demo` creates its data directory,
// and `liaison serve` runs as a child process on an ephemeral port.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace liaison::testing {

class HubProcess {
 public:
  // Creates a demo hub in a fresh temporary directory and starts serving it.
  // Extra arguments go to `liaison serve`.
  explicit HubProcess(std::vector<std::string> serve_args = {});
  ~HubProcess();
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  // Starts `liaison serve` again on the same data directory (after stop or kill).
  void start();
  // SIGTERM and wait.
  void stop();
  // SIGKILL and wait: no chance to flush or clean up.
  void kill_hard();

  // https:// when the hub was given --tls-cert.
  std::string base_url() const {
    return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  int port() const { return port_; }
  // The hub's own certificate (its --tls-cert) when it serves https, for a
  // client to trust; otherwise "".
  std::string tls_ca_file() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // The demo's tokens and ids, as `liaison demo` wrote them.
  const nlohmann::json& demo() const { return demo_; }
  std::string token(const std::string& user) const { return demo_["users"][user]["token"]; }
  std::string admin_token() const { return demo_["hub_admin"]["token"]; }
  std::string org_id(const std::string& org) const { return demo_["organisations"][org]["id"]; }
  std::string user_id(const std::string& user) const { return demo_["users"][user]["id"]; }
  // The example draft `liaison demo` wrote, addressed to the demo provider.
  nlohmann::json example_draft() const;

 private:
  TempDir dir_;
  std::filesystem::path data_dir_;
  std::vector<std::string> serve_args_;
  nlohmann::json demo_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool https_ = false;
};

// Runs the liaison binary with arguments; environment additions as NAME=VALUE.
ProcessResult run_liaison(const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});

// Runs it as the demo user `user` of `hub`: its address, token and key passphrase.
ProcessResult run_as(const HubProcess& hub, const std::string& user,
                     const std::vector<std::string>& args);

// Files a request through the command line as a police officer does: the
// demo officer runs `request create CREATE_ARGS… --validator NPPO --sign`,
// the demo prosecutor co-signs as validator where the route asks for one,
// and the officer submits. Returns the submitted request; an empty object,
// with a test failure, if a step failed.
nlohmann::json submit_via_cli(const HubProcess& hub, std::vector<std::string> create_args);

}  // namespace liaison::testing
