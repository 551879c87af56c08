#include "policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/embedded.h"

namespace hivesec::policy {

using nlohmann::json;

const char* check_type_name(CheckType t) {
  switch (t) {
    case CheckType::kAutomated:
      return "automated";
    case CheckType::kManual:
      return "manual";
    case CheckType::kInfo:
      return "info";
  }
  return "?";
}

namespace {

constexpr size_t kMaxDepth = 16;

// Load errors carry the YAML line; thrown inside this file only, caught in parse_check_file.
struct LoadError {
  int line;
  std::string message;
};

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

[[noreturn]] void fail(const YAML::Node& n, std::string msg) {
  throw LoadError{line_of(n), std::move(msg)};
}

json to_json(const YAML::Node& n, size_t depth = 0) {
  if (depth > kMaxDepth) fail(n, "nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return n.Scalar();
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) a.push_back(to_json(e, depth + 1));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) o[kv.first.Scalar()] = to_json(kv.second, depth + 1);
      return o;
    }
    default:
      return nullptr;
  }
}

std::string scalar(const YAML::Node& parent, const char* key, bool required,
                   const std::string& what) {
  YAML::Node n = parent[key];
  if (!n) {
    if (required) fail(parent, what + ": missing field '" + key + "'");
    return "";
  }
  if (!n.IsScalar()) fail(n, what + ": field '" + key + "' must be a scalar");
  return n.Scalar();
}

