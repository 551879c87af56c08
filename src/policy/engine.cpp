#include "policy/engine.h"

#include <algorithm>

#include "policy/collector.h"
#include "policy/operators.h"

namespace hivesec::policy {

using nlohmann::json;

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kInfo:
      return "INFO";
    case Verdict::kError:
      return "ERROR";
  }
  return "?";
}

namespace {

void count(SectionSummary& s, Verdict v) {
  switch (v) {
    case Verdict::kPass:
      ++s.pass;
      break;
    case Verdict::kFail:
      ++s.fail;
      break;
    case Verdict::kWarn:
      ++s.warn;
      break;
    case Verdict::kInfo:
      ++s.info;
      break;
    case Verdict::kError:
      ++s.error;
      break;
  }
}

std::string cut(std::string s, size_t n) {
  if (s.size() > n) s = s.substr(0, n) + "...";
  return s;
}

// The value at a dotted path ("a.b.0"); nullptr when absent.
const json* at_path(const json& v, const std::string& path) {
  const json* cur = &v;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t dot = path.find('.', pos);
    if (dot == std::string::npos) dot = path.size();
    std::string part = path.substr(pos, dot - pos);
    pos = dot + 1;
    if (cur->is_object()) {
      auto it = cur->find(part);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array() && !part.empty() &&
               std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      size_t i = std::stoul(part);
      if (i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
    } else {
      return nullptr;
    }
  }
  return cur;
}

struct Eval {
  bool holds = false;
  std::string why;
};

struct Context {
  const Check& check;
  std::map<std::string, const Fact*> facts;
};

Result<Eval> eval(const Expr& e, const Context& ctx) {
  switch (e.kind) {
    case Expr::Kind::kLeaf: {
      const Fact* f = ctx.facts.at(e.fact);
      const FactSpec* spec = nullptr;
      for (const auto& s : ctx.check.facts) {
        if (s.name == e.fact) spec = &s;
      }
      const json* v = f->state == FactState::kOk ? at_path(f->value, e.path) : nullptr;
      bool defaulted = false;
      if (!v && e.default_value) v = &*e.default_value, defaulted = true;
      if (!v && spec && spec->default_value && e.path.empty())
        v = &*spec->default_value, defaulted = true;
      std::string name = e.fact + (e.path.empty() ? "" : "." + e.path);
      auto r = e.op->test(v, e.expected);
      if (!r.ok()) return r.error().wrap(name);
      std::string shown;
      if (!v) {
        shown = "not set";
        if (f->state != FactState::kOk) shown += " (" + f->source + ": " + f->reason + ")";
      } else if (v->is_object() && v->contains("mode_octal")) {  // a stat: show what matters
        auto name = [v](const char* n, const char* id) {
          const json& x = v->contains(n) ? (*v)[n] : json();
          return x.is_null() ? scalar_text(v->value(id, json())) : scalar_text(x);
        };
        shown = "mode " + scalar_text((*v)["mode_octal"]) + " owner " + name("user", "uid") + ":" +
                name("group", "gid");
      } else {
        shown = "'" + cut(scalar_text(*v), 120) + "'" + (defaulted ? " (default)" : "");
      }
      std::string want = e.expected.is_null() ? "" : " " + cut(scalar_text(e.expected), 120);
      return Eval{*r, name + " is " + shown + " (want " + e.op_name + want + ")"};
    }
    case Expr::Kind::kNot: {
      HIVESEC_TRY(Eval c, eval(e.children[0], ctx));
      return Eval{!c.holds, "not (" + c.why + ")"};
    }
    case Expr::Kind::kAll:
    case Expr::Kind::kAny: {
      bool all = e.kind == Expr::Kind::kAll;
      std::vector<std::string> deciding, every;
      bool holds = all;
      for (const auto& child : e.children) {
        HIVESEC_TRY(Eval c, eval(child, ctx));
        every.push_back(c.why);
        if (all && !c.holds) {
          holds = false;
          deciding.push_back(c.why);
        }
        if (!all && c.holds) {
          holds = true;
          deciding.push_back(c.why);
        }
      }
      const auto& parts = (holds == all) ? every : deciding;
      std::string why;
      for (const auto& p : parts) why += (why.empty() ? "" : (all ? "; " : " or ")) + p;
      return Eval{holds, why};
    }
  }
  return Eval{};
}

}  // namespace

