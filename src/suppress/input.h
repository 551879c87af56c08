// Small helpers shared by the suppression file readers (ignore files, VEX documents): bounded
// file reading and quoting untrusted text in one-line messages. Internal to src/suppress.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::suppress {

// Largest ignore file or VEX document read (16 MiB).
inline constexpr size_t kMaxInputBytes = size_t{16} << 20;

// Reads a whole regular file of at most `max_bytes`. Errors name the path: kNotFound when it is
// missing, kLimit when larger, kIo otherwise (a directory, unreadable). Thread-safe.
[[nodiscard]] Result<std::string> read_input_file(const std::string& path,
                                                  size_t max_bytes = kMaxInputBytes);

// `s` shortened to `max` bytes ("..." appended) with control characters replaced by '?', so an
// untrusted token can be quoted in a one-line message.
std::string shown(std::string_view s, size_t max = 80);

// ASCII lowercase.
std::string ascii_lower(std::string_view s);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace hivesec::suppress
