// Rule file loading: YAML items -> list/macro/rule definitions (applying append/override in
// order) -> compiled RuleSet. Problems become Diagnostics; one bad item never stops the rest.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/embedded.h"
#include "runtime/rules/compiler.h"
#include "runtime/rules/filter.h"
#include "runtime/rules/output.h"
#include "runtime/rules/parser.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::rules {

namespace {

// Thrown inside the loader only (never crosses the public API).
struct ItemError {
  std::string code;
  int line;
  std::string message;
};

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

[[noreturn]] void fail(const YAML::Node& n, std::string code, std::string msg) {
  throw ItemError{std::move(code), line_of(n), std::move(msg)};
}

std::string scalar(const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar()) fail(n, "yaml-schema", fmt::format("'{}' must be a string", what));
  return n.Scalar();
}

bool boolean(const YAML::Node& n, std::string_view what) {
  std::string s = scalar(n, what);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(n, "yaml-schema", fmt::format("'{}' must be true or false", what));
}

std::vector<std::string> string_list(const YAML::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (!n.IsSequence()) fail(n, "yaml-schema", fmt::format("'{}' must be a list", what));
  for (const auto& e : n) out.push_back(scalar(e, what));
  return out;
}

// yaml-cpp recurses per nesting level: bound flow nesting ("[[[["), chains of sequence
// indicators on one line ("- - - -") and indentation (block nesting) before parsing. The scan
// ignores quoting on purpose (an attacker controls where quotes seem to start), so it
// over-approximates: brackets inside strings count too, which real rule files never pile up.
bool yaml_too_deep(std::string_view text, int& line_out) {
  constexpr int kMaxFlowDepth = 64;
  constexpr size_t kMaxDashRun = 64;
  constexpr size_t kMaxIndent = 256;
  int depth = 0, line = 1;
  bool at_line_start = true;
  size_t dash_run = 0, indent = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      dash_run = 0;
      indent = 0;
      at_line_start = true;
      continue;
    }
    if (at_line_start && c == ' ') {
      if (++indent > kMaxIndent) {
        line_out = line;
        return true;
      }
      continue;
    }
    at_line_start = false;
    if (c == '[' || c == '{') {
      if (++depth > kMaxFlowDepth) {
        line_out = line;
        return true;
      }
    } else if (c == ']' || c == '}') {
      depth = std::max(0, depth - 1);
    } else if (c == '-' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
      if (++dash_run > kMaxDashRun) {
        line_out = line;
        return true;
      }
    }
  }
  return false;
}

struct Version {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const Version&) const = default;
};
bool parse_version(std::string_view s, Version& v) {
  int parts[3] = {0, 0, 0};
  int n = 0;
  size_t i = 0;
  while (i <= s.size() && n < 3) {
    size_t dot = s.find('.', i);
    if (dot == std::string_view::npos) dot = s.size();
    std::string_view p = s.substr(i, dot - i);
    auto r = std::from_chars(p.data(), p.data() + p.size(), parts[n]);
    if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size()) return false;
    ++n;
    i = dot + 1;
    if (dot == s.size()) break;
  }
  if (n == 1) {  // legacy integer engine versions: N means 0.N.0
    v = Version{0, parts[0], 0};
    return true;
  }
  v = Version{parts[0], parts[1], parts[2]};
  return n >= 2;
}

struct ExcValue {
  bool is_list = false;
  std::string scalar;
  std::vector<std::string> items;
};
struct ExceptionDef {
  std::string name;
  std::vector<std::string> fields;
  bool single_field = false;  // `fields: proc.name` (a scalar)
  std::vector<std::string> comps;
  std::vector<std::vector<ExcValue>> values;  // single_field: one value per row
  bool has_fields = false;
  int line = 0;
};

struct ListDef {
  std::vector<std::string> items;
  std::string file;
  int line = 0;
};
struct MacroDef {
  std::string condition;
  std::string file;
  int line = 0;
  AstPtr ast;
};
struct RuleDef {
  std::string name, desc, condition, output, source = "syscall";
  Priority priority = Priority::kWarning;
  std::vector<std::string> tags;
  bool enabled = true;
  bool skip_unknown = false;
  bool warn_evttypes = true;
  std::vector<ExceptionDef> exceptions;
  std::string file;
  int line = 0;
  int cond_line = 0;  // line of the condition (errors in it point there)
};

