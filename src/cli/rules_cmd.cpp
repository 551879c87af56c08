// `hivesec rules validate FILE...`: loads Falco-format runtime rule files the way the agent
// does (in order, later files overriding earlier ones) and prints, per file, how many lists,
// macros and rules it holds, then every error and warning as file:line. Exit 0 when there is
// no error, 1 when there is one, 2 on usage errors.
// `hivesec rules fields`: the supported field table as Markdown (docs/commands/rules.md).
// `hivesec rules replay EVENTS.jsonl [-r FILE]...`: replays a recording (runtime/event_json.h)
// through the built-in rules (or the given files) and prints one Falco JSON alert per match;
// exit 0, or 2 on a load error or a malformed record.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "runtime/replay_source.h"
#include "runtime/rules/fields.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::cli {

namespace rr = hivesec::runtime::rules;

namespace {

int run_validate(const std::vector<std::string>& files, bool with_defaults, bool strict) {
  size_t first_user = with_defaults ? rr::default_rule_sources().size() : 0;
  rr::LoadResult r = rr::load_rule_files(files, with_defaults);
  int errors = 0, warnings = 0;
  for (size_t i = 0; i < r.files.size(); ++i) {
    const auto& f = r.files[i];
    bool user = i >= first_user;
    if (!user && f.errors == 0 && f.warnings == 0) continue;
    std::printf("%s: %d lists, %d macros, %d rules\n", f.file.c_str(), f.lists, f.macros, f.rules);
    std::vector<const rr::Diagnostic*> diags;
    for (const auto& d : r.diagnostics) {
      if (d.file == f.file) diags.push_back(&d);
    }
    std::stable_sort(diags.begin(), diags.end(),
                     [](const auto* a, const auto* b) { return a->line < b->line; });
    for (const auto* d : diags) std::printf("  %s\n", d->to_string().c_str());
    errors += f.errors;
    warnings += f.warnings;
  }
  std::printf("%zu rules compiled; %d errors, %d warnings\n", r.ruleset->rules().size(), errors,
              warnings);
  if (errors > 0 || (strict && warnings > 0)) return 1;
  return 0;
}

int run_replay(const std::string& events, const std::vector<std::string>& rule_files,
               const std::string& hostname) {
  rr::LoadResult r = rule_files.empty() ? rr::load_rules(rr::default_rule_sources())
                                        : rr::load_rule_files(rule_files);
  for (const auto& d : r.diagnostics) {
    if (d.severity == rr::Diagnostic::Severity::kError)
      std::fprintf(stderr, "%s\n", d.to_string().c_str());
  }
  if (r.has_errors()) return 2;
  auto src = runtime::ReplayEventSource::open(events);
  if (!src.ok()) return report_error(src.error());
  runtime::Event ev;
  while (true) {
    auto st = (*src)->next(ev, 0);
    if (!st.ok()) return report_error(st.error());
    if (*st != runtime::NextStatus::kEvent) break;
    r.ruleset->evaluate(ev, [&](const rr::Rule&, const rr::Alert& a) {
      std::puts(rr::alert_json_line(a, hostname).c_str());
    });
  }
  return 0;
}

int run_fields() {
  std::puts("| field | type | argument | description |");
  std::puts("| --- | --- | --- | --- |");
  for (const auto& f : rr::field_table()) {
    const char* arg = "";
    switch (f.arg_kind) {
      case rr::ArgKind::kNone:
        arg = "";
        break;
      case rr::ArgKind::kIndex:
        arg = "`[N]` optional";
        break;
      case rr::ArgKind::kKey:
        arg = "`[KEY]`";
        break;
      case rr::ArgKind::kEvtArg:
        arg = "`.NAME` or `[N]`";
        break;
    }
    std::string desc(f.description);
    for (auto& c : desc) {
      if (c == '|') c = '/';
    }
    std::printf("| `%.*s`%s | %.*s | %s | %s |\n", static_cast<int>(f.name.size()), f.name.data(),
                f.hivesec_extension ? " (hivesec)" : "",
                static_cast<int>(rr::field_type_name(f.type).size()),
                rr::field_type_name(f.type).data(), arg, desc.c_str());
  }
  return 0;
}

}  // namespace

void register_rules_command(CLI::App& app, Action& action) {
  auto* rules = app.add_subcommand("rules", "Runtime (Falco-format) rule tools");
  rules->require_subcommand(1);
  struct Args {
    std::vector<std::string> files;
    bool with_defaults = false;
    bool strict = false;
  };
  auto args = std::make_shared<Args>();
  auto* validate = rules->add_subcommand(
      "validate", "Load rule files as the agent would and report errors with file:line");
  validate->add_option("files", args->files, "Rule files, loaded in order")->required();
  validate->add_flag("--with-defaults", args->with_defaults,
                     "Load the built-in runtime rules first (to validate overrides of them)");
  validate->add_flag("--strict", args->strict, "Exit 1 on warnings too");
  validate->callback([&action, args] {
    action = [args] { return run_validate(args->files, args->with_defaults, args->strict); };
  });
  struct ReplayArgs {
    std::string events;
    std::vector<std::string> rules;
    std::string hostname = "replay";
  };
  auto rargs = std::make_shared<ReplayArgs>();
  auto* replay = rules->add_subcommand(
      "replay", "Replay recorded events (JSON lines) through the rules; print JSON alerts");
  replay->add_option("events", rargs->events, "Recording (JSON lines; - for stdin)")->required();
  replay->add_option("-r,--rules", rargs->rules,
                     "Rule files to load instead of the built-in rules (in order)");
  replay->add_option("--hostname", rargs->hostname, "hostname field of the alerts");
  replay->callback([&action, rargs] {
    action = [rargs] { return run_replay(rargs->events, rargs->rules, rargs->hostname); };
  });
  auto* fields = rules->add_subcommand("fields", "Print the supported fields as a Markdown table");
  fields->callback([&action] { action = [] { return run_fields(); }; });
}

}  // namespace hivesec::cli
