#include "common/time.h"

#include <cstdio>
#include <ctime>

namespace hivesec {

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double days_since(const std::string& rfc3339) {
  std::tm tm{};
  if (strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return -1;
  return std::difftime(std::time(nullptr), timegm(&tm)) / 86400.0;
}

std::string rfc3339_nanos(uint64_t ns) {
  time_t secs = static_cast<time_t>(ns / 1000000000ull);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<unsigned>(ns % 1000000000ull));
  return buf;
}

}  // namespace hivesec
