// UTC timestamps in the RFC 3339 form every hivesec output uses ("2026-11-22T20:56:20Z").
// Thread-safe; never throws.
#pragma once

#include <cstdint>
#include <string>

namespace hivesec {

// The current time, to the second.
std::string now_rfc3339();

// A CLOCK_REALTIME time in nanoseconds, with all nine fraction digits
// ("2026-11-22T20:56:20.123456789Z"), as runtime alerts carry it.
std::string rfc3339_nanos(uint64_t ns);

// Days (fractional) from an RFC 3339 UTC time ("YYYY-MM-DDTHH:MM:SS", anything after the
// seconds ignored) until now; -1 when it does not parse.
double days_since(const std::string& rfc3339);

}  // namespace hivesec
