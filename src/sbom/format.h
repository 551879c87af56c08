// Private to src/sbom: one FormatReader per SBOM format, chosen by content detection through a
// FormatRegistry (STYLE §4). reader.cpp parses JSON once, asks the registry which reader
// recognizes the document and completes that reader's SbomContent into a ScanResult.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/os.h"
#include "model/package.h"

namespace hivesec::sbom {

// One document to read. Views are valid for the duration of the detect/read call.
struct SbomInput {
  std::string_view bytes;  // the whole document, UTF-8 byte order mark removed
  std::string_view name;   // for messages
  // The parsed document when the bytes are a JSON object; null otherwise.
  const nlohmann::json* json = nullptr;
};

// What a format reader found, before reader.cpp applies the format-independent steps (OS from
// purls, Go stdlib, sorting, the asset).
struct SbomContent {
  std::string format;   // "cyclonedx-1.6", "spdx-2.3", "spdx-2.3-tag-value"
  std::string subject;  // name of the described thing, "" when the document names none
  model::OsInfo os;     // as declared by the document; empty when it declares none
  std::vector<model::Package> packages;
  std::vector<std::string> notes;
  std::size_t skipped = 0;  // entries without a purl or enough to build one
};

class FormatReader {
 public:
  virtual ~FormatReader() = default;
  virtual std::string_view name() const = 0;  // "cyclonedx-json"
  // True when the document is this format. Cheap, never fails.
  virtual bool detect(const SbomInput& in) const = 0;
  // Reads a document detect() accepted. Errors are one line, without the document name.
  virtual Result<SbomContent> read(const SbomInput& in) const = 0;
};

class FormatRegistry {
 public:
  // kInternal when a reader of that name is already registered.
  Status add(std::unique_ptr<FormatReader> reader);
  // The first reader (in registration order) that detects `in`; nullptr when none does.
  const FormatReader* detect(const SbomInput& in) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<FormatReader>> readers_;
};

std::unique_ptr<FormatReader> make_cyclonedx_json_reader();
std::unique_ptr<FormatReader> make_cyclonedx_xml_reader();  // recognizes, then refuses
std::unique_ptr<FormatReader> make_spdx_json_reader();
std::unique_ptr<FormatReader> make_spdx_tag_value_reader();

// The one visible list of SBOM input formats (builtins.cpp).
Status register_builtin_formats(FormatRegistry& registry);

}  // namespace hivesec::sbom
