// The condition compiler: AST -> Filter. Expands macros (macros may use macros; cycles are
// errors) and list references (lists may contain lists), resolves every field through the field
// table, type-checks operators against the field type and pre-processes constants.
//
// Errors carry a stable diagnostic code in CompileError::code:
//   unknown-field, unknown-macro, macro-cycle, list-cycle, invalid-operator, invalid-constant,
//   limit.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/rules/ast.h"
#include "runtime/rules/filter.h"

namespace hivesec::runtime::rules {

constexpr int kMaxMacroDepth = 64;
constexpr int kMaxCompiledDepth = 400;         // tree depth after macro expansion
constexpr size_t kMaxCompiledChecks = 100000;  // per condition, after macro expansion
constexpr size_t kMaxListItems = 100000;       // per expanded list

struct CompileEnv {
  // Parsed macro bodies by name (a null entry: the macro exists but failed to parse).
  std::unordered_map<std::string, const AstNode*> macros;
  // List items as written (not expanded) by name.
  std::unordered_map<std::string, const std::vector<std::string>*> lists;
  // Filled by the compiler: what a condition used (for "unused" warnings).
  std::unordered_set<std::string> used_macros, used_lists;
};

struct CompileError {
  std::string code;
  std::string message;
};

// Compiles a condition. On failure returns false and fills `err`.
[[nodiscard]] bool compile_condition(const AstNode& root, CompileEnv& env,
                                     std::unique_ptr<Filter>& out, CompileError& err);

// Expands a list's items (nested list names replaced by their items, in order).
[[nodiscard]] bool expand_list(const std::string& name, CompileEnv& env,
                               std::vector<std::string>& out, CompileError& err);

}  // namespace hivesec::runtime::rules
