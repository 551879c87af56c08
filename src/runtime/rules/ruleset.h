// The public API of the Falco-compatible rule engine.
//
//   auto loaded = rules::load_rule_files({"rules/runtime/containers.yaml", "local.yaml"});
//   if (loaded.has_errors()) { for (auto& d : loaded.diagnostics) puts(d.to_string()); ... }
//   loaded.ruleset->evaluate(event, [&](const rules::Rule& r, const rules::Alert& a) {
//     sink.write(rules::alert_json_line(a, hostname));
//   });
//
// Loading: Falco rule files (lists, macros, rules, exceptions, append/override, enabled,
// required_engine_version) are read in order, later files overriding earlier ones, then every
// enabled rule is compiled once. Problems are Diagnostics (file:line, a stable code), never
// exceptions; the RuleSet holds only the rules that compiled.
//
// Evaluation: rules are indexed by the event types their condition allows (evt.type), so an
// event is only tested against rules that can match it. evaluate() allocates nothing unless a
// rule matches (the Alert is built then).
//
// Thread-safety: a RuleSet is immutable after loading; evaluate() may run on many threads at
// once (each thread keeps its own scratch buffers).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/result.h"
#include "runtime/event.h"
#include "runtime/rules/fields.h"

namespace hivesec::runtime::rules {

class Filter;
class OutputFormat;

// The version of the Falco rules language this engine implements; files asking for a newer
// required_engine_version are rejected.
inline constexpr std::string_view kEngineVersion = "0.50.0";

enum class Priority : uint8_t {
  kEmergency,
  kAlert,
  kCritical,
  kError,
  kWarning,
  kNotice,
  kInformational,
  kDebug
};
std::string_view priority_name(Priority p);  // "Emergency" ... "Debug" (Falco's spelling)
// Case-insensitive; accepts "info" for informational. False when unknown.
bool parse_priority(std::string_view text, Priority& out);

struct Diagnostic {
  enum class Severity : uint8_t { kError, kWarning };
  Severity severity = Severity::kError;
  std::string code;  // stable: yaml-parse, missing-key, unknown-field, macro-cycle, ...
  std::string file;
  int line = 0;      // 1-based; 0 when unknown
  std::string item;  // "rule 'Shell in container'", "macro 'spawned_process'", ""
  std::string message;
  // "file:line: error[code]: rule 'X': message"
  std::string to_string() const;
};

struct FileSummary {
  std::string file;
  int lists = 0, macros = 0, rules = 0;  // items of each kind in the file (incl. overrides)
  int errors = 0, warnings = 0;
};

class Rule {
 public:
  std::string name, desc, output, source = "syscall";
  Priority priority = Priority::kWarning;
  std::vector<std::string> tags;
  std::string file;  // where the rule was (last) defined
  int line = 0;
  std::string condition;  // the final condition text (after appends; exceptions not included)

  const Filter& filter() const { return *filter_; }
  const OutputFormat& output_format() const { return *output_format_; }

 private:
  friend class RuleSetBuilder;
  std::shared_ptr<const Filter> filter_;
  std::shared_ptr<const OutputFormat> output_format_;
};

struct OutputField {
  std::string name;  // "proc.aname[2]"
  FieldType type = FieldType::kString;
  bool present = false;  // false: <NA> (JSON null)
  std::string text;      // strings and ip addresses
  int64_t num = 0;       // numbers and bools
};

struct Alert {
  const Rule* rule = nullptr;
  uint64_t time_ns = 0;
  std::string output;  // the formatted rule output (without time and priority)
  // The rule's output fields, then container.id, container.name and container.image.repository
  // when the output does not already name them.
  std::vector<OutputField> fields;
};

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Tests `ev` against every rule that can match its type; calls on_match(rule, alert) for
  // each match, in load order. Returns the number of matches. `on_match` is any callable.
  template <typename F>
  size_t evaluate(const Event& ev, F&& on_match) const {
    using Fn = std::remove_reference_t<F>;
    return evaluate_impl(
        ev, [](void* ctx, const Rule& r, const Alert& a) { (*static_cast<Fn*>(ctx))(r, a); },
        const_cast<void*>(static_cast<const void*>(std::addressof(on_match))));
  }
  // Like evaluate() but only counts matches (no Alert is built): for benchmarks and tests.
  size_t count_matches(const Event& ev) const;

  // Builds the alert for a rule that matched `ev`.
  Alert make_alert(const Rule& rule, const Event& ev) const;

  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  const Rule* find(std::string_view name) const;
  // How many rules an event of this syscall is tested against (for diagnostics and tests).
  size_t candidate_count(std::string_view syscall) const;

 private:
  friend class RuleSetBuilder;
  using Thunk = void (*)(void*, const Rule&, const Alert&);
  size_t evaluate_impl(const Event& ev, Thunk fn, void* ctx) const;

  std::vector<std::unique_ptr<Rule>> rules_;
  // by_type_[type id] = indexes into rules_ of the rules that may match that type.
  std::vector<std::vector<uint32_t>> by_type_;
};

struct RuleSource {
  std::string name;     // file path, or "embedded:runtime/x.yaml"
  std::string content;  // YAML text
};

struct LoadResult {
  std::unique_ptr<RuleSet> ruleset;  // never null
  std::vector<Diagnostic> diagnostics;
  std::vector<FileSummary> files;
  bool has_errors() const;
};

constexpr size_t kMaxRuleFileBytes = 16 * 1024 * 1024;

// Reads one rule file. Errors: kNotFound, kIo, kLimit (larger than kMaxRuleFileBytes).
[[nodiscard]] Result<RuleSource> read_rule_file(const std::string& path);

// Loads sources in order (later ones override earlier ones). Never throws.
LoadResult load_rules(const std::vector<RuleSource>& sources);
// Reads and loads files, after the built-in rules when `with_defaults`; an unreadable file is
// an error diagnostic (code "io") and the others still load. This is what the agent does with
// its rule files.
LoadResult load_rule_files(const std::vector<std::string>& paths, bool with_defaults = false);
// The project's default runtime rules (rules/runtime/*.yaml, compiled into the binary).
std::vector<RuleSource> default_rule_sources();

// One Falco-compatible JSON alert line (no trailing newline): time, rule, priority, output
// ("<evt.time>: <Priority> <output>"), output_fields, tags, source, hostname.
std::string alert_json_line(const Alert& alert, std::string_view hostname);

}  // namespace hivesec::runtime::rules