// Folded YAML scalars (`output: >`) end with a newline; Falco's outputs are one line.
std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::pair<std::string, std::optional<std::string>> split_field(const std::string& f) {
  size_t b = f.find('[');
  if (b != std::string::npos && f.back() == ']') {
    return {f.substr(0, b), f.substr(b + 1, f.size() - b - 2)};
  }
  return {f, std::nullopt};
}

}  // namespace

std::string_view priority_name(Priority p) {
  static constexpr std::string_view kNames[] = {"Emergency", "Alert",  "Critical",      "Error",
                                                "Warning",   "Notice", "Informational", "Debug"};
  return kNames[static_cast<size_t>(p)];
}

bool parse_priority(std::string_view text, Priority& out) {
  std::string l(text);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "info") l = "informational";
  for (int i = 0; i <= static_cast<int>(Priority::kDebug); ++i) {
    std::string n(priority_name(static_cast<Priority>(i)));
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (n == l) {
      out = static_cast<Priority>(i);
      return true;
    }
  }
  return false;
}

std::string Diagnostic::to_string() const {
  std::string s = file;
  if (line > 0) s += fmt::format(":{}", line);
  s += fmt::format(": {}[{}]: ", severity == Severity::kError ? "error" : "warning", code);
  if (!item.empty()) s += item + ": ";
  s += message;
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';  // one line, whatever the input held
  }
  return s;
}

bool LoadResult::has_errors() const {
  for (const auto& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) return true;
  }
  return false;
}

class RuleSetBuilder {
 public:
  LoadResult run(const std::vector<RuleSource>& sources) {
    for (const auto& src : sources) load_source(src);
    LoadResult r;
    r.ruleset = build();
    for (auto& f : files_) {
      for (const auto& d : diags_) {
        if (d.file != f.file) continue;
        (d.severity == Diagnostic::Severity::kError ? f.errors : f.warnings)++;
      }
    }
    r.diagnostics = std::move(diags_);
    r.files = std::move(files_);
    return r;
  }

 private:
  void diag(Diagnostic::Severity sev, std::string code, const std::string& file, int line,
            std::string item, std::string msg) {
    diags_.push_back(Diagnostic{sev, std::move(code), file, line, std::move(item), std::move(msg)});
  }
  void error(std::string code, const std::string& file, int line, std::string item,
             std::string msg) {
    diag(Diagnostic::Severity::kError, std::move(code), file, line, std::move(item),
         std::move(msg));
  }
  void warning(std::string code, const std::string& file, int line, std::string item,
               std::string msg) {
    diag(Diagnostic::Severity::kWarning, std::move(code), file, line, std::move(item),
         std::move(msg));
  }

  void load_source(const RuleSource& src) {
    files_.push_back(FileSummary{src.name});
    file_ = src.name;
    if (src.content.size() > kMaxRuleFileBytes) {
      error("limit", file_, 0, "", fmt::format("file larger than {} bytes", kMaxRuleFileBytes));
      return;
    }
    int deep_line = 0;
    if (yaml_too_deep(src.content, deep_line)) {
      error("limit", file_, deep_line, "", "YAML nested too deeply");
      return;
    }
    YAML::Node doc;
    try {
      doc = YAML::Load(src.content);
    } catch (const YAML::Exception& e) {
      error("yaml-parse", file_, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg);
      return;
    } catch (const std::exception& e) {
      error("yaml-parse", file_, 0, "", e.what());
      return;
    }
    if (doc.IsNull()) return;
    if (!doc.IsSequence()) {
      error("yaml-schema", file_, line_of(doc), "",
            "a rules file must be a list of list/macro/rule items");
      return;
    }
    for (const auto& item : doc) load_item(item);
  }

