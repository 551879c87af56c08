#include "config/run_checks.h"

#include <algorithm>

namespace hivesec::config {

namespace {

using dockerfile::ShellCommand;

bool has_word(const ShellCommand& c, std::string_view w) {
  return std::find(c.words.begin(), c.words.end(), w) != c.words.end();
}
bool any_word_contains(const ShellCommand& c, std::string_view part) {
  return std::any_of(c.words.begin(), c.words.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}
std::string_view name(const ShellCommand& c) {
  std::string_view n = c.words.front();
  if (auto slash = n.rfind('/'); slash != std::string_view::npos) n.remove_prefix(slash + 1);
  return n;
}
bool is_one_of(std::string_view n, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), n) != list.end();
}

// The first word after the command name that is not an option: the subcommand.
std::string_view subcommand(const ShellCommand& c) {
  for (size_t i = 1; i < c.words.size(); ++i) {
    if (!c.words[i].starts_with("-")) return c.words[i];
  }
  return {};
}

bool is_apt(const ShellCommand& c) { return is_one_of(name(c), {"apt-get", "apt", "aptitude"}); }
bool is_apt_install(const ShellCommand& c) { return is_apt(c) && subcommand(c) == "install"; }
bool is_apk_add(const ShellCommand& c) { return name(c) == "apk" && subcommand(c) == "add"; }
bool is_rpm_install(const ShellCommand& c) {
  return is_one_of(name(c), {"yum", "dnf", "microdnf", "tdnf", "zypper"}) &&
         is_one_of(subcommand(c), {"install", "in", "groupinstall"});
}
bool is_pip_install(const ShellCommand& c) {
  if (is_one_of(name(c), {"pip", "pip3"})) return subcommand(c) == "install";
  // python -m pip install
  return name(c).starts_with("python") && has_word(c, "pip") && has_word(c, "install");
}
bool is_install(const ShellCommand& c) {
  return is_apt_install(c) || is_apk_add(c) || is_rpm_install(c);
}

bool removes(const RunCommand& r, std::string_view path_part) {
  return std::any_of(r.commands.begin(), r.commands.end(), [&](const ShellCommand& c) {
    return name(c) == "rm" && any_word_contains(c, path_part);
  });
}
bool runs(const RunCommand& r, std::string_view cmd, std::string_view sub) {
  return std::any_of(r.commands.begin(), r.commands.end(), [&](const ShellCommand& c) {
    return name(c) == cmd && subcommand(c) == sub;
  });
}

template <typename Pred>
const ShellCommand* find_cmd(const RunCommand& r, Pred p) {
  for (const auto& c : r.commands) {
    if (p(c)) return &c;
  }
  return nullptr;
}

std::optional<std::string> setid_chmod(const RunCommand& r) {
  for (const auto& c : r.commands) {
    if (name(c) != "chmod") continue;
    std::string_view mode = subcommand(c);
    if (mode_sets_id(mode)) return "chmod " + std::string(mode);
  }
  return std::nullopt;
}

std::optional<std::string> cache_left(const RunCommand& r) {
  if (r.cache_mount) return std::nullopt;
  for (const auto& c : r.commands) {
    if (is_apt_install(c) && !removes(r, "/var/lib/apt/lists")) {
      return std::string(name(c)) + " install without rm -rf /var/lib/apt/lists/* in the same RUN";
    }
    if (is_apk_add(c) && !has_word(c, "--no-cache") && !removes(r, "/var/cache/apk")) {
      return std::string("apk add without --no-cache");
    }
    if (is_rpm_install(c) && !runs(r, std::string(name(c)), "clean") &&
        !removes(r, "/var/cache/")) {
      return std::string(name(c)) + " install without " + std::string(name(c)) +
             " clean all in the same RUN";
    }
    if (is_pip_install(c) && !has_word(c, "--no-cache-dir") && !removes(r, ".cache/pip")) {
      return std::string("pip install without --no-cache-dir");
    }
  }
  return std::nullopt;
}

std::optional<std::string> sudo_installed(const RunCommand& r) {
  const ShellCommand* c = find_cmd(r, [](const ShellCommand& c) { return is_install(c) && has_word(c, "sudo"); });
  if (!c) return std::nullopt;
  return std::string(name(*c)) + " " + std::string(subcommand(*c)) + " sudo";
}

std::optional<std::string> install_recommends(const RunCommand& r) {
  const ShellCommand* c = find_cmd(r, [](const ShellCommand& c) {
    return is_apt_install(c) && !has_word(c, "--no-install-recommends") &&
           !any_word_contains(c, "Install-Recommends=false") &&
           !any_word_contains(c, "Install-Recommends=0");
  });
  if (!c) return std::nullopt;
  return std::string(name(*c)) + " install without --no-install-recommends";
}

std::optional<std::string> upgrade(const RunCommand& r) {
  const ShellCommand* c = find_cmd(r, [](const ShellCommand& c) {
    std::string_view sub = subcommand(c);
    if (is_apt(c)) return is_one_of(sub, {"upgrade", "dist-upgrade", "full-upgrade"});
    if (name(c) == "apk") return sub == "upgrade";
    if (is_one_of(name(c), {"yum", "dnf", "microdnf"})) {
      return is_one_of(sub, {"upgrade", "update", "distro-sync"});
    }
    return false;
  });
  if (!c) return std::nullopt;
  return std::string(name(*c)) + " " + std::string(subcommand(*c));
}

std::optional<std::string> update_alone(const RunCommand& r) {
  bool any_update = false;
  for (const auto& c : r.commands) {
    bool update = (is_apt(c) && subcommand(c) == "update") ||
                  (name(c) == "apk" && subcommand(c) == "update") ||
                  (is_one_of(name(c), {"yum", "dnf"}) && subcommand(c) == "makecache");
    bool neutral = is_one_of(name(c), {"set", "true", ":", "echo"});
    if (!update && !neutral) return std::nullopt;
    any_update = any_update || update;
  }
  if (!any_update) return std::nullopt;
  return std::string("package index update without an install in the same RUN");
}

std::optional<std::string> pipe_to_shell(const RunCommand& r) {
  auto is_interpreter = [](std::string_view n) {
    return is_one_of(n, {"sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl", "ruby"});
  };
  for (size_t i = 0; i < r.commands.size(); ++i) {
    const ShellCommand& c = r.commands[i];
    bool fetch = is_one_of(name(c), {"curl", "wget"});
    if (fetch && c.piped && i + 1 < r.commands.size() && is_interpreter(name(r.commands[i + 1]))) {
      return std::string(name(c)) + " ... | " + std::string(name(r.commands[i + 1]));
    }
    if (is_interpreter(name(c)) &&
        (any_word_contains(c, "$(curl") || any_word_contains(c, "$(wget") ||
         any_word_contains(c, "`curl") || any_word_contains(c, "`wget"))) {
      return std::string(name(c)) + " -c \"$(curl ...)\"";
    }
  }
  return std::nullopt;
}

std::optional<std::string> world_writable_chmod(const RunCommand& r) {
  for (const auto& c : r.commands) {
    if (name(c) != "chmod") continue;
    std::string_view mode = subcommand(c);
    if (mode_world_writable(mode)) return "chmod " + std::string(mode);
  }
  return std::nullopt;
}

// Octal modes: "777", "0755", "4755"; nullopt for symbolic ones.
std::optional<unsigned> octal(std::string_view m) {
  if (m.empty() || m.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char ch : m) {
    if (ch < '0' || ch > '7') return std::nullopt;
    v = v * 8 + static_cast<unsigned>(ch - '0');
  }
  return v;
}

// Symbolic clauses "ugoa[+-=]perms", comma-separated: does any add `perm` for the classes in
// `who_any` (empty `who_any`: any class)?
bool symbolic_adds(std::string_view mode, char perm, std::string_view who_any) {
  size_t start = 0;
  while (start <= mode.size()) {
    size_t comma = mode.find(',', start);
    std::string_view clause = mode.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    size_t op = clause.find_first_of("+=");
    if (op != std::string_view::npos && clause.substr(op + 1).find(perm) != std::string_view::npos) {
      std::string_view who = clause.substr(0, op);
      if (who_any.empty()) return true;
      if (who.find_first_of(who_any) != std::string_view::npos) return true;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

bool mode_sets_id(std::string_view mode) {
  if (auto v = octal(mode)) return (*v & 06000) != 0;
  return symbolic_adds(mode, 's', "");
}

bool mode_world_writable(std::string_view mode) {
  if (auto v = octal(mode)) return (*v & 02) != 0 && (*v & 01000) == 0;  // sticky dirs are fine
  return symbolic_adds(mode, 'w', "oa") && !symbolic_adds(mode, 't', "");
}

RunCommand make_run_command(std::string_view script, bool cache_mount) {
  return RunCommand{dockerfile::split_commands(script), cache_mount};
}

const std::map<std::string_view, RunPredicate>& run_predicates() {
  static const std::map<std::string_view, RunPredicate> kPredicates = {
      {"HS-IMG-008", setid_chmod},       {"HS-IMG-010", cache_left},
      {"HS-IMG-011", sudo_installed},    {"HS-IMG-012", install_recommends},
      {"HS-IMG-013", upgrade},           {"HS-IMG-014", update_alone},
      {"HS-IMG-015", pipe_to_shell},     {"HS-IMG-016", world_writable_chmod},
  };
  return kPredicates;
}

}  // namespace hivesec::config
