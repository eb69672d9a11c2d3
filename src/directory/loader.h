// Reading a folder of directory entries, one TOML file per provider, as the
// hub ships them in data/providers/. The one part of the directory module
// that touches the file system.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "directory/entry.h"

namespace liaison::directory {

// Every *.toml file in `dir` (not its subfolders), in file-name order. Each
// file's name must be its entry's id ("example-mail.toml" holds id
// "example-mail"), so no id appears twice. The first bad file fails the
// whole load, its name in the message.
Result<std::vector<Entry>> load_directory(const std::string& dir);

}  // namespace liaison::directory
