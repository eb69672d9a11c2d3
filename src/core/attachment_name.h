// What a document attached to a request may be called and typed. The name
// ends up as a file name on the other party's machine, so the rules keep out
// anything that could be a path, a hidden file or a control sequence. Shared
// by uploads through the API and documents that arrive over HI-1.
#pragma once

#include <string_view>

namespace liaison {

// 1-255 characters, not starting with '.', without '/', '\' or control
// characters.
bool is_attachment_file_name(std::string_view name);

// An RFC 6838 type/subtype: restricted-name characters on both sides.
bool is_media_type(std::string_view type);

}  // namespace liaison