namespace {

// Fills "{fact.path}" placeholders of a not_applicable text from the collected facts.
std::string fill_template(const std::string& text, const Context& ctx) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    std::string ref = text.substr(open + 1, close - open - 1);
    size_t dot = ref.find('.');
    std::string fact = ref.substr(0, dot);
    std::string path = dot == std::string::npos ? "" : ref.substr(dot + 1);
    auto it = ctx.facts.find(fact);
    const json* v = it != ctx.facts.end() && it->second->state == FactState::kOk
                        ? at_path(it->second->value, path)
                        : nullptr;
    out += v ? cut(scalar_text(*v), 120) : "?";
    pos = close + 1;
  }
  return out;
}

// The fact names an expression reads.
void expr_facts(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kLeaf) {
    out.push_back(e.fact);
    return;
  }
  for (const auto& c : e.children) expr_facts(c, out);
}

// `subject` (when not null) is the for_each element, bound to the ForEach fact name.
CheckResult evaluate(const Check& check, Host& host, const Fact* subject,
                     const std::string& label) {
  CheckResult r;
  r.check = check;
  r.subject = label;
  if (check.type == CheckType::kManual) {
    r.verdict = Verdict::kWarn;
    r.reason = "manual check: review by hand (see remediation)";
    if (!check.test) return r;
  }
  Context ctx{check, {}};
  if (subject && check.for_each) {
    ctx.facts[check.for_each->fact.name] = subject;
    r.evidence.push_back(
        FactEvidence{check.for_each->fact.name, subject->source, subject->state, label});
  }
  auto collect = [&](const FactSpec& spec) {
    if (ctx.facts.count(spec.name)) return;
    const Fact& f = collect_cached(*spec.collector, spec.params, host);
    ctx.facts[spec.name] = &f;
    r.evidence.push_back(
        FactEvidence{spec.name, f.source, f.state,
                     f.state == FactState::kOk ? cut(f.value.dump(), 300) : f.reason});
    r.details.insert(r.details.end(), f.details.begin(), f.details.end());
  };
  // A precondition decided by its own facts comes first: a check that does not apply here
  // (a Docker daemon file on a Podman host) is INFO even when its other facts are unreadable,
  // and those are not even collected.
  if (check.precondition) {
    std::vector<std::string> names;
    expr_facts(*check.precondition, names);
    for (const auto& spec : check.facts) {
      if (std::find(names.begin(), names.end(), spec.name) != names.end()) collect(spec);
    }
    for (const auto& spec : check.facts) {  // and those the not_applicable text shows
      if (check.not_applicable.find("{" + spec.name + ".") != std::string::npos ||
          check.not_applicable.find("{" + spec.name + "}") != std::string::npos)
        collect(spec);
    }
    bool decidable = std::all_of(names.begin(), names.end(), [&](const std::string& n) {
      FactState st = ctx.facts.at(n)->state;
      return st == FactState::kOk || st == FactState::kMissing;
    });
    if (decidable) {
      auto p = eval(*check.precondition, ctx);
      if (p.ok() && !p->holds) {
        r.verdict = Verdict::kInfo;
        r.reason =
            "not applicable: " +
            (check.not_applicable.empty() ? p->why : fill_template(check.not_applicable, ctx));
        return r;
      }
    }
  }
  for (const auto& spec : check.facts) collect(spec);
  auto describe = [](const FactSpec& s, const Fact& f) {
    return s.name + " (" + f.source + "): " + f.reason;
  };
  // Errors first (never a false PASS), then what cannot be decided here.
  for (const auto& spec : check.facts) {
    const Fact& f = *ctx.facts[spec.name];
    if (f.state == FactState::kError) {
      r.verdict = Verdict::kError;
      r.reason = describe(spec, f);
      return r;
    }
  }
  for (const auto& spec : check.facts) {
    const Fact& f = *ctx.facts[spec.name];
    if (f.state == FactState::kUnavailable) {
      r.verdict = Verdict::kWarn;
      r.reason = "cannot decide: " + describe(spec, f);
      return r;
    }
  }
  if (check.precondition) {
    auto p = eval(*check.precondition, ctx);
    if (!p.ok()) {
      r.verdict = Verdict::kError;
      r.reason = "precondition: " + p.error().message;
      return r;
    }
    if (!p->holds) {
      r.verdict = Verdict::kInfo;
      r.reason = "not applicable: " +
                 (check.not_applicable.empty() ? p->why : fill_template(check.not_applicable, ctx));
      return r;
    }
  }
  for (const auto& spec : check.facts) {
    const Fact& f = *ctx.facts[spec.name];
    if (f.state == FactState::kMissing && !spec.if_missing.empty() && !spec.default_value) {
      r.verdict = spec.if_missing == "warn"   ? Verdict::kWarn
                  : spec.if_missing == "info" ? Verdict::kInfo
                                              : Verdict::kFail;
      r.reason = describe(spec, f);
      return r;
    }
  }
  if (check.type == CheckType::kManual) return r;
  if (!check.test) {  // an info check without a test: guidance to review by hand
    r.verdict = Verdict::kInfo;
    r.reason = "not automated: review by hand (see remediation)";
    return r;
  }
  auto e = eval(*check.test, ctx);
  if (!e.ok()) {
    r.verdict = Verdict::kError;
    r.reason = e.error().message;
    return r;
  }
  r.reason = e->why;
  if (e->holds) {
    r.verdict = Verdict::kPass;
    for (const auto& spec : check.facts) {
      const Fact& f = *ctx.facts[spec.name];
      if (f.incomplete) {
        r.verdict = Verdict::kWarn;
        r.reason = "cannot decide: " + spec.name + " (" + f.source +
                   ") is incomplete: " + f.reason + "; " + r.reason;
      }
    }
    if (subject && subject->incomplete) {
      r.verdict = Verdict::kWarn;
      r.reason =
          "cannot decide: the subject list (" + subject->source + ") is incomplete; " + r.reason;
    }
  } else {
    r.verdict = check.type == CheckType::kInfo ? Verdict::kInfo : Verdict::kFail;
    // A fact the test reads that is missing altogether explains the failure better than each
    // comparison.
    std::vector<std::string> read;
    expr_facts(*check.test, read);
    std::string missing;
    for (const auto& spec : check.facts) {
      const Fact& f = *ctx.facts[spec.name];
      if (f.state == FactState::kMissing &&
          std::find(read.begin(), read.end(), spec.name) != read.end())
        missing += (missing.empty() ? "" : "; ") + describe(spec, f);
    }
    if (!missing.empty()) r.reason = missing;
  }
  return r;
}

