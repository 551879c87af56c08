#include "secrets/rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/embedded.h"
#include "secrets/examples.h"

namespace hivesec::secrets {

namespace {

constexpr int64_t kMaxUserFile = 8ll << 20;

// A located failure inside a file; turned into "NAME:LINE: rule ID: reason".
struct Failure {
  int line = 0;
  std::string rule;
  std::string reason;
};

Error fail(std::string_view file, const Failure& f) {
  std::string where = f.line > 0 ? fmt::format("{}:{}", file, f.line) : std::string(file);
  if (f.rule.empty()) return make_error(Errc::kInvalidArgument, "{}: {}", where, f.reason);
  return make_error(Errc::kInvalidArgument, "{}: rule {}: {}", where, f.rule, f.reason);
}

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// yaml-cpp throws on type mismatches; these helpers turn them into Failures with a line.
bool get_string(const YAML::Node& n, std::string& out) {
  if (!n.IsScalar()) return false;
  out = n.Scalar();
  return true;
}

bool get_string_list(const YAML::Node& n, std::vector<std::string>& out) {
  if (!n.IsSequence()) return false;
  for (const auto& item : n) {
    if (!item.IsScalar()) return false;
    out.push_back(item.Scalar());
  }
  return true;
}

std::optional<Failure> check_regexes(const std::vector<std::string>& list, std::string_view what,
                                     int line, const std::string& rule) {
  for (const auto& re : list) {
    auto r = compile_plain_regex(re);
    if (!r.ok()) return Failure{line, rule, fmt::format("{} '{}': {}", what, re, r.error().message)};
  }
  return std::nullopt;
}

std::optional<Failure> parse_allow(const YAML::Node& n, Allowlist& out, const std::string& rule) {
  int line = line_of(n);
  if (!n.IsMap()) return Failure{line, rule, "allow: expected a mapping of paths, values, stopwords"};
  for (const auto& kv : n) {
    std::string key = kv.first.Scalar();
    std::vector<std::string>* dst = nullptr;
    if (key == "paths") dst = &out.paths;
    else if (key == "values") dst = &out.values;
    else if (key == "stopwords") dst = &out.stopwords;
    else return Failure{line_of(kv.first), rule, fmt::format("allow: unknown key '{}'", key)};
    if (!get_string_list(kv.second, *dst)) {
      return Failure{line_of(kv.second), rule, fmt::format("allow.{}: expected a list of strings", key)};
    }
  }
  for (auto& w : out.stopwords) {
    if (w.empty()) return Failure{line, rule, "allow.stopwords: empty stopword"};
    w = lower(w);
  }
  if (auto f = check_regexes(out.paths, "allow.paths", line, rule)) return f;
  if (auto f = check_regexes(out.values, "allow.values", line, rule)) return f;
  return std::nullopt;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  if (!std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '-' || c == '_' || c == '.';
  });
}

// Whether `needle` (lowercase) occurs in `hay` ignoring ASCII case.
bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return it != hay.end();
}

// Checks the regex against the rule's own examples: every `match` example has a match with a
// keyword inside; every keyword can occur in a match (it is written in the regex, or it shows up
// in an example's match).
std::optional<Failure> check_examples(const Rule& r, const re2::RE2& re, int line) {
  std::set<std::string> seen_keywords;
  for (const auto& tmpl : r.match_examples) {
    auto text = expand_example(tmpl, 1);
    if (!text.ok()) return Failure{line, r.id, text.error().message};
    re2::StringPiece input(*text);
    re2::StringPiece m;
    size_t pos = 0;
    bool ok = false;
    while (pos <= text->size() &&
           re.Match(input, pos, text->size(), re2::RE2::UNANCHORED, &m, 1)) {
      std::string_view whole(m.data(), m.size());
      for (const auto& k : r.keywords) {
        if (contains_ci(whole, k)) {
          seen_keywords.insert(k);
          ok = true;
        }
      }
      size_t end = static_cast<size_t>(m.data() - text->data()) + m.size();
      pos = m.empty() ? end + 1 : end;
    }
    if (!ok) {
      return Failure{line, r.id,
                     fmt::format("example match '{}': the regex finds no match containing a keyword",
                                 tmpl)};
    }
  }
  std::string flat = lower(r.regex);
  flat.erase(std::remove(flat.begin(), flat.end(), '\\'), flat.end());
  for (const auto& k : r.keywords) {
    if (seen_keywords.count(k) == 0 && flat.find(k) == std::string::npos) {
      return Failure{line, r.id,
                     fmt::format("keyword '{}' cannot occur in a match of the regex (not in the "
                                 "regex nor in any match example)",
                                 k)};
    }
  }
  return std::nullopt;
}

