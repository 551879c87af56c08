// Text formats the `file` collector parses, registered by name (STYLE §4): json, yaml,
// keyvalue ("Key value", login.defs), sshd (keyvalue, case-insensitive keys, first wins),
// sysctl ("k = v"), ini ([section] k=v), systemd (unit files), flags (a command line),
// lines (non-comment lines), text (as is).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace hivesec::policy::collectors {

// kCorrupt "line N: reason" for malformed input; kInvalidArgument for an unknown format.
Result<nlohmann::json> parse_format(const std::string& format, const std::string& text);
std::vector<std::string> format_names();

}  // namespace hivesec::policy::collectors
