// The web portal's files, served from memory: a single-page app built into one
// folder (index.html plus content-hashed files under assets/).
//
// The folder is read once, when the hub starts, so a request can only ever
// name a file that was in it then: a path is looked up in a table, never
// joined to a directory, and nothing outside the folder can be reached.
//
// What a browser gets:
//   - a file by its path; "/" is index.html;
//   - index.html for any other GET of a path whose last segment has no dot,
//     so that the app's own addresses (/requests/…) load the app, which then
//     routes on the client;
//   - nothing (the caller answers 404) for an unknown file name;
//   - files under assets/ with a year-long immutable cache lifetime, since a
//     change gives them a new name; everything else revalidated each time;
//   - an ETag, and 304 for a matching If-None-Match;
//   - a Content-Security-Policy that allows scripts, styles and connections to
//     this origin only, and no framing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace liaison::http {

class StaticSite {
 public:
  // Reads every regular file below `root`, which must hold an index.html.
  static Result<StaticSite> open(const std::filesystem::path& root);

  // The answer to a GET or HEAD of request.path, or nullopt when the site has
  // no such file (and the path is not one of the app's own addresses).
  std::optional<Response> serve(const Request& request) const;

  std::size_t file_count() const { return files_.size(); }
  std::uint64_t total_bytes() const;

 private:
  struct File {
    std::string bytes;
    std::string media_type;
    std::string etag;  // quoted, as sent
    bool immutable = false;
  };

  Response answer(const Request& request, const File& file) const;

  std::map<std::string, File, std::less<>> files_;  // by path, "/index.html"
};

// The media type a file name's extension stands for; application/octet-stream
// for one this table does not know.
std::string media_type_for(const std::string& file_name);

}  // namespace liaison::http