std::optional<Failure> parse_rule(const YAML::Node& n, Rule& r, bool examples) {
  int line = line_of(n);
  r.line = line;
  if (!n.IsMap()) return Failure{line, "", "a rule must be a mapping"};
  if (n["id"] && n["id"].IsScalar()) r.id = n["id"].Scalar();
  if (!valid_id(r.id)) {
    return Failure{line, r.id, "missing or malformed id (lowercase letters, digits, '-', '_', '.')"};
  }
  bool has_examples = false;
  for (const auto& kv : n) {
    std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    int kl = line_of(kv.first);
    auto bad = [&](std::string_view what) {
      return Failure{kl, r.id, fmt::format("{}: expected {}", key, what)};
    };
    if (key == "id") continue;
    if (key == "title") {
      if (!get_string(v, r.title)) return bad("a string");
    } else if (key == "severity") {
      std::string s;
      if (!get_string(v, s)) return bad("a string");
      auto sev = model::parse_severity(s);
      if (!sev || *sev == model::Severity::kUnknown) {
        return Failure{kl, r.id, fmt::format("severity '{}': expected critical, high, medium or low", s)};
      }
      r.severity = *sev;
    } else if (key == "keywords") {
      if (!get_string_list(v, r.keywords)) return bad("a list of strings");
    } else if (key == "regex") {
      if (!get_string(v, r.regex)) return bad("a string");
    } else if (key == "entropy") {
      std::string s;
      if (!get_string(v, s)) return bad("a number");
      try {
        size_t used = 0;
        r.entropy = std::stod(s, &used);
        if (used != s.size()) return bad("a number");
      } catch (const std::exception&) {
        return bad("a number");
      }
      if (!(r.entropy >= 0 && r.entropy <= 8)) return bad("a number between 0 and 8");
    } else if (key == "paths") {
      if (!get_string_list(v, r.paths)) return bad("a list of regexes");
      if (auto f = check_regexes(r.paths, "paths", kl, r.id)) return f;
    } else if (key == "allow") {
      if (auto f = parse_allow(v, r.allow, r.id)) return f;
    } else if (key == "remediation") {
      if (!get_string(v, r.remediation)) return bad("a string");
    } else if (key == "case_insensitive") {
      if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) return bad("true or false");
      r.case_insensitive = v.Scalar() == "true";
    } else if (key == "examples") {
      if (!v.IsMap()) return bad("a mapping with match and nomatch lists");
      for (const auto& ex : v) {
        std::string ek = ex.first.Scalar();
        std::vector<std::string>* dst = ek == "match"     ? &r.match_examples
                                        : ek == "nomatch" ? &r.nomatch_examples
                                                          : nullptr;
        if (!dst) {
          return Failure{line_of(ex.first), r.id, fmt::format("examples: unknown key '{}'", ek)};
        }
        if (!get_string_list(ex.second, *dst)) {
          return Failure{line_of(ex.second), r.id,
                         fmt::format("examples.{}: expected a list of strings", ek)};
        }
      }
      has_examples = true;
    } else {
      return Failure{kl, r.id, fmt::format("unknown key '{}'", key)};
    }
  }
  if (r.title.empty()) return Failure{line, r.id, "missing title"};
  if (!n["severity"]) return Failure{line, r.id, "missing severity"};
  if (r.regex.empty()) return Failure{line, r.id, "missing regex"};
  if (r.keywords.empty()) return Failure{line, r.id, "keywords: at least one keyword is required"};
  for (const auto& k : r.keywords) {
    if (k.empty()) return Failure{line, r.id, "keywords: empty keyword"};
    if (k != lower(k)) return Failure{line, r.id, fmt::format("keyword '{}' must be lowercase", k)};
  }
  if (!has_examples || r.match_examples.empty() || r.nomatch_examples.empty()) {
    return Failure{line, r.id, "examples: at least one match and one nomatch example are required"};
  }
  if (!examples) return std::nullopt;  // the engine compiles (and checks) the regex
  auto re = compile_rule_regex(r.regex, r.case_insensitive);
  if (!re.ok()) return Failure{line, r.id, fmt::format("regex: {}", re.error().message)};
  for (const auto& t : r.nomatch_examples) {
    if (auto e = expand_example(t, 1); !e.ok()) return Failure{line, r.id, e.error().message};
  }
  return check_examples(r, **re, line);
}

}  // namespace

void Allowlist::append(const Allowlist& other) {
  paths.insert(paths.end(), other.paths.begin(), other.paths.end());
  values.insert(values.end(), other.values.begin(), other.values.end());
  stopwords.insert(stopwords.end(), other.stopwords.begin(), other.stopwords.end());
}

Result<std::unique_ptr<re2::RE2>> compile_rule_regex(std::string_view regex,
                                                     bool case_insensitive) {
  re2::RE2::Options o;
  o.set_encoding(re2::RE2::Options::EncodingLatin1);
  o.set_log_errors(false);
  o.set_case_sensitive(!case_insensitive);
  o.set_max_mem(32 << 20);
  auto re = std::make_unique<re2::RE2>("(?m)" + std::string(regex), o);
  if (!re->ok()) return make_error(Errc::kInvalidArgument, "{}", re->error());
  return re;
}

Result<std::unique_ptr<re2::RE2>> compile_plain_regex(std::string_view regex) {
  re2::RE2::Options o;
  o.set_encoding(re2::RE2::Options::EncodingLatin1);
  o.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(std::string(regex), o);
  if (!re->ok()) return make_error(Errc::kInvalidArgument, "{}", re->error());
  return re;
}

