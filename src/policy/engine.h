// Runs checks against a Host: collects each check's facts (cached per run), evaluates the test
// and gives a verdict. The verdict rules are documented in docs/commands/bench.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "policy/check.h"
#include "policy/fact.h"

namespace hivesec::policy {

enum class Verdict { kPass, kFail, kWarn, kInfo, kError };
const char* verdict_name(Verdict v);  // "PASS", "FAIL", "WARN", "INFO", "ERROR"

struct FactEvidence {
  std::string name;
  std::string source;
  FactState state = FactState::kOk;
  std::string value;  // compact JSON, cut to 300 bytes
};

struct CheckResult {
  Check check;          // a copy: results outlive the loaded files
  std::string subject;  // for_each checks: the subject ("web (3f2a1b9c04de)"); else ""
  Verdict verdict = Verdict::kError;
  std::string reason;  // why: the failing comparisons, the missing fact, the error
  std::vector<FactEvidence> evidence;
  std::vector<std::string> details;  // the facts' details (e.g. the offending objects)
};

struct SectionSummary {
  std::string section;
  int pass = 0, fail = 0, warn = 0, info = 0, error = 0;
  int total() const { return pass + fail + warn + info + error; }
};

struct BenchReport {
  std::string benchmark;  // "host"
  std::string title;
  std::string version;
  std::string reference;
  std::string root;  // "/" or the --root directory
  bool live = true;
  std::string hostname;
  std::string generated;             // RFC 3339
  std::vector<CheckResult> results;  // in check order
  std::vector<std::string> notes;    // about the input (manifest documents that could not be read)

  // Per section in first-appearance order, and the total.
  std::vector<SectionSummary> sections() const;
  SectionSummary totals() const;
  // Scored checks: passed / (passed + failed) * 100; -1 when none decided.
  int scored_passed() const;
  int scored_failed() const;
  double score() const;
};

// Evaluates one check without for_each. Never throws.
CheckResult run_check(const Check& check, Host& host);

// Evaluates one check: for a for_each check one result per subject (in list order), or one
// result without subject when the list cannot be had (kError -> ERROR, kUnavailable -> WARN,
// kMissing -> INFO) or is empty (INFO `if_empty`); otherwise run_check. Never throws.
std::vector<CheckResult> run_check_subjects(const Check& check, Host& host);

// Runs every check in order (for_each checks expanded in place).
std::vector<CheckResult> run_checks(const std::vector<Check>& checks, Host& host);

}  // namespace hivesec::policy
