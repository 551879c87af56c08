// Rule file loader: format checks and their messages, combining built-in and user files, and the
// example template expander.
#include <gtest/gtest.h>

#include "secrets/engine.h"
#include "secrets/examples.h"
#include "secrets/rules.h"

namespace hivesec::secrets {
namespace {

// A valid rule body; tests replace pieces of it.
std::string rule_yaml(std::string_view extra = "", std::string_view id = "demo-token",
                      std::string_view regex = R"('\b(?P<secret>dmo_[a-z0-9]{20})\b')",
                      std::string_view keywords = "[dmo_]",
                      std::string_view examples =
                          "{match: ['t = dmo_{lower_digits:20}'], nomatch: ['dmo_{lower:5}']}") {
  return fmt::format(
      "rules:\n"
      "  - id: {}\n"
      "    title: Demo token\n"
      "    severity: high\n"
      "    keywords: {}\n"
      "    regex: {}\n"
      "{}"
      "    examples: {}\n",
      id, keywords, regex, extra, examples);
}

std::string error_of(std::string_view yaml, std::string_view name = "user.yaml") {
  auto r = parse_rule_file(name, yaml);
  if (r.ok()) return "";
  return r.error().message;
}

TEST(SecretsRules, ValidRuleLoads) {
  auto r = parse_rule_file("user.yaml", rule_yaml("    entropy: 3.2\n    paths: ['\\.env$']\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].id, "demo-token");
  EXPECT_EQ(r->rules[0].severity, model::Severity::kHigh);
  EXPECT_DOUBLE_EQ(r->rules[0].entropy, 3.2);
  EXPECT_EQ(r->rules[0].line, 2);
  EXPECT_EQ(r->rules[0].file, "user.yaml");
}

TEST(SecretsRules, ErrorsNameFileLineAndRule) {
  EXPECT_EQ(error_of(rule_yaml("    colour: red\n")), "user.yaml:7: rule demo-token: unknown key 'colour'");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'(?P<secret>dmo_[a-z0-9]{20}'")),
            "user.yaml:2: rule demo-token: regex: missing ): (?m)(?P<secret>dmo_[a-z0-9]{20}");
  EXPECT_NE(error_of(rule_yaml("", "demo-token", "'(?<=x)dmo_[a-z0-9]{20}'")).find("rule demo-token: regex:"),
            std::string::npos);
  EXPECT_NE(error_of(rule_yaml("", "demo-token", "'(dmo_)\\1[a-z0-9]{20}'")).find("rule demo-token: regex:"),
            std::string::npos);
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[dmo_]", "{match: ['dmo_{lower:20}']}")),
            "user.yaml:2: rule demo-token: examples: at least one match and one nomatch example are "
            "required");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[dmo_, tok_]")),
            "user.yaml:2: rule demo-token: keyword 'tok_' cannot occur in a match of the regex (not "
            "in the regex nor in any match example)");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[DMO_]")),
            "user.yaml:2: rule demo-token: keyword 'DMO_' must be lowercase");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[]")),
            "user.yaml:2: rule demo-token: keywords: at least one keyword is required");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[dmo_]",
                               "{match: ['dmo_{lower:3}'], nomatch: ['x']}")),
            "user.yaml:2: rule demo-token: example match 'dmo_{lower:3}': the regex finds no match "
            "containing a keyword");
  EXPECT_EQ(error_of(rule_yaml("", "demo-token", "'dmo_[a-z0-9]{20}'", "[dmo_]",
                               "{match: ['dmo_{lowr:20}'], nomatch: ['x']}")),
            "user.yaml:2: rule demo-token: example placeholder {lowr:20}: unknown class 'lowr' "
            "(known: alnum, upper, lower, digits, hex, HEX, base64, base64url, upper_digits, "
            "lower_digits, x)");
  std::string sev = rule_yaml();
  sev.replace(sev.find("high"), 4, "severe");
  EXPECT_EQ(error_of(sev), "user.yaml:4: rule demo-token: severity 'severe': expected critical, high, "
                           "medium or low");
  EXPECT_EQ(error_of(rule_yaml() + rule_yaml().substr(7)),
            "user.yaml:8: rule demo-token: duplicate rule id in this file");
  EXPECT_EQ(error_of("rulez: []\n"), "user.yaml:1: unknown key 'rulez' (known: allow, disable, rules)");
  EXPECT_EQ(error_of("allow:\n  values: ['(']\n"),
            "user.yaml:2: allow.values '(': missing ): (");
  EXPECT_NE(error_of("rules: [\n").find("user.yaml:"), std::string::npos);
}

