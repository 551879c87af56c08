// The check model: what rules/benchmarks/*.yaml files load into (loader.h) and the engine runs
// (engine.h). The YAML schema is documented in docs/commands/bench.md.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/finding.h"

namespace hivesec::policy {

class Operator;
class Collector;

// One fact a check reads: `facts: {name: {collector: file, path: ..., ...}}`.
struct FactSpec {
  std::string name;
  const Collector* collector = nullptr;  // owned by the CollectorRegistry
  nlohmann::json params;                 // every key but the reserved ones, YAML scalars as text
  std::optional<nlohmann::json> default_value;  // used when the fact is kMissing
  std::string if_missing;  // "", "warn", "info" or "fail": the verdict when the fact is kMissing
};

// A test expression: a leaf comparing one fact, or an all/any/not group (nesting allowed).
struct Expr {
  enum class Kind { kLeaf, kAll, kAny, kNot };
  Kind kind = Kind::kLeaf;
  // Leaf:
  std::string fact;              // FactSpec name
  std::string path;              // dotted path into the fact value ("" = the whole value)
  const Operator* op = nullptr;  // owned by the OperatorRegistry
  std::string op_name;
  nlohmann::json expected;
  std::optional<nlohmann::json> default_value;  // `default:` used when the value is not set
  // Groups:
  std::vector<Expr> children;
  int line = 0;
};

// `for_each: {as: c, collector: engine, what: containers, subject: subject, if_empty: ...}`:
// the fact yields a list; the check is evaluated once per element, with the element bound to
// the fact name `as`, giving one result per subject (see engine.h).
struct ForEach {
  FactSpec fact;                    // fact.name is `as`
  std::string subject = "subject";  // dotted path in an element naming it ("" = index)
  std::string if_empty;             // INFO reason when the list is empty
};

enum class CheckType { kAutomated, kManual, kInfo };
const char* check_type_name(CheckType t);  // "automated", "manual", "info"

struct Check {
  std::string id;  // "HOST-5.2.10"; unique in a run
  std::string title;
  std::string benchmark;  // benchmark id of the file it came from ("host")
  std::string section;    // "5.2 SSH server"
  std::string cis;        // CIS recommendation number ("5.2.10"), "" when none
  int level = 1;          // CIS profile level (1 or 2)
  CheckType type = CheckType::kAutomated;
  bool scored = true;  // counts in the score (default: automated checks)
  model::Severity severity = model::Severity::kMedium;
  std::vector<FactSpec> facts;
  std::optional<ForEach> for_each;   // one result per subject
  std::optional<Expr> precondition;  // false -> INFO "not applicable"
  // The INFO reason when the precondition is false ("engine is {engine.product}"): text with
  // {fact.path} placeholders; "" = the precondition's comparisons.
  std::string not_applicable;
  std::optional<Expr> test;  // absent only for manual checks
  std::string rationale;
  std::string remediation;
  std::string origin;  // "host.yaml:42"
};

// The checks of one YAML file plus its header and baseline directives.
struct CheckFile {
  std::string name;       // file name for messages
  std::string benchmark;  // `benchmark:` (required in rules/benchmarks; optional in baselines)
  std::string title;
  std::string version;
  std::string reference;             // the published benchmark(s) the numbers refer to
  std::vector<std::string> disable;  // ids a baseline turns off
  std::vector<Check> checks;
  std::vector<std::string> overrides;  // ids of checks marked `override: true`
};

}  // namespace hivesec::policy
