// Data files compiled into hivesec: everything under rules/ (YAML rule sets), embedded at build
// time by CMake (generated/embedded_rules.cpp) so the binary needs no data directory.
#pragma once

#include <string_view>
#include <vector>

namespace hivesec {

struct EmbeddedFile {
  std::string_view name;     // path below rules/ ("sensitive-files.yaml")
  std::string_view content;  // the file's bytes
};

// Every embedded rule file, sorted by name.
const std::vector<EmbeddedFile>& embedded_rule_files();

// The content of rules/<name>; "" when there is no such file.
std::string_view embedded_rule_file(std::string_view name);

}  // namespace hivesec