// Keys starting with "x-" are free (YAML anchors for shared fact definitions live there).
void check_keys(const YAML::Node& n, const std::set<std::string>& allowed,
                const std::string& what) {
  for (const auto& kv : n) {
    std::string k = kv.first.Scalar();
    if (!allowed.count(k) && !k.starts_with("x-"))
      fail(kv.first, what + ": unknown field '" + k + "'");
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class Parser {
 public:
  explicit Parser(const Registries& reg) : reg_(reg) {}

  Expr expr(const YAML::Node& n, const Check& c, size_t depth) {
    const std::string what = "check " + c.id;
    if (depth > kMaxDepth) fail(n, what + ": test nested too deeply");
    if (!n.IsMap()) fail(n, what + ": a test must be a map (fact/op/value, all, any or not)");
    Expr e;
    e.line = line_of(n);
    for (const char* group : {"all", "any"}) {
      if (n[group]) {
        check_keys(n, {group}, what);
        if (!n[group].IsSequence() || n[group].size() == 0)
          fail(n, what + ": '" + group + "' needs a non-empty list");
        e.kind = std::string(group) == "all" ? Expr::Kind::kAll : Expr::Kind::kAny;
        for (const auto& child : n[group]) e.children.push_back(expr(child, c, depth + 1));
        return e;
      }
    }
    if (n["not"]) {
      check_keys(n, {"not"}, what);
      e.kind = Expr::Kind::kNot;
      e.children.push_back(expr(n["not"], c, depth + 1));
      return e;
    }
    check_keys(n, {"fact", "path", "op", "value", "default"}, what);
    e.fact = scalar(n, "fact", true, what);
    bool known = std::any_of(c.facts.begin(), c.facts.end(),
                             [&](const FactSpec& f) { return f.name == e.fact; });
    if (!known) fail(n, what + ": test reads fact '" + e.fact + "' that is not declared in facts");
    e.path = scalar(n, "path", false, what);
    e.op_name = scalar(n, "op", true, what);
    e.op = reg_.operators->find(e.op_name);
    if (!e.op)
      fail(n["op"], what + ": unknown operator '" + e.op_name +
                        "' (known: " + join(reg_.operators->names()) + ")");
    if (n["value"]) e.expected = to_json(n["value"]);
    if (n["default"]) e.default_value = to_json(n["default"]);
    if (auto st = e.op->validate(e.expected); !st.ok()) {
      fail(n["value"] ? n["value"] : n,
           what + ": operator " + e.op_name + ": " + st.error().message);
    }
    return e;
  }

  FactSpec fact(const YAML::Node& key, const YAML::Node& n, const std::string& what) {
    FactSpec f;
    f.name = key.Scalar();
    if (!n.IsMap()) fail(n, what + ": fact '" + f.name + "' must be a map with a collector");
    std::string cname = scalar(n, "collector", true, what + ": fact '" + f.name + "'");
    f.collector = reg_.collectors->find(cname);
    if (!f.collector)
      fail(n["collector"], what + ": fact '" + f.name + "': unknown collector '" + cname +
                               "' (known: " + join(reg_.collectors->names()) + ")");
    f.params = json::object();
    for (const auto& kv : n) {
      std::string k = kv.first.Scalar();
      if (k == "collector") continue;
      if (k == "default") {
        f.default_value = to_json(kv.second);
      } else if (k == "if_missing") {
        f.if_missing = kv.second.IsScalar() ? kv.second.Scalar() : "";
        if (f.if_missing != "warn" && f.if_missing != "info" && f.if_missing != "fail") {
          fail(kv.second, what + ": fact '" + f.name + "': if_missing must be warn, info or fail");
        }
      } else {
        f.params[k] = to_json(kv.second);
      }
    }
    if (auto st = f.collector->validate(f.params); !st.ok()) {
      fail(n, what + ": fact '" + f.name + "' (" + cname + "): " + st.error().message);
    }
    return f;
  }

  Check check(const YAML::Node& n, const CheckFile& file, bool& override_flag) {
    if (!n.IsMap()) fail(n, "a check must be a map");
    Check c;
    c.id = scalar(n, "id", true, "check");
    const std::string what = "check " + c.id;
    check_keys(n,
               {"id", "title", "section", "cis", "level", "type", "scored", "severity", "facts",
                "precondition", "test", "rationale", "remediation", "override"},
               what);
    c.benchmark = file.benchmark;
    c.origin = file.name + ":" + std::to_string(line_of(n));
    c.title = scalar(n, "title", true, what);
    c.section = scalar(n, "section", true, what);
    c.cis = scalar(n, "cis", false, what);
    std::string level = scalar(n, "level", false, what);
    if (!level.empty()) {
      if (level != "1" && level != "2") fail(n["level"], what + ": level must be 1 or 2");
      c.level = level[0] - '0';
    }
    std::string type = scalar(n, "type", false, what);
    if (type.empty() || type == "automated")
      c.type = CheckType::kAutomated;
    else if (type == "manual")
      c.type = CheckType::kManual;
    else if (type == "info")
      c.type = CheckType::kInfo;
    else
      fail(n["type"], what + ": type must be automated, manual or info");
    c.scored = c.type == CheckType::kAutomated;
    std::string scored = scalar(n, "scored", false, what);
    if (!scored.empty()) {
      if (scored != "true" && scored != "false")
        fail(n["scored"], what + ": scored must be true or false");
      c.scored = scored == "true";
    }
    std::string sev = scalar(n, "severity", true, what);
    auto s = model::parse_severity(sev);
    if (!s || *s == model::Severity::kUnknown)
      fail(n["severity"], what + ": severity must be low, medium, high or critical");
    c.severity = *s;
    c.rationale = scalar(n, "rationale", true, what);
    c.remediation = scalar(n, "remediation", true, what);
    std::string ov = scalar(n, "override", false, what);
    override_flag = ov == "true";
    if (n["facts"]) {
      if (!n["facts"].IsMap())
        fail(n["facts"], what + ": facts must be a map of name -> collector");
      for (const auto& kv : n["facts"]) c.facts.push_back(fact(kv.first, kv.second, what));
    }
    if (n["precondition"]) c.precondition = expr(n["precondition"], c, 0);
    if (n["test"]) {
      c.test = expr(n["test"], c, 0);
    } else if (c.type == CheckType::kAutomated) {
      fail(n, what + ": missing field 'test' (only manual and info checks may omit it)");
    }
    return c;
  }

  CheckFile file(const YAML::Node& doc, std::string_view name) {
    CheckFile f;
    f.name = std::string(name);
    if (!doc.IsMap()) fail(doc, "the file must be a map with 'checks'");
    check_keys(doc, {"benchmark", "title", "version", "reference", "disable", "checks"}, "file");
    f.benchmark = scalar(doc, "benchmark", false, "file");
    f.title = scalar(doc, "title", false, "file");
    f.version = scalar(doc, "version", false, "file");
    f.reference = scalar(doc, "reference", false, "file");
    if (doc["disable"]) {
      if (!doc["disable"].IsSequence()) fail(doc["disable"], "disable must be a list of check ids");
      for (const auto& d : doc["disable"]) f.disable.push_back(d.Scalar());
    }
    if (doc["checks"]) {
      if (!doc["checks"].IsSequence()) fail(doc["checks"], "checks must be a list");
      std::set<std::string> seen;
      for (const auto& n : doc["checks"]) {
        bool ov = false;
        Check c = check(n, f, ov);
        if (!seen.insert(c.id).second) fail(n, "duplicate check id " + c.id);
        if (ov) f.overrides.push_back(c.id);
        f.checks.push_back(std::move(c));
      }
    } else if (f.disable.empty()) {
      fail(doc, "no 'checks' list");
    }
    return f;
  }

 private:
  const Registries& reg_;
};

}  // namespace

Result<CheckFile> parse_check_file(std::string_view yaml, std::string_view name,
                                   const Registries& reg) {
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    return Parser(reg).file(doc, name);
  } catch (const LoadError& e) {
    return make_error(Errc::kInvalidArgument, "{}:{}: {}", name, e.line, e.message);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    return make_error(Errc::kInvalidArgument, "{}:{}: bad YAML: {}", name, line, e.msg);
  } catch (const std::exception& e) {
    return make_error(Errc::kInvalidArgument, "{}: {}", name, e.what());
  }
}