  void load_item(const YAML::Node& item) {
    std::string label;
    try {
      if (!item.IsMap()) fail(item, "yaml-schema", "each item must be a mapping");
      if (item["required_engine_version"]) {
        check_engine_version(item["required_engine_version"]);
      } else if (item["required_plugin_versions"]) {
        warning("unsupported", file_, line_of(item), "",
                "required_plugin_versions ignored: hivesec has no plugins");
      } else if (item["list"]) {
        label = fmt::format("list '{}'", scalar(item["list"], "list"));
        files_.back().lists++;
        load_list(item, label);
      } else if (item["macro"]) {
        label = fmt::format("macro '{}'", scalar(item["macro"], "macro"));
        files_.back().macros++;
        load_macro(item, label);
      } else if (item["rule"]) {
        label = fmt::format("rule '{}'", scalar(item["rule"], "rule"));
        files_.back().rules++;
        load_rule(item, label);
      } else {
        std::string first = item.begin() != item.end() && item.begin()->first.IsScalar()
                                ? item.begin()->first.Scalar()
                                : "?";
        warning("unknown-item", file_, line_of(item), "",
                fmt::format("unknown item '{}' ignored", first));
      }
    } catch (const ItemError& e) {
      error(e.code, file_, e.line, label, e.message);
    } catch (const YAML::Exception& e) {
      error("yaml-schema", file_, e.mark.line >= 0 ? e.mark.line + 1 : line_of(item), label, e.msg);
    }
  }

