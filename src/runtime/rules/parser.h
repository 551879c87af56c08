// Parser for Falco rule conditions: text -> AST (runtime/rules/ast.h). No names are resolved
// here (fields, macros and lists are the compiler's job), so a macro body parses on its own.
//
// Grammar (EBNF). Keywords are case-sensitive; whitespace separates tokens.
//
//   condition   = or_expr EOF ;
//   or_expr     = and_expr { "or" and_expr } ;
//   and_expr    = not_expr { "and" not_expr } ;
//   not_expr    = "not" not_expr | primary ;
//   primary     = "(" or_expr ")" | check | macro_ref ;
//   macro_ref   = identifier ;                      (* no dots, no operator after it *)
//   check       = field_expr ( "exists"
//                            | scalar_op value
//                            | list_op ( list | identifier ) ) ;
//   field_expr  = transformer "(" field_expr ")" | field ;
//   transformer = "tolower" | "toupper" | "basename" | "len" | "b64" ;
//   field       = field_name [ "[" { any char except "]" } "]" ] ;
//   field_name  = letter { letter | digit | "_" | "." } ;
//   scalar_op   = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "icontains"
//               | "bcontains" | "startswith" | "bstartswith" | "endswith" | "glob" | "iglob"
//               | "regex" ;
//   list_op     = "in" | "intersects" | "pmatch" ;
//   list        = "(" [ value { "," value } ] ")" ;
//   value       = quoted | bare ;
//   quoted      = '"' { char | '\"' | '\\' } '"' | "'" { char } "'" ;
//   bare        = { any char except whitespace, "(", ")", ",", '"', "'" } ;   (* non-empty *)
//
// Limits: conditions up to 64 KiB and 100 levels of nesting (parentheses and "not"), values up
// to 4 KiB, lists up to 10,000 values. Errors are one line: "<message> at column N".
#pragma once

#include <string_view>

#include "common/result.h"
#include "runtime/rules/ast.h"

namespace hivesec::runtime::rules {

constexpr size_t kMaxConditionBytes = 64 * 1024;
constexpr int kMaxParseDepth = 100;

// The operator named `text` ("=", "in", "pmatch", ...). False when unknown.
bool op_from_name(std::string_view text, Op& out);

// Parses a condition. Errors: kInvalidArgument (syntax, with the column), kLimit (a bound).
[[nodiscard]] Result<AstPtr> parse_condition(std::string_view text);

}  // namespace hivesec::runtime::rules
