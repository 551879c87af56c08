// Package URL comparison for suppression scopes (ignore entries, VEX products).
#pragma once

#include <string>
#include <string_view>

#include "model/purl.h"

namespace hivesec::suppress {

// True when `pattern` names the package `actual`: same type, namespace and name after the
// type's case rules (npm, deb, apk, pypi, ... are case-insensitive; pypi also treats runs of
// '-', '_', '.' alike), and the same version when `pattern` has one (a pattern without a
// version matches every version). Qualifiers and subpaths are ignored. Pure.
bool purl_matches(const model::Purl& pattern, const model::Purl& actual);

// `name` in the form used for comparison under purl type `type` (see purl_matches).
std::string normalized_package_name(std::string_view type, std::string_view name);

}  // namespace hivesec::suppress