TEST(SecretsRules, HyperscanRefusalNamesTheRule) {
  // RE2 accepts it; it can match the empty string, which the engine refuses.
  auto f = parse_rule_file("user.yaml", rule_yaml("", "demo-token", "'(?:dmo_[a-z0-9]{20})?'"));
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto set = combine_rule_files({}, {*f});
  ASSERT_TRUE(set.ok());
  auto e = Engine::build(*set);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "user.yaml:2: rule demo-token: the regex can match the empty string");
}

TEST(SecretsRules, UserFilesOverrideAddAndDisable) {
  auto builtin = parse_rule_file("secrets/a.yaml", rule_yaml() + rule_yaml("", "other-token").substr(7) +
                                                       "allow:\n  stopwords: [Fake]\n");
  ASSERT_TRUE(builtin.ok()) << builtin.error().message;
  std::string user_text = rule_yaml("", "demo-token", R"('\b(?P<secret>dmo_[a-z0-9]{24})\b')", "[dmo_]",
                                    "{match: ['dmo_{lower:24}'], nomatch: ['x']}") +
                          rule_yaml("", "mine").substr(7) + "disable: [other-token]\n";
  auto user = parse_rule_file("mine.yaml", user_text);
  ASSERT_TRUE(user.ok()) << user.error().message;
  auto set = combine_rule_files({*builtin}, {*user});
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::vector<std::string> ids;
  for (const auto& r : set->rules) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"demo-token", "mine"}));
  EXPECT_EQ(set->rules[0].file, "mine.yaml");  // overridden
  EXPECT_EQ(set->disabled, std::vector<std::string>{"other-token"});
  EXPECT_EQ(set->allow.stopwords, std::vector<std::string>{"fake"});

  auto bad = parse_rule_file("mine.yaml", "disable: [no-such-rule]\n");
  ASSERT_TRUE(bad.ok());
  auto err = combine_rule_files({*builtin}, {*bad});
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message, "mine.yaml: disable: unknown rule id 'no-such-rule'");
  // Two bundled files may not define the same id.
  auto dup = combine_rule_files({*builtin, *builtin}, {});
  ASSERT_FALSE(dup.ok());
}

TEST(SecretsExamples, Classes) {
  struct Case {
    std::string_view tmpl;
    std::string_view alphabet;
    size_t size;
  };
  for (const Case& c : std::vector<Case>{
           {"{alnum:200}", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 200},
           {"{upper:50}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 50},
           {"{lower:50}", "abcdefghijklmnopqrstuvwxyz", 50},
           {"{digits:50}", "0123456789", 50},
           {"{hex:64}", "0123456789abcdef", 64},
           {"{HEX:64}", "0123456789ABCDEF", 64},
           {"{base64:300}", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 300},
           {"{base64url:300}", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 300},
           {"{upper_digits:80}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 80},
           {"{lower_digits:80}", "abcdefghijklmnopqrstuvwxyz0123456789", 80},
           {"{x:7}", "x", 7}}) {
    auto s = expand_example(c.tmpl, 42);
    ASSERT_TRUE(s.ok()) << c.tmpl;
    EXPECT_EQ(s->size(), c.size) << c.tmpl;
    EXPECT_EQ(s->find_first_not_of(c.alphabet), std::string::npos) << c.tmpl << " -> " << *s;
    if (c.size >= 50 && c.alphabet.size() > 1) {
      EXPECT_GT(shannon_entropy(*s), 2.5) << c.tmpl;  // really random, not one character
    }
  }
}

TEST(SecretsExamples, SeedsAndLiterals) {
  auto a = expand_example("k={alnum:32} ${VAR} {} {notatemplate} {x:3}", 1);
  auto b = expand_example("k={alnum:32} ${VAR} {} {notatemplate} {x:3}", 1);
  auto c = expand_example("k={alnum:32} ${VAR} {} {notatemplate} {x:3}", 2);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(a->substr(0, 2), "k=");
  EXPECT_EQ(a->substr(34), " ${VAR} {} {notatemplate} xxx");
  EXPECT_FALSE(expand_example("{alnum:0}", 1).ok());
  EXPECT_FALSE(expand_example("{alnum:9999999}", 1).ok());
  EXPECT_FALSE(expand_example("{Alnum:3}", 1).ok());
}

}  // namespace
}  // namespace hivesec::secrets
