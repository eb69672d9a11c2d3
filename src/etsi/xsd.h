// Validation against the official XSDs of TS 103 120 and TS 103 280.
//
// What Liaison emits must validate. The schemas are read from data/etsi/ into
// memory and libxml2 is given only those (xml_tree.h's loader), so validating
// never touches the network or other files. Four namespaces' XSDs are not
// among ETSI's files here (Authorisation, Document, Notification,
// TrafficPolicy; their JSON schemas are), nor are the W3C XMLDSig schema and
// the dictionaries' XSD: each stands in as a stub that admits any content
// under the standard's names, so the rest of a message is still checked.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

class XsdValidator {
 public:
  // `etsi_dir` is data/etsi (its ts103120/schema/xsd and ts103280); `extra`
  // adds schemas of content carried inside messages (XMLData of a delivery).
  static Result<XsdValidator> load(const std::filesystem::path& etsi_dir,
                                   const std::vector<std::filesystem::path>& extra = {});

  // Ok, or kInvalidArgument on "xsd" with the first problems, each with its line.
  Status validate(const std::string& xml) const;
  // The same for a document already parsed (parse_xml's `inspect`).
  Status validate(LibxmlDocument& doc) const;
  // The same for a tree (one read from the JSON encoding), as the XML it
  // stands for; the problems name elements, not lines.
  Status validate(const XmlElement& tree) const;

 private:
  struct Schema;
  std::shared_ptr<const Schema> schema_;
};

}  // namespace liaison::etsi
