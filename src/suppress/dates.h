// Calendar dates and RFC 3339 timestamps as used by ignore-file expiry and VEX statement
// ordering. Internal to src/suppress. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hivesec::suppress {

// Days since 1970-01-01 of a "YYYY-MM-DD" date; nullopt unless it is exactly that form and a
// real calendar date (2023-02-29 is rejected).
std::optional<int64_t> parse_date(std::string_view s);

// An instant with nanosecond precision; ordered.
struct Instant {
  int64_t seconds = 0;  // since the Unix epoch, UTC
  int32_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};

// Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" ('t', 'z' and a space for 'T'
// accepted; fractions past nanoseconds are truncated). nullopt when malformed.
std::optional<Instant> parse_rfc3339(std::string_view s);

// Today's date in UTC as "YYYY-MM-DD".
std::string today_utc();

}  // namespace hivesec::suppress
