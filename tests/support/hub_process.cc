#include "support/hub_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace liaison::testing {

namespace {
nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}
}  // namespace

HubProcess::HubProcess(std::vector<std::string> serve_args)
    : data_dir_(dir_.path() / "hub"), serve_args_(std::move(serve_args)) {
  // The cheapest password hashes: the demo hashes nine passwords, and every
  // end-to-end test starts from one. The cost is the hub's setting, not its logic.
  auto r =
      run_process({LIAISON_BINARY, "demo", "--data", data_dir_.string(), "--password-hash", "min"});
  if (r.exit_code != 0) throw std::runtime_error("liaison demo failed: " + r.err);
  demo_ = read_json(data_dir_ / "demo-tokens.json");
  start();
}

HubProcess::~HubProcess() {
  if (pid_ > 0) stop();
}

nlohmann::json HubProcess::example_draft() const {
  return read_json(data_dir_ / "demo-request.json");
}

void HubProcess::start() {
  auto out_path = dir_.path() / "serve.out";
  auto err_path = dir_.path() / "serve.err";
  std::filesystem::remove(out_path);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<std::string> args = {LIAISON_BINARY,     "serve",    "--data",
                                     data_dir_.string(), "--listen", "127.0.0.1:0",
                                     "--log-level",      "warn"};
    args.insert(args.end(), serve_args_.begin(), serve_args_.end());
    if (std::find(args.begin(), args.end(), "--password-hash") == args.end()) {
      args.push_back("--password-hash");
      args.push_back("min");
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  // The hub prints "... at http://127.0.0.1:PORT" (or https://) once it listens.
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(out_path);
    std::string line;
    if (std::getline(in, line)) {
      auto colon = line.rfind(':');
      if (colon != std::string::npos && line.find("://") != std::string::npos) {
        port_ = std::stoi(line.substr(colon + 1));
        https_ = line.find("https://") != std::string::npos;
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream err(err_path);
      std::stringstream ss;
      ss << err.rdbuf();
      throw std::runtime_error("liaison serve exited early: " + ss.str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("liaison serve did not start listening in 5 s");
}

std::string HubProcess::tls_ca_file() const {
  if (!https_) return {};
  auto flag = std::find(serve_args_.begin(), serve_args_.end(), "--tls-cert");
  return flag != serve_args_.end() && flag + 1 != serve_args_.end() ? *(flag + 1) : std::string();
}

void HubProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void HubProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

ProcessResult run_liaison(const std::vector<std::string>& args,
                          const std::vector<std::string>& env) {
  std::vector<std::string> argv;
  if (!env.empty()) {
    argv.push_back("/usr/bin/env");
    argv.insert(argv.end(), env.begin(), env.end());
  }
  argv.push_back(LIAISON_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

ProcessResult run_as(const HubProcess& hub, const std::string& user,
                     const std::vector<std::string>& args) {
  return run_liaison(args,
                     {"LIAISON_HUB=" + hub.base_url(), "LIAISON_TOKEN=" + hub.token(user),
                      "LIAISON_KEY_PASSPHRASE=" + hub.demo()["key_passphrase"].get<std::string>()});
}

nlohmann::json submit_via_cli(const HubProcess& hub, std::vector<std::string> create_args) {
  auto key = [&](const std::string& user) {
    return (hub.data_dir() / "keys" / (user + ".key")).string();
  };
  auto step = [&](const std::string& user, std::vector<std::string> args) {
    args.push_back("--json");
    ProcessResult r = run_as(hub, user, args);
    EXPECT_EQ(r.exit_code, 0) << args[1] << " as " << user << ": " << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return r.exit_code == 0 && j.is_object() ? j : nlohmann::json::object();
  };
  std::vector<std::string> create = {"request", "create"};
  create.insert(create.end(), create_args.begin(), create_args.end());
  for (const char* extra : {"--validator", "NPPO", "--sign"}) create.emplace_back(extra);
  create.push_back(key("officer"));
  nlohmann::json r = step("officer", create);
  if (!r.contains("id")) return r;
  std::string id = r["id"];
  if (r["signatures_required"].value("validators", 0) > 0) {
    r = step("prosecutor",
             {"request", "sign", id, "--key", key("prosecutor"), "--as", "validator"});
  }
  return step("officer", {"request", "act", id, "submit"});
}

}  // namespace liaison::testing