// Whether the check's precondition is decided false by facts that are already cached (so its
// other facts need not be fetched). Per-subject preconditions are never ruled out here.
bool ruled_out(const Check& check, Host& host) {
  if (!check.precondition) return false;
  std::vector<std::string> names;
  expr_facts(*check.precondition, names);
  Context ctx{check, {}};
  for (const auto& n : names) {
    const FactSpec* spec = nullptr;
    for (const auto& f : check.facts) {
      if (f.name == n) spec = &f;
    }
    if (!spec) return false;  // the for_each subject
    const Fact* f = find_cached(*spec->collector, spec->params, host);
    if (!f || (f->state != FactState::kOk && f->state != FactState::kMissing)) return false;
    ctx.facts[n] = f;
  }
  auto p = eval(*check.precondition, ctx);
  return p.ok() && !p->holds;
}

}  // namespace

CheckResult run_check(const Check& check, Host& host) { return evaluate(check, host, nullptr, ""); }

std::vector<CheckResult> run_check_subjects(const Check& check, Host& host) {
  if (!check.for_each) return {run_check(check, host)};
  const ForEach& fe = *check.for_each;
  const Fact& list = collect_cached(*fe.fact.collector, fe.fact.params, host);
  auto single = [&](Verdict v, std::string reason) {
    CheckResult r;
    r.check = check;
    r.verdict = v;
    r.reason = std::move(reason);
    r.evidence.push_back(FactEvidence{fe.fact.name, list.source, list.state,
                                      list.state == FactState::kOk ? "[]" : list.reason});
    return std::vector<CheckResult>{std::move(r)};
  };
  std::string what = fe.fact.name + " (" + list.source + "): " + list.reason;
  switch (list.state) {
    case FactState::kError:
      return single(Verdict::kError, what);
    case FactState::kUnavailable:
      return single(Verdict::kWarn, "cannot decide: " + what);
    case FactState::kMissing:
      return single(Verdict::kInfo, "not applicable: " + what);
    case FactState::kOk:
      break;
  }
  if (!list.value.is_array()) {
    return single(Verdict::kError, fe.fact.name + " (" + list.source +
                                       "): for_each needs a list, got " +
                                       cut(list.value.dump(), 80));
  }
  if (list.value.empty()) {
    return single(Verdict::kInfo,
                  fe.if_empty.empty() ? "no subjects (" + list.source + ")" : fe.if_empty);
  }
  std::vector<CheckResult> out;
  out.reserve(list.value.size());
  for (size_t i = 0; i < list.value.size(); ++i) {
    const json& element = list.value[i];
    std::string label;
    const json* name = fe.subject.empty() ? nullptr : at_path(element, fe.subject);
    label = name && !name->is_null() ? cut(scalar_text(*name), 200) : "#" + std::to_string(i + 1);
    Fact subject = Fact::ok(element, list.source);
    subject.incomplete = list.incomplete;
    out.push_back(evaluate(check, host, &subject, label));
  }
  return out;
}

