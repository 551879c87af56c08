// License strings -> SPDX ids and expressions, for the SBOM writers (private to src/report).
//
// Package metadata carries licenses in every shape: SPDX ids ("MIT"), expressions
// ("MIT OR Apache-2.0"), Debian short names ("GPL-2+"), free text ("BSD-like", "Custom (c) X").
// SBOM formats accept only valid SPDX ids/expressions in their id/expression fields, so every
// string is classified here before it is written. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hivesec::report {

// The SPDX license list (generated: spdx_license_list.cpp).
extern const std::string_view kSpdxLicenseIds[];
extern const std::size_t kSpdxLicenseIdCount;
extern const std::string_view kSpdxExceptionIds[];
extern const std::size_t kSpdxExceptionIdCount;

// The canonical SPDX license id for `s`: a case-insensitive match on the list, or a well-known
// alias (Debian "GPL-2+" -> "GPL-2.0-or-later", "Expat" -> "MIT"). nullopt when unknown.
std::optional<std::string> canonical_license_id(std::string_view s);
// The canonical SPDX exception id ("classpath-exception-2.0" -> "Classpath-exception-2.0").
std::optional<std::string> canonical_exception_id(std::string_view s);

// Maps one simple license term of an expression to its output form, or nullopt to reject the
// whole expression.
using LicenseLeafMapper = std::function<std::optional<std::string>(std::string_view)>;

// Parses `expr` as an SPDX license expression (SPDX 2.3 Annex D: terms, "+", WITH, AND, OR,
// parentheses; operators in any case) and returns it normalized: operators upper case, single
// spaces, each term replaced by `leaf(term)`, exceptions canonicalized. nullopt when the grammar
// does not match, an exception is unknown, `leaf` rejects a term, or the input exceeds 4 KiB or
// 32 levels of parentheses.
std::optional<std::string> normalize_license_expression(std::string_view expr,
                                                        const LicenseLeafMapper& leaf);

// Leaf mapper accepting known ids (canonicalized, with an optional "+") and
// "LicenseRef-..."/"DocumentRef-...:LicenseRef-..." references as they are.
std::optional<std::string> known_license_leaf(std::string_view term);

enum class LicenseKind {
  kId,          // value is one canonical SPDX id
  kExpression,  // value is a normalized compound expression of known ids
  kName,        // not SPDX: value is the trimmed original text
};
struct ClassifiedLicense {
  LicenseKind kind;
  std::string value;
};
ClassifiedLicense classify_license(std::string_view s);

// True when `expr` (normalized) contains a top-level or nested operator, so it needs
// parentheses when combined with another expression.
bool is_compound_expression(std::string_view expr);

// Characters allowed in SPDX idstrings ([A-Za-z0-9.-]); everything else becomes '-', runs of
// '-' collapse, and the result is cut to `max_len`. Never empty ("unknown" for empty input).
std::string spdx_idstring(std::string_view s, std::size_t max_len = 64);

}  // namespace hivesec::report
