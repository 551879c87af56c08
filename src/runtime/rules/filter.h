// The compiled form of a condition and its evaluator. The compiler (compiler.h) builds a Filter
// from an AST with every field resolved to a function pointer and every constant pre-processed
// (numbers parsed, icontains constants lowercased, CIDRs parsed, regexes compiled with RE2,
// large `in` lists hashed), so matching an event does no parsing and no allocation.
//
// Thread-safety: a Filter is immutable after compilation; matches() may run concurrently on
// many threads, each with its own EvalContext.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "runtime/event.h"
#include "runtime/rules/ast.h"
#include "runtime/rules/fields.h"

namespace re2 {
class RE2;
}

namespace hivesec::runtime::rules {

// Per-thread evaluation state (scratch buffers keep their capacity between events).
struct EvalContext {
  int type_id = kOtherTypeId;  // event_type_id(ev.syscall), computed once per event
  FieldScratch scratch;
  std::string transform_buf;
};

// A bit per known event type id (bit kOtherTypeId: every syscall name not in the table).
using TypeMask = uint64_t;
constexpr TypeMask kAllTypes = ~TypeMask{0};

struct Cidr {
  uint8_t family = 0;  // 4 or 6
  uint8_t bytes[16] = {};
  int prefix = 0;
};
// Parses "10.0.0.0/8", "10.1.2.3", "fe80::/10", "::1". False when malformed.
bool parse_cidr(std::string_view text, Cidr& out);
bool cidr_contains(const Cidr& net, std::string_view ip_text);

// Falco glob: `*` and `?` do not match '/', `[...]` classes, `\` escapes.
bool glob_match(std::string_view pattern, std::string_view text, bool icase);
// Falco pmatch: `text` equals a pattern path or lies below it; components may contain globs.
bool path_prefix_match(std::string_view pattern, std::string_view text);

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

enum class Transform : uint8_t { kToLower, kToUpper, kBasename, kLen };

struct Check {
  ResolvedField field;
  std::vector<Transform> transforms;          // applied in order (innermost first)
  FieldType value_type = FieldType::kString;  // the type after transforms
  Op op = Op::kEq;
  // Constants, by the value type:
  std::vector<std::string> strs;  // strings (lowercased for icontains/iglob)
  std::vector<uint8_t> strs_glob;
  // `in` on strings: bit (length % 64) is set for every constant's length, so most values are
  // rejected without touching the strings.
  uint64_t len_mask = ~uint64_t{0};  // pmatch: whether strs[i] has glob characters
  std::unordered_set<std::string, TransparentHash, std::equal_to<>> str_set;  // large `in`
  std::vector<int64_t> nums;                                                  // numbers and bools
  std::vector<Cidr> nets;                                                     // ip fields
  std::vector<std::shared_ptr<re2::RE2>> regexes;
  // evt.type fast path: compare the event's type id against a mask.
  bool type_fast = false;
  TypeMask type_mask = 0;
};

struct FilterNode {
  enum class Kind : uint8_t { kAnd, kOr, kNot, kCheck, kConst };
  Kind kind = Kind::kConst;
  bool const_value = true;
  std::vector<FilterNode> children;
  std::unique_ptr<Check> check;
};

class Filter {
 public:
  explicit Filter(FilterNode root, TypeMask types) : root_(std::move(root)), types_(types) {}
  // REQUIRES: ctx.type_id == event_type_id(ev.syscall).
  bool matches(const Event& ev, EvalContext& ctx) const;
  // The event types this filter can match (an over-approximation: used to index rules).
  TypeMask event_types() const { return types_; }

 private:
  FilterNode root_;
  TypeMask types_;
};

}  // namespace hivesec::runtime::rules
