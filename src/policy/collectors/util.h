// Helpers shared by the collectors (private to src/policy/collectors).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "policy/collector.h"

namespace hivesec::policy::collectors {

// A string parameter; "" when absent.
std::string param(const nlohmann::json& params, const char* key);
// kInvalidArgument unless `key` is a non-empty string parameter (an absolute path when `path`).
Status require_param(const nlohmann::json& params, const char* key, bool path = false);
// kInvalidArgument when params hold keys not in `allowed`.
Status only_params(const nlohmann::json& params, std::initializer_list<const char*> allowed);

// Names in a target directory matching a shell glob (basename only), sorted; empty when the
// directory does not exist.
std::vector<std::string> list_dir(Host& host, const std::string& dir,
                                  const std::string& glob = "*");

// Splits on '\n', dropping '\r'.
std::vector<std::string> split_lines(const std::string& text);
std::string trim(std::string s);

// Command-line flags: "--a=b", "--a b", "-x", "--flag" -> {"a": "b", "x": "true", ...}; the
// leading dashes are dropped; a later flag replaces an earlier one.
nlohmann::json parse_flags(const std::vector<std::string>& args);

// A path's stat on the target (the `stat` collector's value; stat.cpp): kMissing when it does
// not exist, kUnavailable on permission denied while not root, kError otherwise.
Fact stat_fact(Host& host, const std::string& path);

// Natural version order ("5.10.0-9" < "5.10.0-10").
bool version_less(const std::string& a, const std::string& b);

}  // namespace hivesec::policy::collectors