Result<RuleFile> parse_rule_file(std::string_view name, std::string_view yaml,
                                 bool check_examples) {
  RuleFile out;
  out.name = std::string(name);
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    if (doc.IsNull()) return out;
    if (!doc.IsMap()) return fail(name, {line_of(doc), "", "expected a mapping with allow, disable, rules"});
    std::set<std::string> ids;
    for (const auto& kv : doc) {
      std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      if (key == "allow") {
        if (auto f = parse_allow(v, out.allow, "")) return fail(name, *f);
      } else if (key == "disable") {
        if (!get_string_list(v, out.disable)) {
          return fail(name, {line_of(v), "", "disable: expected a list of rule ids"});
        }
      } else if (key == "rules") {
        if (!v.IsSequence()) return fail(name, {line_of(v), "", "rules: expected a list"});
        for (const auto& rn : v) {
          Rule r;
          if (auto f = parse_rule(rn, r, check_examples)) return fail(name, *f);
          if (!ids.insert(r.id).second) {
            return fail(name, {r.line, r.id, "duplicate rule id in this file"});
          }
          r.file = std::string(name);
          out.rules.push_back(std::move(r));
        }
      } else {
        return fail(name, {line_of(kv.first), "", fmt::format("unknown key '{}' (known: allow, disable, rules)", key)});
      }
    }
  } catch (const YAML::Exception& e) {
    return fail(name, {e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg});
  }
  return out;
}

Result<RuleSet> combine_rule_files(const std::vector<RuleFile>& builtin,
                                   const std::vector<RuleFile>& user) {
  RuleSet set;
  std::map<std::string, size_t> index;
  for (const RuleFile& f : builtin) {
    set.allow.append(f.allow);
    for (const Rule& r : f.rules) {
      if (index.count(r.id)) {
        return make_error(Errc::kInvalidArgument, "{}:{}: rule {}: id already defined in {}", f.name,
                          r.line, r.id, set.rules[index[r.id]].file);
      }
      index[r.id] = set.rules.size();
      set.rules.push_back(r);
    }
  }
  std::vector<std::pair<std::string, std::string>> disables;  // id, file
  for (const RuleFile& f : builtin) {
    for (const auto& id : f.disable) disables.emplace_back(id, f.name);
  }
  for (const RuleFile& f : user) {
    set.allow.append(f.allow);
    for (const Rule& r : f.rules) {
      auto it = index.find(r.id);
      if (it != index.end()) {
        set.rules[it->second] = r;  // override
      } else {
        index[r.id] = set.rules.size();
        set.rules.push_back(r);
      }
    }
    for (const auto& id : f.disable) disables.emplace_back(id, f.name);
  }
  std::set<std::string> off;
  for (const auto& [id, file] : disables) {
    if (!index.count(id) && id != "image-config-env-secret") {
      return make_error(Errc::kInvalidArgument, "{}: disable: unknown rule id '{}'", file, id);
    }
    off.insert(id);
  }
  std::vector<Rule> kept;
  for (auto& r : set.rules) {
    if (!off.count(r.id)) kept.push_back(std::move(r));
  }
  set.rules = std::move(kept);
  set.disabled.assign(off.begin(), off.end());
  return set;
}

Result<std::vector<RuleFile>> builtin_rule_files(bool check_examples) {
  std::vector<RuleFile> out;
  for (const EmbeddedFile& f : embedded_rule_files()) {
    if (!f.name.starts_with("secrets/")) continue;
    auto parsed = parse_rule_file(f.name, f.content, check_examples);
    if (!parsed.ok()) {
      return make_error(Errc::kInternal, "bundled secret rules: {}", parsed.error().message);
    }
    out.push_back(std::move(parsed).value());
  }
  return out;
}

Result<RuleFile> read_user_rule_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kNotFound, "{}: cannot open the secret rule file", path);
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (static_cast<int64_t>(text.size()) > kMaxUserFile) {
      return make_error(Errc::kLimit, "{}: secret rule file larger than {} bytes", path, kMaxUserFile);
    }
  }
  return parse_rule_file(path, text);
}

Result<RuleSet> load_rule_set(const std::vector<std::string>& user_files) {
  HIVESEC_TRY(auto builtin, builtin_rule_files());
  std::vector<RuleFile> user;
  for (const auto& path : user_files) {
    HIVESEC_TRY(auto f, read_user_rule_file(path));
    user.push_back(std::move(f));
  }
  return combine_rule_files(builtin, user);
}

model::Finding make_finding(const Rule& r, std::string path, int line, std::string masked) {
  model::Finding f;
  f.kind = model::FindingKind::kSecret;
  f.rule_id = r.id;
  f.severity = r.severity;
  f.title = r.title;
  f.remediation = r.remediation;
  f.evidence.path = std::move(path);
  f.evidence.line = line;
  f.evidence.match = std::move(masked);
  return f;
}

}  // namespace hivesec::secrets
