// Report writers: one file per format, registered in WriterRegistry (STYLE §4).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::report {

class Writer {
 public:
  virtual ~Writer() = default;
  virtual std::string_view name() const = 0;         // the --format value: "cyclonedx-1.5"
  virtual std::string_view description() const = 0;  // one line for --help
  // Writes the whole document. Must not write a partial document on error: build first, then
  // stream out.
  virtual Status write(const model::ScanResult& result, std::ostream& out) const = 0;
};

class WriterRegistry {
 public:
  Status add(std::unique_ptr<Writer> writer);
  const Writer* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Writer>> writers_;
};

// table, json, cyclonedx (1.6), cyclonedx-1.5, spdx (2.3 JSON), sarif (2.1.0), html —
// report/builtins.cpp.
Status register_builtin_writers(WriterRegistry& registry);

}  // namespace hivesec::report