  void check_keys(const YAML::Node& item, std::initializer_list<std::string_view> allowed,
                  const std::string& label) {
    for (const auto& kv : item) {
      std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        warning("unknown-key", file_, line_of(kv.first), label,
                fmt::format("unknown key '{}' ignored", k));
      }
    }
  }

  void check_engine_version(const YAML::Node& n) {
    std::string s = scalar(n, "required_engine_version");
    Version want, have;
    parse_version(kEngineVersion, have);
    if (!parse_version(s, want)) {
      fail(n, "invalid-value", fmt::format("invalid required_engine_version '{}'", s));
    }
    if (want > have) {
      fail(
          n, "engine-version",
          fmt::format("rules require engine version {}, hivesec implements {}", s, kEngineVersion));
    }
  }

  // Returns the override mode per key ("append"/"replace"), validating the item's keys.
  std::map<std::string, std::string> read_override(
      const YAML::Node& item, std::initializer_list<std::string_view> can_append,
      std::initializer_list<std::string_view> can_replace, std::string_view name_key) {
    std::map<std::string, std::string> modes;
    const YAML::Node ov = item["override"];
    if (item["append"]) {
      fail(item["append"], "invalid-override", "'append' and 'override' cannot be combined");
    }
    if (!ov.IsMap()) fail(ov, "yaml-schema", "'override' must be a mapping of key: append|replace");
    for (const auto& kv : ov) {
      std::string key = scalar(kv.first, "override key");
      std::string mode = scalar(kv.second, "override mode");
      const auto& allowed = mode == "append" ? can_append : can_replace;
      if (mode != "append" && mode != "replace") {
        fail(kv.second, "invalid-override",
             fmt::format("override mode for '{}' must be append or replace", key));
      }
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(kv.first, "invalid-override",
             fmt::format("key '{}' cannot be {}ed", key, mode == "append" ? "append" : "replac"));
      }
      if (!item[key]) {
        fail(kv.first, "invalid-override",
             fmt::format("override names '{}' but the item has no '{}'", key, key));
      }
      modes[key] = mode;
    }
    for (const auto& kv : item) {
      std::string k = kv.first.Scalar();
      if (k == name_key || k == "override") continue;
      if (!modes.count(k)) {
        fail(kv.first, "invalid-override",
             fmt::format("key '{}' is not listed under 'override'", k));
      }
    }
    return modes;
  }

  void load_list(const YAML::Node& item, const std::string& label) {
    check_keys(item, {"list", "items", "append", "override"}, label);
    std::string name = item["list"].Scalar();
    bool append = item["append"] && boolean(item["append"], "append");
    std::string mode;
    if (item["override"]) {
      auto modes = read_override(item, {"items"}, {"items"}, "list");
      if (modes.count("items")) mode = modes["items"];
    } else if (append) {
      mode = "append";
    }
    if (!item["items"]) fail(item, "missing-key", "list has no 'items'");
    auto items = string_list(item["items"], "items");
    auto it = lists_.find(name);
    if (!mode.empty() && it == lists_.end()) {
      fail(item, "no-previous-definition",
           fmt::format("cannot {} list '{}': it is not defined earlier", mode, name));
    }
    if (mode == "append") {
      it->second.items.insert(it->second.items.end(), items.begin(), items.end());
      return;
    }
    if (it != lists_.end()) {
      it->second.items = std::move(items);  // replace (explicit or by redefinition)
      if (mode.empty()) {
        it->second.file = file_;
        it->second.line = line_of(item);
      }
      return;
    }
    lists_[name] = ListDef{std::move(items), file_, line_of(item)};
  }

  void load_macro(const YAML::Node& item, const std::string& label) {
    check_keys(item, {"macro", "condition", "append", "override", "desc"}, label);
    std::string name = item["macro"].Scalar();
    bool append = item["append"] && boolean(item["append"], "append");
    std::string mode;
    if (item["override"]) {
      auto modes = read_override(item, {"condition"}, {"condition"}, "macro");
      if (modes.count("condition")) mode = modes["condition"];
    } else if (append) {
      mode = "append";
    }
    if (!item["condition"]) fail(item, "missing-key", "macro has no 'condition'");
    std::string cond = scalar(item["condition"], "condition");
    auto it = macros_.find(name);
    if (!mode.empty() && it == macros_.end()) {
      fail(item, "no-previous-definition",
           fmt::format("cannot {} macro '{}': it is not defined earlier", mode, name));
    }
    if (mode == "append") {
      it->second.condition += " " + cond;
      return;
    }
    if (it != macros_.end()) {
      it->second.condition = std::move(cond);
      if (mode.empty()) {
        it->second.file = file_;
        it->second.line = line_of(item);
      }
      return;
    }
    macros_[name] = MacroDef{std::move(cond), file_, line_of(item), nullptr};
  }

  std::vector<ExceptionDef> read_exceptions(const YAML::Node& n) {
    std::vector<ExceptionDef> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) fail(n, "yaml-schema", "'exceptions' must be a list");
    for (const auto& e : n) {
      if (!e.IsMap()) fail(e, "yaml-schema", "each exception must be a mapping");
      ExceptionDef d;
      d.line = line_of(e);
      if (!e["name"]) fail(e, "missing-key", "exception has no 'name'");
      d.name = scalar(e["name"], "name");
      for (const auto& o : out) {
        if (o.name == d.name) {
          fail(e, "duplicate-exception", fmt::format("exception '{}' defined twice", d.name));
        }
      }
      if (e["fields"]) {
        d.has_fields = true;
        if (e["fields"].IsScalar()) {
          d.single_field = true;
          d.fields.push_back(e["fields"].Scalar());
        } else {
          d.fields = string_list(e["fields"], "fields");
          if (d.fields.empty()) fail(e["fields"], "invalid-value", "'fields' is empty");
        }
      }
      if (e["comps"]) {
        if (e["comps"].IsScalar()) {
          d.comps.push_back(e["comps"].Scalar());
        } else {
          d.comps = string_list(e["comps"], "comps");
        }
      }
      if (d.has_fields) {
        if (d.comps.empty()) d.comps.assign(d.fields.size(), d.single_field ? "in" : "=");
        if (d.comps.size() != d.fields.size()) {
          fail(e["comps"], "invalid-value",
               fmt::format("exception '{}' has {} fields but {} comps", d.name, d.fields.size(),
                           d.comps.size()));
        }
        for (const auto& c : d.comps) {
          Op op;
          if (!op_from_name(c, op) || op == Op::kExists) {
            fail(e["comps"], "invalid-operator", fmt::format("unknown comparison '{}'", c));
          }
        }
      }
      if (e["values"]) read_exception_values(e["values"], d);
      out.push_back(std::move(d));
    }
    return out;
  }

  void read_exception_values(const YAML::Node& vals, ExceptionDef& d) {
    if (vals.IsNull()) return;
    if (!vals.IsSequence()) fail(vals, "yaml-schema", "exception 'values' must be a list");
    for (const auto& row : vals) {
      std::vector<ExcValue> tuple;
      if (d.single_field || !row.IsSequence()) {
        ExcValue v;
        if (row.IsSequence()) {
          v.is_list = true;
          v.items = string_list(row, "values");
        } else {
          v.scalar = scalar(row, "values");
        }
        tuple.push_back(std::move(v));
      } else {
        for (const auto& cell : row) {
          ExcValue v;
          if (cell.IsSequence()) {
            v.is_list = true;
            v.items = string_list(cell, "values");
          } else {
            v.scalar = scalar(cell, "values");
          }
          tuple.push_back(std::move(v));
        }
      }
      d.values.push_back(std::move(tuple));
    }
  }

  void append_exceptions(RuleDef& r, std::vector<ExceptionDef> add, const YAML::Node& at) {
    for (auto& e : add) {
      auto it = std::find_if(r.exceptions.begin(), r.exceptions.end(),
                             [&](const ExceptionDef& x) { return x.name == e.name; });
      if (it != r.exceptions.end()) {
        it->values.insert(it->values.end(), e.values.begin(), e.values.end());
      } else {
        if (!e.has_fields) {
          fail(at, "missing-key", fmt::format("new exception '{}' has no 'fields'", e.name));
        }
        r.exceptions.push_back(std::move(e));
      }
    }
  }

  void load_rule(const YAML::Node& item, const std::string& label) {
    check_keys(item,
               {"rule", "desc", "condition", "output", "priority", "tags", "enabled", "exceptions",
                "source", "append", "override", "warn_evttypes", "skip-if-unknown-filter"},
               label);
    std::string name = item["rule"].Scalar();
    auto found = rule_index_.find(name);
    RuleDef* existing = found == rule_index_.end() ? nullptr : &rules_[found->second];
    auto need_existing = [&](std::string_view what) {
      if (!existing) {
        fail(item, "no-previous-definition",
             fmt::format("cannot {} rule '{}': it is not defined earlier", what, name));
      }
    };

    if (item["override"]) {
      auto modes = read_override(item, {"condition", "output", "desc", "tags", "exceptions"},
                                 {"condition", "output", "desc", "priority", "tags", "exceptions",
                                  "enabled", "warn_evttypes", "skip-if-unknown-filter"},
                                 "rule");
      need_existing("override");
      RuleDef& r = *existing;
      for (const auto& [key, mode] : modes) {
        bool app = mode == "append";
        const YAML::Node v = item[key];
        if (key == "condition") {
          std::string c = scalar(v, key);
          r.condition = app ? r.condition + " " + c : c;
        } else if (key == "output") {
          std::string c = scalar(v, key);
          r.output = app ? r.output + " " + c : c;
        } else if (key == "desc") {
          std::string c = scalar(v, key);
          r.desc = app ? r.desc + " " + c : c;
        } else if (key == "tags") {
          auto t = string_list(v, key);
          if (!app) r.tags.clear();
          for (auto& x : t) {
            if (std::find(r.tags.begin(), r.tags.end(), x) == r.tags.end()) r.tags.push_back(x);
          }
        } else if (key == "exceptions") {
          auto ex = read_exceptions(v);
          if (app) {
            append_exceptions(r, std::move(ex), v);
          } else {
            for (const auto& e : ex) {
              if (!e.has_fields) {
                fail(v, "missing-key", fmt::format("exception '{}' has no 'fields'", e.name));
              }
            }
            r.exceptions = std::move(ex);
          }
        } else if (key == "priority") {
          if (!parse_priority(scalar(v, key), r.priority)) {
            fail(v, "invalid-value", fmt::format("unknown priority '{}'", v.Scalar()));
          }
        } else if (key == "enabled") {
          r.enabled = boolean(v, key);
        } else if (key == "warn_evttypes") {
          r.warn_evttypes = boolean(v, key);
        } else if (key == "skip-if-unknown-filter") {
          r.skip_unknown = boolean(v, key);
        }
      }
      return;
    }

    if (item["append"] && boolean(item["append"], "append")) {
      need_existing("append to");
      for (const auto& kv : item) {
        std::string k = kv.first.Scalar();
        if (k != "rule" && k != "append" && k != "condition" && k != "exceptions") {
          fail(kv.first, "invalid-override",
               fmt::format("'append: true' can only append condition and exceptions, not '{}'", k));
        }
      }
      if (item["condition"]) {
        existing->condition += " " + scalar(item["condition"], "condition");
      }
      if (item["exceptions"]) {
        append_exceptions(*existing, read_exceptions(item["exceptions"]), item["exceptions"]);
      }
      return;
    }

    // `- rule: X` + `enabled: ...` alone toggles an existing rule.
    size_t nkeys = item.size();
    if (item["enabled"] && nkeys == 2) {
      need_existing("enable/disable");
      existing->enabled = boolean(item["enabled"], "enabled");
      return;
    }

    RuleDef r;
    r.name = name;
    r.file = file_;
    r.line = line_of(item);
    for (std::string_view key : {"condition", "output", "desc", "priority"}) {
      if (!item[std::string(key)]) {
        fail(item, "missing-key", fmt::format("rule has no '{}'", key));
      }
    }
    r.condition = scalar(item["condition"], "condition");
    r.cond_line = line_of(item["condition"]);
    r.output = scalar(item["output"], "output");
    r.desc = scalar(item["desc"], "desc");
    if (!parse_priority(scalar(item["priority"], "priority"), r.priority)) {
      fail(item["priority"], "invalid-value",
           fmt::format("unknown priority '{}'", item["priority"].Scalar()));
    }
    if (item["tags"]) r.tags = string_list(item["tags"], "tags");
    if (item["enabled"]) r.enabled = boolean(item["enabled"], "enabled");
    if (item["source"]) r.source = scalar(item["source"], "source");
    if (item["warn_evttypes"]) r.warn_evttypes = boolean(item["warn_evttypes"], "warn_evttypes");
    if (item["skip-if-unknown-filter"]) {
      r.skip_unknown = boolean(item["skip-if-unknown-filter"], "skip-if-unknown-filter");
    }
    if (item["exceptions"]) {
      r.exceptions = read_exceptions(item["exceptions"]);
      for (const auto& e : r.exceptions) {
        if (!e.has_fields) {
          fail(item["exceptions"], "missing-key",
               fmt::format("exception '{}' has no 'fields'", e.name));
        }
      }
    }
    if (existing) {
      *existing = std::move(r);  // a later definition replaces the earlier one
    } else {
      rule_index_[name] = rules_.size();
      rules_.push_back(std::move(r));
    }
  }

  // ---- compilation ----------------------------------------------------------------------------

  AstPtr make_check(const std::string& field, Op op, std::vector<AstValue> values) {
    auto n = std::make_unique<AstNode>();
    n->kind = AstNode::Kind::kCheck;
    auto [name, arg] = split_field(field);
    n->field = name;
    n->field_arg = arg;
    n->op = op;
    n->values = std::move(values);
    return n;
  }

  static AstPtr make_group(AstNode::Kind kind, std::vector<AstPtr> kids) {
    if (kids.size() == 1) return std::move(kids[0]);
    auto n = std::make_unique<AstNode>();
    n->kind = kind;
    n->children = std::move(kids);
    return n;
  }

  // The exception as a condition: (f1 c1 v1 and f2 c2 v2) or (...) ...; null when no values.
  Result<AstPtr> exception_ast(const ExceptionDef& e) {
    std::vector<AstPtr> rows;
    std::vector<Op> ops;
    for (const auto& c : e.comps) {
      Op op = Op::kEq;
      op_from_name(c, op);
      ops.push_back(op);
    }
    auto values_for = [](const ExcValue& v, Op op) {
      std::vector<AstValue> out;
      if (v.is_list) {
        for (const auto& i : v.items) out.push_back(AstValue{i, false});
      } else {
        // A scalar under a list operator is a list name (or a one-item list).
        out.push_back(AstValue{v.scalar, !op_takes_list(op)});
      }
      return out;
    };
    if (e.single_field) {
      Op op = ops[0];
      if (op_takes_list(op)) {
        std::vector<AstValue> all;
        for (const auto& row : e.values) {
          auto vs = values_for(row[0], op);
          all.insert(all.end(), vs.begin(), vs.end());
        }
        if (all.empty()) return AstPtr{};
        return make_check(e.fields[0], op, std::move(all));
      }
      for (const auto& row : e.values) {
        if (row[0].is_list) {
          return make_error(Errc::kInvalidArgument,
                            "exception '{}': a list value needs in, intersects or pmatch", e.name);
        }
        rows.push_back(make_check(e.fields[0], op, values_for(row[0], op)));
      }
      if (rows.empty()) return AstPtr{};
      return make_group(AstNode::Kind::kOr, std::move(rows));
    }
    for (const auto& row : e.values) {
      if (row.size() != e.fields.size()) {
        return make_error(Errc::kInvalidArgument,
                          "exception '{}': a value row has {} items for {} fields", e.name,
                          row.size(), e.fields.size());
      }
      std::vector<AstPtr> conj;
      for (size_t i = 0; i < row.size(); ++i) {
        if (row[i].is_list && !op_takes_list(ops[i])) {
          return make_error(Errc::kInvalidArgument,
                            "exception '{}': a list value for '{}' needs in, intersects or "
                            "pmatch, not '{}'",
                            e.name, e.fields[i], e.comps[i]);
        }
        conj.push_back(make_check(e.fields[i], ops[i], values_for(row[i], ops[i])));
      }
      rows.push_back(make_group(AstNode::Kind::kAnd, std::move(conj)));
    }
    if (rows.empty()) return AstPtr{};
    return make_group(AstNode::Kind::kOr, std::move(rows));
  }

  std::unique_ptr<RuleSet> build() {
    auto set = std::make_unique<RuleSet>();
    CompileEnv env;
    for (auto& [name, l] : lists_) env.lists[name] = &l.items;
    for (auto& [name, m] : macros_) {
      auto ast = parse_condition(m.condition);
      if (!ast.ok()) {
        error(ast.error().code == Errc::kLimit ? "limit" : "condition-syntax", m.file, m.line,
              fmt::format("macro '{}'", name), ast.error().message);
        env.macros[name] = nullptr;
        continue;
      }
      m.ast = std::move(*ast);
      env.macros[name] = m.ast.get();
    }
    for (auto& r : rules_) compile_rule(r, env, *set);
    for (const auto& [name, m] : macros_) {
      if (!env.used_macros.count(name)) {
        warning("unused-macro", m.file, m.line, fmt::format("macro '{}'", name),
                "macro is not used by any enabled rule");
      }
    }
    for (const auto& [name, l] : lists_) {
      if (!env.used_lists.count(name)) {
        warning("unused-list", l.file, l.line, fmt::format("list '{}'", name),
                "list is not used by any enabled rule");
      }
    }
    return set;
  }

  void compile_rule(RuleDef& r, CompileEnv& env, RuleSet& set) {
    std::string label = fmt::format("rule '{}'", r.name);
    if (!r.enabled) return;
    if (r.source != "syscall") {
      warning("unknown-source", r.file, r.line, label,
              fmt::format("source '{}' is not supported; rule skipped", r.source));
      return;
    }
    auto ast = parse_condition(r.condition);
    if (!ast.ok()) {
      error(ast.error().code == Errc::kLimit ? "limit" : "condition-syntax", r.file,
            r.cond_line ? r.cond_line : r.line, label, ast.error().message);
      return;
    }
    std::vector<AstPtr> parts;
    parts.push_back(std::move(*ast));
    for (const auto& e : r.exceptions) {
      auto ex = exception_ast(e);
      if (!ex.ok()) {
        error("invalid-value", r.file, e.line ? e.line : r.line, label, ex.error().message);
        return;
      }
      if (!*ex) continue;
      auto neg = std::make_unique<AstNode>();
      neg->kind = AstNode::Kind::kNot;
      neg->children.push_back(std::move(*ex));
      parts.push_back(std::move(neg));
    }
    AstPtr root = make_group(AstNode::Kind::kAnd, std::move(parts));
    std::unique_ptr<Filter> filter;
    CompileError cerr;
    if (!compile_condition(*root, env, filter, cerr)) {
      if (cerr.code == "unknown-field" && r.skip_unknown) {
        warning("unknown-field-skipped", r.file, r.cond_line ? r.cond_line : r.line, label,
                cerr.message + "; rule skipped (skip-if-unknown-filter)");
      } else {
        error(cerr.code, r.file, r.cond_line ? r.cond_line : r.line, label, cerr.message);
      }
      return;
    }
    auto out = OutputFormat::compile(trim_right(r.output));
    if (!out.ok()) {
      error(out.error().code == Errc::kNotFound ? "unknown-field" : "output-syntax", r.file, r.line,
            label, "output: " + out.error().message);
      return;
    }
    if (filter->event_types() == kAllTypes && r.warn_evttypes) {
      warning("no-evttype", r.file, r.line, label,
              "condition does not restrict evt.type: the rule is tested against every event");
    }
    auto rule = std::make_unique<Rule>();
    rule->name = r.name;
    rule->desc = r.desc;
    rule->output = trim_right(r.output);
    rule->source = r.source;
    rule->priority = r.priority;
    rule->tags = r.tags;
    rule->file = r.file;
    rule->line = r.line;
    rule->condition = r.condition;
    TypeMask mask = filter->event_types();
    rule->filter_ = std::move(filter);
    rule->output_format_ = std::make_shared<OutputFormat>(std::move(*out));
    uint32_t idx = static_cast<uint32_t>(set.rules_.size());
    set.rules_.push_back(std::move(rule));
    for (int t = 0; t < 64; ++t) {
      if (mask & (TypeMask{1} << t)) set.by_type_[static_cast<size_t>(t)].push_back(idx);
    }
  }

  std::string file_;
  std::vector<Diagnostic> diags_;
  std::vector<FileSummary> files_;
  std::map<std::string, ListDef> lists_;
  std::map<std::string, MacroDef> macros_;
  std::vector<RuleDef> rules_;
  std::unordered_map<std::string, size_t> rule_index_;
};

