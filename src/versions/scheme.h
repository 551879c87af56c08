// Version schemes (issue 3): one file per scheme, registered in SchemeRegistry.
//
// A scheme parses version strings of one ecosystem and orders them exactly as the ecosystem's
// own tool does (dpkg --compare-versions, rpm's rpmvercmp, npm's semver, Python's packaging, ...).
// Schemes are stateless and thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::versions {

class Scheme {
 public:
  virtual ~Scheme() = default;
  // Command-line name: "dpkg", "rpm", "apk", "semver", "pep440", "maven", "go", "gem", "nuget",
  // "composer", "cargo".
  virtual std::string_view name() const = 0;
  // kInvalidArgument with the reason when `v` is not a valid version of this scheme.
  virtual Status validate(std::string_view v) const = 0;
  // <0, 0, >0. Both must be valid (callers validate first); on invalid input the result is
  // unspecified but the call never crashes.
  virtual int compare(std::string_view a, std::string_view b) const = 0;
  // True when one valid version in `list` equals `v` (compare == 0); invalid entries never
  // match. `v` must be valid. Schemes that parse override it to parse `v` once (an advisory's
  // `versions` list can name hundreds of versions).
  virtual bool equals_any(std::string_view v, std::span<const std::string> list) const;
};

class SchemeRegistry {
 public:
  Status add(std::unique_ptr<Scheme> scheme);  // duplicate names fail
  const Scheme* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Scheme>> schemes_;
};

// Registers every built-in scheme (versions/builtins.cpp).
Status register_builtin_schemes(SchemeRegistry& registry);

// Compares with validation: kInvalidArgument naming which side is invalid and why.
Result<int> compare_versions(const Scheme& scheme, std::string_view a, std::string_view b);

}  // namespace hivesec::versions
