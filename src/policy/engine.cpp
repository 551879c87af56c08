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

CheckResult run_check(const Check& check, Host& host) {
  CheckResult r;
  r.check = check;
  if (check.type == CheckType::kManual) {
    r.verdict = Verdict::kWarn;
    r.reason = "manual check: review by hand (see remediation)";
    if (!check.test) return r;
  }
  if (check.type == CheckType::kInfo && !check.test) {  // guidance only
    r.verdict = Verdict::kInfo;
    r.reason = "not decided from this input: review by hand (see remediation)";
    return r;
  }
  Context ctx{check, {}};
  for (const auto& spec : check.facts) {
    const Fact& f = collect_cached(*spec.collector, spec.params, host);
    ctx.facts[spec.name] = &f;
    r.evidence.push_back(
        FactEvidence{spec.name, f.source, f.state,
                     f.state == FactState::kOk ? cut(f.value.dump(), 300) : f.reason});
    r.details.insert(r.details.end(), f.details.begin(), f.details.end());
  }
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
      r.reason = "not applicable: " + p->why;
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
  } else {
    r.verdict = check.type == CheckType::kInfo ? Verdict::kInfo : Verdict::kFail;
    // A fact that is missing altogether explains the failure better than each comparison.
    std::string missing;
    for (const auto& spec : check.facts) {
      const Fact& f = *ctx.facts[spec.name];
      if (f.state == FactState::kMissing)
        missing += (missing.empty() ? "" : "; ") + describe(spec, f);
    }
    if (!missing.empty()) r.reason = missing;
  }
  return r;
}

std::vector<CheckResult> run_checks(const std::vector<Check>& checks, Host& host) {
  std::vector<CheckResult> out;
  out.reserve(checks.size());
  for (const auto& c : checks) out.push_back(run_check(c, host));
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
