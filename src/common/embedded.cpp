#include "common/embedded.h"

namespace hivesec {

std::string_view embedded_rule_file(std::string_view name) {
  for (const EmbeddedFile& f : embedded_rule_files()) {
    if (f.name == name) return f.content;
  }
  return {};
}

}  // namespace hivesec
