// Private helpers for parsing untrusted image metadata JSON (manifests, configs, indexes).
// Not part of the public image API.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace hivesec::image::detail {

// Maximum nesting depth accepted in metadata JSON.

// Parses `text` as JSON, rejecting nesting deeper than kMaxJsonDepth. kCorrupt on failure,
// the message prefixed with `what`.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what);

// The following throw nlohmann::json::exception on a type mismatch; callers catch it.
// Returns "" when `key` is absent or null.
std::string opt_string(const nlohmann::json& obj, const char* key);
// Returns {} when absent or null; a single string becomes a one-element list.
std::vector<std::string> opt_string_list(const nlohmann::json& obj, const char* key);
// Returns the keys of an object member ({} when absent or null).
std::vector<std::string> opt_object_keys(const nlohmann::json& obj, const char* key);

}  // namespace hivesec::image::detail
