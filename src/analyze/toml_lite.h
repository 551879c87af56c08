// A minimal, bounded TOML reader for lock files (poetry.lock, Cargo.lock). Private to analyze/.
//
// Supported: comments, [table] and [[array.of.tables]] headers (dotted, quoted keys), key = value
// with dotted/quoted keys, basic and literal strings (single- and multi-line, common escapes),
// integers, floats, booleans, dates (kept as raw text), arrays (multi-line, nested) and inline
// tables. Not supported: the finer points of TOML validation (mixed-type arrays are accepted,
// redefinition rules are only checked for plain keys). Thread-safe, no global state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::analyze::toml {

struct Value {
  enum class Kind { kString, kInteger, kFloat, kBool, kDatetime, kArray, kTable };
  Kind kind = Kind::kTable;
  // kString: the decoded string; kInteger/kFloat/kBool/kDatetime: the raw token.
  std::string text;
  std::vector<Value> items;       // kArray elements; kTable values (parallel to `keys`)
  std::vector<std::string> keys;  // kTable keys, in document order

  bool is_table() const { return kind == Kind::kTable; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_string() const { return kind == Kind::kString; }
  // Member of a table, or nullptr (also when this is not a table).
  const Value* find(std::string_view key) const;
  // String member of a table, or "" when missing or not a string.
  std::string_view string_or_empty(std::string_view key) const;
};

struct Limits {
  int max_depth = 32;             // nesting of arrays / inline tables / dotted headers
  size_t max_values = 2'000'000;  // total values in the document
  size_t max_input = 64u << 20;   // bytes
};

// Parses a TOML document into a root table. Errors (kCorrupt with "line N: ...", kLimit) never
// throw.
Result<Value> parse(std::string_view text, const Limits& limits = {});

}  // namespace hivesec::analyze::toml
