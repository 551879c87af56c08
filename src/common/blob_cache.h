// Compiled-rule caches on disk (YARA rules, Hyperscan databases): a blob stored with a magic
// line and its own sha256, written atomically. A missing, truncated or corrupted file reads as
// absent, so the caller compiles again; write failures are ignored (they only cost a compile).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hivesec {

// The payload of `path` when it starts with `magic` and its checksum holds; else nullopt.
std::optional<std::string> read_checked_blob(const std::string& path, std::string_view magic);

// Writes magic + sha256(payload) + payload to `path` (temp file + rename; parent directories
// created). Best effort.
void write_checked_blob(const std::string& path, std::string_view magic, std::string_view payload);

}  // namespace hivesec
