// `hivesec version compare SCHEME A B`: how a version scheme orders two versions (debugging aid
// for matching). Prints "<", "=" or ">"; exit 2 with the reason on an invalid version.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "versions/scheme.h"

namespace hivesec::cli {

void register_version_command(CLI::App& app, Action& action) {
  auto* version = app.add_subcommand("version", "Version scheme tools");
  version->require_subcommand(1);
  struct Args {
    std::string scheme, a, b;
  };
  auto args = std::make_shared<Args>();
  auto* cmp = version->add_subcommand("compare", "Compare two versions: prints <, = or >");
  cmp->add_option("scheme", args->scheme,
                  "dpkg rpm apk semver pep440 maven go gem nuget composer cargo")
      ->required();
  cmp->add_option("a", args->a, "First version")->required();
  cmp->add_option("b", args->b, "Second version")->required();
  cmp->callback([&action, args] {
    action = [args] {
      versions::SchemeRegistry reg;
      if (auto st = versions::register_builtin_schemes(reg); !st.ok()) {
        return report_error(st.error());
      }
      const versions::Scheme* s = reg.find(args->scheme);
      if (!s) {
        std::string known;
        for (const auto& n : reg.names()) known += (known.empty() ? "" : ", ") + n;
        return report_error(make_error(Errc::kInvalidArgument,
                                       "unknown version scheme '{}' (known: {})", args->scheme,
                                       known));
      }
      auto r = versions::compare_versions(*s, args->a, args->b);
      if (!r.ok()) return report_error(r.error());
      std::puts(*r < 0 ? "<" : *r > 0 ? ">" : "=");
      return 0;
    };
  });
}

}  // namespace hivesec::cli
