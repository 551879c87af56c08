// The condition parser: precedence, values, lists, field arguments, transformers and errors.
#include "runtime/rules/parser.h"

#include <gtest/gtest.h>

namespace hivesec::runtime::rules {
namespace {

// A compact rendering of the AST to compare against.
std::string show(const AstNode& n) {
  switch (n.kind) {
    case AstNode::Kind::kAnd:
    case AstNode::Kind::kOr: {
      std::string s = n.kind == AstNode::Kind::kAnd ? "(and" : "(or";
      for (const auto& c : n.children) s += " " + show(*c);
      return s + ")";
    }
    case AstNode::Kind::kNot:
      return "(not " + show(*n.children[0]) + ")";
    case AstNode::Kind::kMacro:
      return "@" + n.name;
    case AstNode::Kind::kCheck: {
      std::string f = n.field;
      if (n.field_arg) f += "[" + *n.field_arg + "]";
      for (auto it = n.transformers.rbegin(); it != n.transformers.rend(); ++it) {
        f = *it + "(" + f + ")";
      }
      std::string s = "[" + f + " " + std::string(op_name(n.op));
      if (n.bare_list_ref) s += " &";
      for (const auto& v : n.values) s += v.quoted ? " '" + v.text + "'" : " " + v.text;
      return s + "]";
    }
  }
  return "?";
}

std::string parse_ok(std::string_view text) {
  auto r = parse_condition(text);
  if (!r.ok()) return "ERROR: " + r.error().message;
  return show(**r);
}

TEST(RuntimeRulesParser, Grammar) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"proc.name = bash", "[proc.name = bash]"},
      {"proc.name=bash", "[proc.name = bash]"},
      {"proc.name == 'ba sh'", "[proc.name = 'ba sh']"},
      {"a and b or c", "(or (and @a @b) @c)"},
      {"a or b and c", "(or @a (and @b @c))"},
      {"not a and b", "(and (not @a) @b)"},
      {"not (a or b)", "(not (or @a @b))"},
      {"not not a", "(not (not @a))"},
      {"a and (b or c) and d", "(and @a (or @b @c) @d)"},
      {"evt.dir = < and proc.pid>=10", "(and [evt.dir = <] [proc.pid >= 10])"},
      {"proc.pid<=3 or proc.pid<3 or proc.pid>3 or proc.pid != 3",
       "(or [proc.pid <= 3] [proc.pid < 3] [proc.pid > 3] [proc.pid != 3])"},
      {"proc.name in (bash, 'sh', \"z sh\")", "[proc.name in bash 'sh' 'z sh']"},
      {"proc.name in ()", "[proc.name in]"},
      {"proc.name in shell_binaries", "[proc.name in & shell_binaries]"},
      {"fd.name pmatch (/etc, /usr/bin)", "[fd.name pmatch /etc /usr/bin]"},
      {"proc.aname[2] intersects (a,b)", "[proc.aname[2] intersects a b]"},
      {"container.label[io.k8s/app] exists", "[container.label[io.k8s/app] exists]"},
      {"evt.arg.flags contains O_TRUNC", "[evt.arg.flags contains O_TRUNC]"},
      {"tolower(proc.name) = bash", "[tolower(proc.name) = bash]"},
      {"len(basename(fd.name)) > 3", "[len(basename(fd.name)) > 3]"},
      {"proc.cmdline regex \"a\\\"b\\\\c\"", "[proc.cmdline regex 'a\"b\\c']"},
      {"proc.name icontains X and fd.name glob /a/* and fd.name iglob *.KEY",
       "(and [proc.name icontains X] [fd.name glob /a/*] [fd.name iglob *.KEY])"},
      {"fd.name startswith /a or fd.name endswith .b or fd.name bcontains 2f or fd.name "
       "bstartswith 2f",
       "(or [fd.name startswith /a] [fd.name endswith .b] [fd.name bcontains 2f] [fd.name "
       "bstartswith 2f])"},
      {"  \n proc.name\t=\nbash  ", "[proc.name = bash]"},
      {"andy and orange", "(and @andy @orange)"},
      {"notify", "@notify"},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_ok(c.in), c.out) << c.in;
}

TEST(RuntimeRulesParser, Errors) {
  const char* bad[] = {
      "",
      "proc.name =",
      "proc.name = bash and",
      "(proc.name = bash",
      "proc.name = bash)",
      "proc.name in (a, b",
      "proc.name in a b",
      "proc.name",      // a dotted name needs an operator
      "proc.aname[2]",  // as does an argument
      "proc.name = 'unterminated",
      "proc.name[1",
      "foo(proc.name) = x",  // unknown transformer
      "and",
      "a or or b",
      "proc.name in",
      "= bash",
  };
  for (const char* b : bad) {
    auto r = parse_condition(b);
    EXPECT_FALSE(r.ok()) << b << " -> " << (r.ok() ? show(**r) : "");
    if (!r.ok()) {
      EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
    }
  }
  auto r = parse_condition("proc.name = bash and (");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("column"), std::string::npos) << r.error().message;
}

TEST(RuntimeRulesParser, Limits) {
  std::string deep = std::string(200, '(') + "a" + std::string(200, ')');
  auto r = parse_condition(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "not ";
  r = parse_condition(nots + "a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  std::string ok_depth = std::string(90, '(') + "a" + std::string(90, ')');
  EXPECT_TRUE(parse_condition(ok_depth).ok());
  EXPECT_FALSE(parse_condition(std::string(kMaxConditionBytes + 1, 'a')).ok());
}

TEST(RuntimeRulesParser, OpNames) {
  Op op;
  ASSERT_TRUE(op_from_name("==", op));
  EXPECT_EQ(op, Op::kEq);
  ASSERT_TRUE(op_from_name("pmatch", op));
  EXPECT_EQ(op, Op::kPmatch);
  EXPECT_FALSE(op_from_name("like", op));
}

}  // namespace
}  // namespace hivesec::runtime::rules
