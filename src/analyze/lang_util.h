// Private helpers shared by the language-ecosystem analyzers (npm, python, composer, ...).
// Not part of the analyze/ public surface. All functions are pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace hivesec::analyze::lang {


// Parses JSON from untrusted bytes. Fails with kLimit when arrays/objects nest deeper than
// `max_depth` (checked before parsing, so the parser never sees hostile nesting) and with
// kCorrupt (parser message) when the text is not JSON. Never throws.
Result<nlohmann::json> parse_json(std::string_view text, int max_depth = kMaxJsonDepth);


// The string at `key` of a JSON object, or "" when absent or not a string.
std::string json_string(const nlohmann::json& obj, std::string_view key);

// Licenses in npm/composer forms: "MIT", {"type":"MIT"}, ["MIT", {"type":"ISC"}].
// Strings are trimmed; empty ones dropped; at most 16 entries.
std::vector<std::string> json_licenses(const nlohmann::json& v);

// PEP 503 / purl normalization of a PyPI name: lowercase, runs of '-', '_', '.' become '-'.
std::string normalize_pypi_name(std::string_view name);

// Splits "@scope/name" into {"@scope", "name"}; "name" into {"", "name"}.
std::pair<std::string_view, std::string_view> split_scope(std::string_view full_name);

// True when `name` is plausible as a package name: non-empty, at most 214 bytes, no control
// characters, spaces or '\\'.
bool plausible_name(std::string_view name);

std::string_view trim(std::string_view s);

// Splits text into lines (handles "\n" and "\r\n"); views into `text`.
std::vector<std::string_view> split_lines(std::string_view text);

// Splits a normalized image path on '/'.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace hivesec::analyze::lang