Result<CheckFile> load_check_file(const std::string& path, const Registries& reg) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kNotFound, "{}: cannot open", path);
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > (4u << 20)) return make_error(Errc::kLimit, "{}: larger than 4 MiB", path);
  }
  return parse_check_file(text, path, reg);
}

Result<std::vector<CheckFile>> load_builtin_benchmark(std::string_view benchmark,
                                                      const Registries& reg) {
  std::vector<CheckFile> out;
  for (const auto& f : embedded_rule_files()) {
    if (!f.name.starts_with("benchmarks/") || !f.name.ends_with(".yaml")) continue;
    HIVESEC_TRY(CheckFile file, parse_check_file(f.content, f.name, reg));
    if (file.benchmark == benchmark) out.push_back(std::move(file));
  }
  if (out.empty()) return make_error(Errc::kNotFound, "no built-in benchmark '{}'", benchmark);
  return out;
}

Result<std::vector<Check>> compose_checks(std::vector<CheckFile> base,
                                          std::vector<CheckFile> baselines,
                                          const std::vector<std::string>& skip) {
  std::vector<Check> checks;
  auto find = [&checks](const std::string& id) {
    return std::find_if(checks.begin(), checks.end(), [&](const Check& c) { return c.id == id; });
  };
  for (auto& f : base) {
    for (auto& c : f.checks) {
      if (find(c.id) != checks.end()) {
        return make_error(Errc::kInvalidArgument, "{}: duplicate check id {}", c.origin, c.id);
      }
      checks.push_back(std::move(c));
    }
  }
  for (auto& f : baselines) {
    for (const auto& id : f.disable) {
      auto it = find(id);
      if (it == checks.end())
        return make_error(Errc::kInvalidArgument, "{}: disable: no check '{}'", f.name, id);
      checks.erase(it);
    }
    for (auto& c : f.checks) {
      bool ov = std::find(f.overrides.begin(), f.overrides.end(), c.id) != f.overrides.end();
      auto it = find(c.id);
      if (ov) {
        if (it == checks.end()) {
          return make_error(Errc::kInvalidArgument, "{}: override: no check '{}' to override",
                            c.origin, c.id);
        }
        if (c.benchmark.empty()) c.benchmark = it->benchmark;
        *it = std::move(c);
      } else {
        if (it != checks.end()) {
          return make_error(Errc::kInvalidArgument,
                            "{}: check {} already exists (set 'override: true' to replace it)",
                            c.origin, c.id);
        }
        if (c.benchmark.empty()) c.benchmark = "custom";
        checks.push_back(std::move(c));
      }
    }
  }
  for (const auto& id : skip) {
    auto it = find(id);
    if (it == checks.end()) return make_error(Errc::kInvalidArgument, "--skip: no check '{}'", id);
    checks.erase(it);
  }
  return checks;
}

}  // namespace hivesec::policy
