// `liaison ledger`: audit a hub's ledger from outside, and keep and check the
// receipts of a request's entries (docs/ledger.md).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/key_files.h"
#include "cli/ledger_remote.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "ledger/audit.h"
#include "ledger/checkpoint.h"
#include "ledger/entry_lines.h"
#include "ledger/memory_tree.h"
#include "ledger/receipt.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

// Entries fetched per call: the hub's page limit.
constexpr std::int64_t kPage = 1000;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitNotFound, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ledger::NoteVerifier verifier_from(const std::string& vkey, const std::string& where) {
  auto v = ledger::NoteVerifier::parse_vkey(vkey);
  if (!v.ok()) throw CliError(kExitInvalid, where + ": " + v.error().message);
  return std::move(v).value();
}

// The checkpoint a note states, with its signature checked by `verifier`.
ledger::Checkpoint open_note(const std::string& note, const ledger::NoteVerifier& verifier,
                             const std::string& what) {
  auto opened = ledger::open_checkpoint(note, verifier);
  if (!opened.ok()) throw CliError(kExitInvalid, what + ": " + opened.error().message);
  return opened->checkpoint;
}

http::Headers plain_text() {
  http::Headers h;
  h.set("Accept", "text/plain");
  return h;
}

// After a root mismatch: the first entry that differs from what `latest`
// signed. The first m entries are what was signed exactly when their root is
// consistent with the signed root, so a binary search over m with the hub's
// consistency proofs (computed from the hashes it stored when it appended)
// finds it. Empty when the hub's proofs cannot tell.
std::string locate_difference(HubClient& c, const std::vector<ledger::Hash>& leaves,
                              const ledger::Checkpoint& latest) {
  if (leaves.size() != latest.size || leaves.empty()) return "";
  ledger::MemoryTree tree(leaves);
  auto agrees = [&](std::uint64_t m) -> bool {
    auto root = ledger::root_at(tree, m);
    if (!root.ok()) return false;
    if (m == latest.size) return root.value() == latest.root;
    return ledger::verify_consistency(m, latest.size, root.value(), latest.root,
                                      fetch_consistency_proof(c, m, latest.size))
        .ok();
  };
  std::uint64_t lo = 1, hi = latest.size;  // the first m that disagrees is in [lo, hi]
  try {
    if (agrees(hi)) return "";
    while (lo < hi) {
      std::uint64_t mid = lo + (hi - lo) / 2;
      if (agrees(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  } catch (const CliError&) {
    return "";
  }
  return "; entry " + std::to_string(lo - 1) +
         " is the first that differs from what the checkpoint signed (entries 0 to " +
         std::to_string(lo - 1) + " exclusive agree)";
}

struct VerifyOptions {
  Remote remote;
  std::string since;  // a checkpoint note saved earlier
  std::string save;   // where to save the verified checkpoint
  std::string vkey;   // the hub's verifier key, pinned
};

void verify(const VerifyOptions& o) {
  HubClient c = client(o.remote);
  json cp = call(c, "GET", "/api/v1/ledger/checkpoint");
  std::string vkey = o.vkey.empty() ? cp.value("vkey", "") : o.vkey;
  ledger::NoteVerifier verifier = verifier_from(vkey, "the hub's verifier key");
  if (!o.vkey.empty() && cp.value("vkey", "") != o.vkey) {
    throw CliError(kExitInvalid, "the hub now signs with " + cp.value("vkey", "") +
                                     ", not the pinned key " + o.vkey);
  }
  ledger::Checkpoint latest = open_note(cp.value("note", ""), verifier, "the latest checkpoint");

  std::optional<ledger::Checkpoint> earlier;
  if (!o.since.empty()) {
    earlier = open_note(read_text(o.since), verifier, o.since);
    if (earlier->origin != latest.origin) {
      throw CliError(kExitInvalid, o.since + " is a checkpoint of '" + earlier->origin +
                                       "', not of this hub's ledger '" + latest.origin + "'");
    }
    if (earlier->size > latest.size) {
      throw CliError(kExitInvalid,
                     "the ledger shrank: " + o.since + " has " + std::to_string(earlier->size) +
                         " entries, the hub's latest checkpoint " + std::to_string(latest.size));
    }
  }

  ledger::LogAuditor auditor(earlier);
  std::vector<ledger::Hash> leaves;  // to find a difference, should there be one
  leaves.reserve(latest.size);
  // The next page is fetched, on a connection of its own, while this one is
  // checked: the hub's work and ours overlap.
  HubClient fetcher = client(o.remote);
  auto fetch = [&](std::int64_t start) {
    std::int64_t end =
        std::min<std::int64_t>(start + kPage, static_cast<std::int64_t>(latest.size));
    return std::async(std::launch::async, [&fetcher, start, end] {
      return fetcher.send(
          "GET",
          "/api/v1/ledger/entries?start=" + std::to_string(start) + "&end=" + std::to_string(end),
          "", "application/json", plain_text());
    });
  };
  auto size = static_cast<std::int64_t>(latest.size);
  std::future<ClientResponse> next;
  if (size > 0) next = fetch(0);
  for (std::int64_t start = 0; start < size; start += kPage) {
    std::int64_t end = std::min<std::int64_t>(start + kPage, size);
    ClientResponse page = next.get();
    if (end < size) next = fetch(end);
    if (page.status != 200) {
      throw CliError(exit_code_for_http(page.status), describe_problem(page.status, page.body));
    }
    auto lines = ledger::parse_entry_lines(page.body, static_cast<std::uint64_t>(start));
    if (!lines.ok())
      throw CliError(kExitInvalid, lines.error().issues.empty() ? lines.error().message
                                                                : lines.error().issues[0].reason);
    for (std::string_view bytes : *lines) {
      leaves.push_back(ledger::leaf_hash(bytes));
      Status added = auditor.add(bytes);
      if (!added.ok()) throw CliError(kExitInvalid, added.error().message);
    }
    std::int64_t want = start + static_cast<std::int64_t>(lines->size());
    if (want != end) {
      throw CliError(kExitInvalid, "the log ends at entry " + std::to_string(want) +
                                       ", but the checkpoint signs " + std::to_string(latest.size) +
                                       " entries");
    }
  }
  Status done = auditor.finish(latest);
  if (!done.ok()) {
    throw CliError(kExitInvalid, done.error().message + locate_difference(c, leaves, latest));
  }

  // The hub's own consistency proof must agree too.
  if (earlier && earlier->size > 0 && earlier->size < latest.size) {
    std::vector<ledger::Hash> path = fetch_consistency_proof(c, earlier->size, latest.size);
    Status ok =
        ledger::verify_consistency(earlier->size, latest.size, earlier->root, latest.root, path);
    if (!ok.ok()) {
      throw CliError(kExitInvalid,
                     "the hub's consistency proof does not verify: " + ok.error().message);
    }
  }
  if (!o.save.empty()) {
    std::string tmp = o.save + ".tmp";
    std::filesystem::remove(tmp);
    write_new_file(tmp, cp.value("note", ""), true);
    std::filesystem::rename(tmp, o.save);
  }
  if (o.remote.json_out) {
    std::cout << json{{"verified", true},
                      {"origin", latest.origin},
                      {"tree_size", latest.size},
                      {"root_hash", ledger::to_hex(latest.root)},
                      {"consistent_with", earlier ? json(earlier->size) : json(nullptr)}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "Verified " << latest.size << " entries of " << latest.origin << ": root "
            << ledger::to_hex(latest.root) << ", checkpoint signed by " << verifier.name;
  if (earlier) std::cout << ", consistent with " << o.since << " (" << earlier->size << " entries)";
  std::cout << "\n";
}

}  // namespace

void add_ledger_commands(CLI::App& app) {
  auto* ledger_cmd =
      app.add_subcommand("ledger", "Audit a hub's tamper-evident ledger; keep and check receipts");
  ledger_cmd->require_subcommand(1);

  static VerifyOptions v;
  auto* verify_cmd = ledger_cmd->add_subcommand(
      "verify", "Fetch every entry, recompute the tree and check the signed checkpoint");
  add_remote(verify_cmd, v.remote);
  verify_cmd->add_option("--since", v.since,
                         "A checkpoint saved earlier (--save): the ledger must extend it");
  verify_cmd->add_option("--save", v.save, "Save the verified checkpoint here, for --since");
  verify_cmd->add_option("--vkey", v.vkey,
                         "The hub's checkpoint key, pinned (as GET /api/v1/ledger/checkpoint "
                         "gives it); by default the key the hub states");
  verify_cmd->callback([] { verify(v); });

  static Remote receipt_remote;
  static std::string receipt_request, receipt_out;
  auto* receipt = ledger_cmd->add_subcommand(
      "receipt", "Save the receipts of a request's ledger entries, to check offline");
  add_remote(receipt, receipt_remote);
  receipt->add_option("REQUEST", receipt_request, "Request id")->required();
  receipt->add_option("--out", receipt_out, "File to create")->required();
  receipt->callback([] {
    if (std::filesystem::exists(receipt_out))
      throw CliError(kExitUsage, receipt_out + " exists; choose a new file");
    HubClient c = client(receipt_remote);
    json bundle = call(c, "GET", "/api/v1/requests/" + url_encode(receipt_request) + "/receipts");
    bundle["liaison_ledger_receipts"] = 1;
    write_new_file(receipt_out, bundle.dump(2) + "\n");
    std::size_t n = bundle.value("receipts", json::array()).size();
    if (receipt_remote.json_out) {
      std::cout << json{{"file", receipt_out}, {"receipts", n}}.dump(2) << "\n";
      return;
    }
    std::cout << "Saved " << n << " receipt(s) of request " << receipt_request << " to "
              << receipt_out << "\n";
  });

  static std::string check_file, check_vkey;
  static bool check_json = false;
  auto* check = ledger_cmd->add_subcommand(
      "check-receipt", "Check a receipt file offline: commitment, inclusion and checkpoint");
  check->add_option("FILE", check_file, "A file saved by 'ledger receipt'")->required();
  check->add_option("--vkey", check_vkey,
                    "The hub's checkpoint key, pinned; by default the key the receipt states");
  check->add_flag("--json", check_json, "Machine-readable output");
  check->callback([] {
    json bundle = read_json_file(check_file);
    if (!bundle.is_object() || !bundle.contains("receipts") || !bundle["receipts"].is_array())
      throw CliError(kExitInvalid, check_file + ": not a receipt file (no \"receipts\" list)");
    std::optional<ledger::NoteVerifier> pinned;
    if (!check_vkey.empty()) pinned = verifier_from(check_vkey, "--vkey");
    json checked = json::array();
    std::size_t i = 0;
    for (const auto& r : bundle["receipts"]) {
      auto parsed = ledger::receipt_from_json(r);
      if (!parsed.ok())
        throw CliError(kExitInvalid,
                       "receipt " + std::to_string(i) + ": " + parsed.error().message);
      auto ok = ledger::check_receipt(parsed.value(), pinned);
      if (!ok.ok())
        throw CliError(kExitInvalid, "receipt " + std::to_string(i) + " (entry " +
                                         std::to_string(parsed->leaf_index) +
                                         "): " + ok.error().message);
      checked.push_back({{"leaf_index", parsed->leaf_index},
                         {"type", ok->entry.type},
                         {"time", format_rfc3339_micros(ok->entry.time)},
                         {"tree_size", ok->checkpoint.size},
                         {"origin", ok->checkpoint.origin}});
      ++i;
    }
    if (check_json) {
      std::cout << json{{"verified", true}, {"receipts", checked}}.dump(2) << "\n";
      return;
    }
    for (const auto& c : checked) {
      std::cout << "entry " << c["leaf_index"].get<std::uint64_t>() << "  "
                << c["type"].get<std::string>() << "  " << c["time"].get<std::string>() << "  in "
                << c["origin"].get<std::string>() << " at size "
                << c["tree_size"].get<std::uint64_t>() << "\n";
    }
    std::cout << "All " << checked.size() << " receipt(s) verify"
              << (pinned ? " against the pinned key" : " against the key they state") << "\n";
  });
}

}  // namespace liaison::cli