std::vector<CheckResult> run_checks(const std::vector<Check>& checks, Host& host) {
  // Slow remote facts (concurrent collectors: the engine API) are fetched in parallel first:
  // the preconditions' facts, then the facts of every check a precondition does not rule out.
  std::vector<std::pair<const Collector*, json>> remote;
  for (const auto& c : checks) {
    if (!c.precondition) continue;
    std::vector<std::string> names;
    expr_facts(*c.precondition, names);
    for (const auto& f : c.facts) {
      if (std::find(names.begin(), names.end(), f.name) != names.end())
        remote.emplace_back(f.collector, f.params);
    }
  }
  prefetch(remote, host);
  remote.clear();
  for (const auto& c : checks) {
    if (ruled_out(c, host)) continue;
    for (const auto& f : c.facts) remote.emplace_back(f.collector, f.params);
    if (c.for_each) remote.emplace_back(c.for_each->fact.collector, c.for_each->fact.params);
  }
  prefetch(remote, host);
  std::vector<CheckResult> out;
  out.reserve(checks.size());
  for (const auto& c : checks) {
    auto rs = run_check_subjects(c, host);
    for (auto& r : rs) out.push_back(std::move(r));
  }
  return out;
}

std::vector<SectionSummary> BenchReport::sections() const {
  std::vector<SectionSummary> out;
  for (const auto& r : results) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const SectionSummary& s) { return s.section == r.check.section; });
    if (it == out.end()) {
      out.push_back(SectionSummary{r.check.section});
      it = out.end() - 1;
    }
    count(*it, r.verdict);
  }
  return out;
}

SectionSummary BenchReport::totals() const {
  SectionSummary s{"total"};
  for (const auto& r : results) count(s, r.verdict);
  return s;
}

int BenchReport::scored_passed() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const CheckResult& r) {
    return r.check.scored && r.verdict == Verdict::kPass;
  }));
}

int BenchReport::scored_failed() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const CheckResult& r) {
    return r.check.scored && r.verdict == Verdict::kFail;
  }));
}

double BenchReport::score() const {
  int p = scored_passed(), f = scored_failed();
  if (p + f == 0) return -1;
  return 100.0 * p / (p + f);
}

}  // namespace hivesec::policy
