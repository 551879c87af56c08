#include "common/json.h"

#include <algorithm>

namespace hivesec {

int json_nesting_depth(std::string_view text) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return max_depth;
}

Result<nlohmann::json> parse_json_bounded(std::string_view text, int max_depth) {
  if (int d = json_nesting_depth(text); d > max_depth) {
    return make_error(Errc::kLimit, "JSON nests {} levels deep (limit {})", d, max_depth);
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    // nlohmann messages are one line: "[json.exception.parse_error.101] parse error at ...".
    return make_error(Errc::kCorrupt, "invalid JSON: {}", e.what());
  }
}

}  // namespace hivesec
