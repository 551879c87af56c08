// RuleSet evaluation (type-indexed), alert construction and the Falco-compatible JSON line.
#include "runtime/rules/ruleset.h"

#include "common/time.h"

#include <time.h>

#include <nlohmann/json.hpp>

#include "runtime/rules/filter.h"
#include "runtime/rules/output.h"

namespace hivesec::runtime::rules {

namespace {
EvalContext& thread_context() {
  thread_local EvalContext ctx;
  return ctx;
}

std::string time_of_day(uint64_t ns) {
  time_t secs = static_cast<time_t>(ns / 1000000000ull);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  return fmt::format("{:02}:{:02}:{:02}.{:09}", tm.tm_hour, tm.tm_min, tm.tm_sec,
                     static_cast<unsigned>(ns % 1000000000ull));
}

void add_field(Alert& a, const std::string& name, const ResolvedField& f, const Event& ev,
               FieldScratch& s) {
  OutputField of;
  of.name = name;
  of.type = f.def->type;
  FieldValue v;
  int n = f.multi && f.def->count ? f.def->count(ev, f.arg) : 1;
  if (n >= 1 && extract_field(f, ev, 0, s, v)) {
    of.present = true;
    if (of.type == FieldType::kString || of.type == FieldType::kIp) {
      of.text = std::string(v.str);
    } else {
      of.num = v.num;
    }
  }
  a.fields.push_back(std::move(of));
}
}  // namespace

RuleSet::RuleSet() : by_type_(64) {}
RuleSet::~RuleSet() = default;

size_t RuleSet::evaluate_impl(const Event& ev, Thunk fn, void* ctx) const {
  EvalContext& ec = thread_context();
  ec.type_id = event_type_id(ev.syscall);
  size_t matches = 0;
  for (uint32_t idx : by_type_[static_cast<size_t>(ec.type_id)]) {
    const Rule& r = *rules_[idx];
    if (!r.filter().matches(ev, ec)) continue;
    ++matches;
    if (fn) {
      Alert a = make_alert(r, ev);
      fn(ctx, r, a);
    }
  }
  return matches;
}

size_t RuleSet::count_matches(const Event& ev) const { return evaluate_impl(ev, nullptr, nullptr); }

Alert RuleSet::make_alert(const Rule& rule, const Event& ev) const {
  FieldScratch& s = thread_context().scratch;
  Alert a;
  a.rule = &rule;
  a.time_ns = ev.ts_ns;
  rule.output_format().format(ev, s, a.output);
  for (const auto& f : rule.output_format().fields()) add_field(a, f.name, f.field, ev, s);
  for (std::string_view extra : {"container.id", "container.name", "container.image.repository"}) {
    bool have = false;
    for (const auto& f : a.fields) have = have || f.name == extra;
    if (have) continue;
    auto rf = resolve_field(extra, nullptr);
    if (rf.ok()) add_field(a, std::string(extra), *rf, ev, s);
  }
  return a;
}

const Rule* RuleSet::find(std::string_view name) const {
  for (const auto& r : rules_) {
    if (r->name == name) return r.get();
  }
  return nullptr;
}

size_t RuleSet::candidate_count(std::string_view syscall) const {
  return by_type_[static_cast<size_t>(event_type_id(syscall))].size();
}

std::string alert_json_line(const Alert& alert, std::string_view hostname) {
  nlohmann::json j;
  j["time"] = rfc3339_nanos(alert.time_ns);
  j["rule"] = alert.rule ? alert.rule->name : "";
  std::string prio(alert.rule ? priority_name(alert.rule->priority) : "Warning");
  j["priority"] = prio;
  j["output"] = fmt::format("{}: {} {}", time_of_day(alert.time_ns), prio, alert.output);
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& f : alert.fields) {
    if (!f.present) {
      fields[f.name] = nullptr;
    } else if (f.type == FieldType::kString || f.type == FieldType::kIp) {
      fields[f.name] = f.text;
    } else if (f.type == FieldType::kBool) {
      fields[f.name] = f.num != 0;
    } else {
      fields[f.name] = f.num;
    }
  }
  j["output_fields"] = std::move(fields);
  j["tags"] = alert.rule ? alert.rule->tags : std::vector<std::string>{};
  j["source"] = alert.rule ? alert.rule->source : "syscall";
  j["hostname"] = std::string(hostname);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hivesec::runtime::rules
