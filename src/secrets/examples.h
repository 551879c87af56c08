// Expansion of the example templates of secret rules (rules/secrets/*.yaml, `examples:`).
//
// Examples are committed as templates so that no credential-shaped literal is in the source tree;
// they are expanded with random characters when rules are checked (the loader and the rule tests).
// A template is text with placeholders `{CLASS:N}` (N characters drawn from CLASS, 1 <= N <= 65536):
//   alnum A-Za-z0-9 | upper A-Z | lower a-z | digits 0-9 | hex 0-9a-f | HEX 0-9A-F
//   base64 A-Za-z0-9+/ | base64url A-Za-z0-9-_ | upper_digits A-Z0-9 | lower_digits a-z0-9
//   x  N copies of 'x' (low-entropy near misses)
// Any other brace text is literal ("${VAR}", "{}"), except `{word:digits}` with an unknown word,
// which is an error (a misspelt class would otherwise silently become literal text).
// The random source is splitmix64 seeded with `seed`: the same seed gives the same expansion.
// tools that mirror this (the Python rule checker) need the classes, not the exact bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::secrets {

// Thread-safe (no shared state). kInvalidArgument naming the bad placeholder.
Result<std::string> expand_example(std::string_view tmpl, uint64_t seed);

}  // namespace hivesec::secrets
