// libFuzzer target for the runtime rule engine: the first input byte picks the stage and the
// rest is the input. 0: a condition (parsed, then compiled against the default lists and
// macros and evaluated on a sample event); 1: a whole rules file (loaded after the default
// rules, then every rule evaluated); 2: an output template; 3: an event JSON line replayed
// through the default rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/event_json.h"
#include "runtime/rules/compiler.h"
#include "runtime/rules/filter.h"
#include "runtime/rules/output.h"
#include "runtime/rules/parser.h"
#include "runtime/rules/ruleset.h"

namespace hr = hivesec::runtime;
namespace rr = hivesec::runtime::rules;

namespace {

const hr::Event& sample_event() {
  static const hr::Event ev = [] {
    hr::Event e;
    e.type = hr::EventType::kOpen;
    e.syscall = "openat";
    e.proc.name = "cat";
    e.proc.args = {"/etc/shadow"};
    e.ancestors = {{1, "bash", "/bin/bash", "bash"}};
    e.fd = hr::FdInfo{3, 'f', "/etc/shadow", "", "", 0, 0, 0, false};
    auto c = std::make_shared<hr::ContainerInfo>();
    c->id = std::string(64, 'a');
    c->image = "nginx:1";
    e.container = c;
    return e;
  }();
  return ev;
}

const std::vector<rr::RuleSource>& defaults() {
  static const std::vector<rr::RuleSource> kDefaults = rr::default_rule_sources();
  return kDefaults;
}

const rr::RuleSet& default_set() {
  static const rr::LoadResult kLoaded = rr::load_rules(defaults());
  return *kLoaded.ruleset;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)default_set();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto ast = rr::parse_condition(in);
      if (!ast.ok()) break;
      rr::CompileEnv env;
      static const std::vector<std::string> kShells = {"bash", "sh"};
      env.lists["shells"] = &kShells;
      std::unique_ptr<rr::Filter> f;
      rr::CompileError err;
      if (rr::compile_condition(**ast, env, f, err)) {
        rr::EvalContext ctx;
        ctx.type_id = rr::event_type_id(sample_event().syscall);
        (void)f->matches(sample_event(), ctx);
      }
      break;
    }
    case 1: {
      std::vector<rr::RuleSource> sources = defaults();
      sources.push_back(rr::RuleSource{"fuzz.yaml", std::string(in)});
      rr::LoadResult r = rr::load_rules(sources);
      r.ruleset->evaluate(sample_event(), [](const rr::Rule&, const rr::Alert& a) {
        (void)rr::alert_json_line(a, "fuzz");
      });
      for (const auto& d : r.diagnostics) (void)d.to_string();
      break;
    }
    case 2: {
      auto f = rr::OutputFormat::compile(in);
      if (f.ok()) {
        rr::FieldScratch s;
        std::string out;
        f->format(sample_event(), s, out);
      }
      break;
    }
    default: {
      hr::Event ev;
      if (hr::event_from_json(in, ev).ok()) {
        default_set().evaluate(
            ev, [](const rr::Rule&, const rr::Alert& a) { (void)rr::alert_json_line(a, "fuzz"); });
        (void)hr::event_to_json(ev);
      }
      break;
    }
  }
  return 0;
}
