// Secret rules: the YAML format of rules/secrets/*.yaml and of users' --secret-rules files,
// its loader and checks, and how built-in and user files combine (docs/commands/secrets.md).
//
//   allow: {paths: [re], values: [re], stopwords: [word]}   # optional, global, files add up
//   disable: [rule-id]                                      # optional: turn rules off
//   rules:
//     - id, title, severity, keywords, regex, [entropy], [paths], [allow], [remediation],
//       [case_insensitive], examples: {match: [...], nomatch: [...]}
//
// Regexes are RE2 syntax (no lookaround or back-references), matched in multi-line mode (`^`
// and `$` match at line ends) on bytes. The secret is the named group `secret` (or, for
// alternatives, the first participating group named `secretN`), else group 1, else the whole match. A rule reports only where one of its (lowercase) keywords occurs,
// case-insensitively, inside the match.
#pragma once

#include <memory>
#include <re2/re2.h>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/finding.h"

namespace hivesec::secrets {

struct Allowlist {
  std::vector<std::string> paths;      // RE2, searched in the image-relative path
  std::vector<std::string> values;     // RE2, searched in the secret value
  std::vector<std::string> stopwords;  // lowercase; a secret containing one is ignored
  void append(const Allowlist& other);
};

struct Rule {
  std::string id;
  std::string title;
  model::Severity severity = model::Severity::kMedium;
  std::vector<std::string> keywords;  // lowercase literals, at least one
  std::string regex;
  double entropy = 0;               // minimum Shannon entropy (bits per byte) of the secret
  std::vector<std::string> paths;   // RE2; empty: every file
  Allowlist allow;                  // per-rule
  std::string remediation;
  bool case_insensitive = false;    // the whole regex matches ignoring case
  std::vector<std::string> match_examples;    // templates (secrets/examples.h)
  std::vector<std::string> nomatch_examples;  // templates
  std::string file;  // where the rule was defined ("secrets/core.yaml", a user path)
  int line = 0;      // 1-based line of the rule in `file`
};

struct RuleFile {
  std::string name;
  Allowlist allow;
  std::vector<std::string> disable;
  std::vector<Rule> rules;
};

// Compiles a rule regex the way the engine matches it: bytes (Latin-1), multi-line, errors
// returned instead of logged. kInvalidArgument with RE2's reason.
Result<std::unique_ptr<re2::RE2>> compile_rule_regex(std::string_view regex, bool case_insensitive);
// Compiles an allowlist/paths regex (bytes, case-sensitive unless the pattern says (?i)).
Result<std::unique_ptr<re2::RE2>> compile_plain_regex(std::string_view regex);

// Parses one rule file and checks it: known keys only, required fields, severities, every regex
// compiles, keywords lowercase, examples present and well-formed, each `match` example (expanded
// with seed 1) matched by the regex with a keyword inside the match, each keyword able to occur
// in a match, ids unique. kInvalidArgument "NAME:LINE: rule ID: reason". Thread-safe.
// `check_examples` false skips the example and keyword checks (bundled rules at run time: their
// unit test does them), which are most of the loading time.
Result<RuleFile> parse_rule_file(std::string_view name, std::string_view yaml,
                                 bool check_examples = true);

// The rules in effect: built-in files, then user files in order. A user rule with the id of an
// earlier rule replaces it; `disable:` ids are dropped (an unknown id is an error);
// allowlists add up.
struct RuleSet {
  Allowlist allow;
  std::vector<Rule> rules;              // enabled rules, in definition order
  std::vector<std::string> disabled;    // ids turned off
};

Result<RuleSet> combine_rule_files(const std::vector<RuleFile>& builtin,
                                   const std::vector<RuleFile>& user);

// Every embedded "secrets/*.yaml" file, parsed (kInternal on a broken bundled file).
Result<std::vector<RuleFile>> builtin_rule_files(bool check_examples = false);

// Reads and parses a user file (at most 8 MiB).
Result<RuleFile> read_user_rule_file(const std::string& path);

// Built-ins + the user files.
Result<RuleSet> load_rule_set(const std::vector<std::string>& user_files);

// The finding a match of `r` makes: kind secret, the rule's id, severity, title and remediation,
// and where it was seen. `masked` is the already masked secret (never the secret itself).
model::Finding make_finding(const Rule& r, std::string path, int line, std::string masked);

}  // namespace hivesec::secrets
