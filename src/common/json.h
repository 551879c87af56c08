// Bounded JSON parsing for untrusted input (image metadata, lock files, package manifests).
// nlohmann's parser recurses per nesting level, so depth is checked by a cheap scan first.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec {

inline constexpr int kMaxJsonDepth = 64;

// Deepest bracket nesting outside strings.
int json_nesting_depth(std::string_view text);

// Parses `text`. kLimit when it nests deeper than `max_depth`, kCorrupt when it is not JSON
// (the message is one line). Never throws.
Result<nlohmann::json> parse_json_bounded(std::string_view text, int max_depth = kMaxJsonDepth);

// obj[key] when `obj` is an object and the member is a string, else "". Never throws.
inline std::string json_string(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace hivesec
