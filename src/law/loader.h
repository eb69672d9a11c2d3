// Reading the rule files of data/law/ into a LawBook.
//
// Layout (docs/law.md): instruments/<id>.toml, one instrument each with its
// articles and routes; parties/<id>.toml, one party table each. Every file is
// checked in full: unknown keys, wrong types, missing keys, references to
// things that do not exist, impossible dates. An error names the file, the key
// path and the reason, one line each:
//   instruments/sap.toml: route[2].deadlines.response.amount: must be a positive integer
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "law/date.h"
#include "law/model.h"

namespace liaison::law {

// One rule file: its name relative to the law directory, and its text.
struct LawFile {
  std::string name;  // "instruments/sap.toml" or "parties/sap.toml"
  std::string text;
};

// One thing wrong with the rules.
struct Problem {
  std::string file;  // "instruments/sap.toml"
  std::string path;  // "route[2].deadlines.response.amount"; empty for the whole file
  std::string reason;
  std::string line() const;  // "file: path: reason"
};

// Parses and checks rule files given in memory (tests, the fuzzer). Fails with
// every problem as an issue (field "file: path"), the first in the message.
// Routes come out in rank order, then by id.
Result<LawBook> parse_law(const std::vector<LawFile>& files);

// Reads every *.toml under dir/instruments and dir/parties, in name order.
// Does no checking beyond being able to read them.
Result<std::vector<LawFile>> read_law_files(const std::string& dir);

// read_law_files, then parse_law.
Result<LawBook> load_law(const std::string& dir);

// As parse_law, but returns every problem found rather than failing, with the
// book built from whatever was sound. The checker builds on this.
LawBook parse_law_collecting(const std::vector<LawFile>& files, std::vector<Problem>& problems);

}  // namespace liaison::law