LoadResult load_rules(const std::vector<RuleSource>& sources) {
  RuleSetBuilder b;
  return b.run(sources);
}

Result<RuleSource> read_rule_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(errno == ENOENT ? Errc::kNotFound : Errc::kIo, "cannot open {}: {}", path,
                      std::strerror(errno));
  }
  std::string content;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    content.append(buf, static_cast<size_t>(in.gcount()));
    if (content.size() > kMaxRuleFileBytes) {
      return make_error(Errc::kLimit, "{} is larger than {} bytes", path, kMaxRuleFileBytes);
    }
  }
  if (in.bad()) return make_error(Errc::kIo, "reading {} failed", path);
  return RuleSource{path, std::move(content)};
}

LoadResult load_rule_files(const std::vector<std::string>& paths, bool with_defaults) {
  std::vector<RuleSource> sources;
  if (with_defaults) sources = default_rule_sources();
  std::vector<Diagnostic> io_errors;
  for (const auto& p : paths) {
    auto src = read_rule_file(p);
    if (!src.ok()) {
      io_errors.push_back(Diagnostic{Diagnostic::Severity::kError,
                                     src.error().code == Errc::kLimit ? "limit" : "io", p, 0, "",
                                     src.error().message});
      continue;
    }
    sources.push_back(std::move(*src));
  }
  LoadResult r = load_rules(sources);
  for (auto& d : io_errors) {
    r.files.push_back(FileSummary{d.file, 0, 0, 0, 1, 0});
    r.diagnostics.push_back(std::move(d));
  }
  return r;
}

std::vector<RuleSource> default_rule_sources() {
  std::vector<RuleSource> out;
  for (const auto& f : embedded_rule_files()) {
    if (f.name.starts_with("runtime/") && f.name.ends_with(".yaml")) {
      out.push_back(RuleSource{"embedded:" + std::string(f.name), std::string(f.content)});
    }
  }
  return out;
}

}  // namespace hivesec::runtime::rules
