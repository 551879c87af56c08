// The condition AST: what the parser produces and the compiler consumes. Nodes keep the byte
// offset where they start in the condition text for error messages. Macro and list references
// stay unresolved here; the compiler expands them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::runtime::rules {

enum class Op : uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kContains,
  kIContains,
  kBContains,
  kStartsWith,
  kBStartsWith,
  kEndsWith,
  kGlob,
  kIGlob,
  kRegex,
  kIn,
  kIntersects,
  kPmatch,
  kExists,
};
std::string_view op_name(Op op);
// Operators whose right-hand side is a list.
constexpr bool op_takes_list(Op op) {
  return op == Op::kIn || op == Op::kIntersects || op == Op::kPmatch;
}

struct AstValue {
  std::string text;
  bool quoted = false;  // quoted values are never list names
};

struct AstNode {
  enum class Kind : uint8_t { kAnd, kOr, kNot, kCheck, kMacro };
  Kind kind = Kind::kCheck;
  size_t pos = 0;  // byte offset in the condition text

  // kAnd / kOr (two or more) and kNot (one).
  std::vector<std::unique_ptr<AstNode>> children;

  // kCheck: [transformer(]field[ [arg] ][)] op values
  std::string field;
  std::optional<std::string> field_arg;
  std::vector<std::string> transformers;  // outermost first: tolower(basename(fd.name))
  Op op = Op::kEq;
  std::vector<AstValue> values;  // one for scalar operators; any number for list operators
  // A list operator written with a bare list name instead of "( ... )": `in shell_binaries`.
  bool bare_list_ref = false;

  // kMacro: a bare identifier naming a macro.
  std::string name;
};

using AstPtr = std::unique_ptr<AstNode>;

// Deep copy (macros are expanded by copying their AST).
AstPtr clone_ast(const AstNode& n);

}  // namespace hivesec::runtime::rules
