#include "config/dockerfile_checks.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/check_util.h"
#include "config/run_checks.h"

namespace hivesec::config {

namespace {

using dockerfile::Dockerfile;
using dockerfile::Instruction;
using model::Finding;

constexpr size_t kMaxMatch = 200;

Finding at(std::string_view id, const Catalogue& cat, const Instruction& ins, bool quote = true) {
  Finding f = cat.finding(id);
  f.evidence.line = ins.line;
  if (quote) {
    std::string text = ins.keyword + " " + ins.args;
    if (text.size() > kMaxMatch) text = text.substr(0, kMaxMatch) + "...";
    f.evidence.match = std::move(text);
  }
  return f;
}

// The final stage's instructions, preceded by those of the stages it is built FROM.
std::vector<const Instruction*> final_chain(const Dockerfile& df) {
  std::vector<int> stages;
  for (int s = df.final_stage().index; s >= 0 && stages.size() <= df.stages.size();
       s = df.stages[s].base_stage) {
    stages.push_back(s);
  }
  std::vector<const Instruction*> out;
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    for (size_t k : df.stages[*it].instructions) out.push_back(&df.instructions[k]);
  }
  return out;
}

const Instruction* last_of(const std::vector<const Instruction*>& chain, std::string_view kw) {
  const Instruction* found = nullptr;
  for (const Instruction* i : chain) {
    if (i->keyword == kw) found = i;
  }
  return found;
}

const Instruction& final_from(const Dockerfile& df) {
  return df.instructions[df.final_stage().instructions.front()];
}

void root_user(std::string_view id, const Catalogue& cat, const Dockerfile& df,
               std::vector<Finding>& out) {
  const Instruction* user = last_of(final_chain(df), "USER");
  if (!user) {
    Finding f = at(id, cat, final_from(df));
    f.title = "No USER in the final stage: the container runs as root (unless the base image sets a user)";
    out.push_back(std::move(f));
    return;
  }
  std::string u = user->words.empty() ? "" : user->words[0];
  std::string_view name = std::string_view(u).substr(0, u.find(':'));
  if (name != "root" && name != "0") return;
  Finding f = at(id, cat, *user);
  f.title = fmt::format("The final stage runs as root (USER {})", u);
  out.push_back(std::move(f));
}

void no_healthcheck(std::string_view id, const Catalogue& cat, const Dockerfile& df,
                    std::vector<Finding>& out) {
  const Instruction* hc = last_of(final_chain(df), "HEALTHCHECK");
  std::string kind = hc ? hc->rest.substr(0, 4) : "";
  for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (hc && kind != "NONE") return;
  Finding f = at(id, cat, hc ? *hc : final_from(df));
  f.title = hc ? "HEALTHCHECK NONE in the final stage" : "No HEALTHCHECK in the final stage";
  out.push_back(std::move(f));
}

std::vector<std::string> add_sources(const Instruction& ins) {
  std::vector<std::string> v = ins.exec_form ? ins.exec_args : ins.words;
  if (!v.empty()) v.pop_back();  // the destination
  return v;
}

void add_remote(std::string_view id, const Catalogue& cat, const Dockerfile& df,
                std::vector<Finding>& out) {
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "ADD" || !ins.heredocs.empty()) continue;
    for (const std::string& src : add_sources(ins)) {
      bool remote = remote_source(src);
      if (remote && !ins.flag("checksum").empty()) continue;  // verified download
      if (!remote && !archive_source(src)) continue;
      Finding f = at(id, cat, ins);
      f.title = fmt::format("ADD of {} {}", remote ? "a remote URL" : "an archive", src);
      out.push_back(std::move(f));
      break;
    }
  }
}

// Calls fn(stage's FROM instruction, parsed reference) for every stage built on an image.
template <typename Fn>
void for_each_base_image(const Dockerfile& df, Fn fn) {
  for (const auto& st : df.stages) {
    std::string lower = st.base;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (st.base_stage >= 0 || st.base.empty() || lower == "scratch") continue;
    fn(df.instructions[st.instructions.front()], st.base, parse_image_ref(st.base));
  }
}

void base_latest(std::string_view id, const Catalogue& cat, const Dockerfile& df,
                 std::vector<Finding>& out) {
  for_each_base_image(df, [&](const Instruction& from, const std::string& base, const ImageRef& ref) {
    if (!ref.digest.empty() || (!ref.tag.empty() && ref.tag != "latest")) return;
    Finding f = at(id, cat, from);
    f.title = fmt::format("Base image {} {}", base, ref.tag.empty() ? "has no tag" : "uses the latest tag");
    out.push_back(std::move(f));
  });
}

void base_digest(std::string_view id, const Catalogue& cat, const Dockerfile& df,
                 std::vector<Finding>& out) {
  for_each_base_image(df, [&](const Instruction& from, const std::string& base, const ImageRef& ref) {
    if (!ref.digest.empty() || ref.tag.empty() || ref.tag == "latest") return;  // HS-IMG-004's
    Finding f = at(id, cat, from);
    f.title = fmt::format("Base image {} not pinned by digest", base);
    out.push_back(std::move(f));
  });
}

void secrets(std::string_view id, const Catalogue& cat, const Dockerfile& df,
             std::vector<Finding>& out) {
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "ENV" && ins.keyword != "ARG") continue;
    // Unexpanded words: "$TOKEN" passed through is not a literal.
    auto raw = dockerfile::split_words(ins.rest, df.escape, nullptr);
    if (!raw.ok()) continue;
    std::vector<std::string> words = std::move(raw).value();
    if (ins.keyword == "ENV" && words.size() > 1 && words[0].find('=') == std::string::npos) {
      std::string v;
      for (size_t i = 1; i < words.size(); ++i) v += (i > 1 ? " " : "") + words[i];
      words = {words[0] + "=" + v};
    }
    for (const std::string& w : words) {
      size_t eq = w.find('=');
      if (eq == std::string::npos) continue;
      std::string name = w.substr(0, eq);
      std::string_view value = std::string_view(w).substr(eq + 1);
      if (!secret_like_name(name) || !secret_value(value)) continue;
      Finding f = at(id, cat, ins, false);
      f.title = fmt::format("Secret in {} {}", ins.keyword, name);
      f.evidence.match = name + "=" + mask_value(value);
      out.push_back(std::move(f));
    }
  }
}

void ssh_port(std::string_view id, const Catalogue& cat, const Dockerfile& df,
              std::vector<Finding>& out) {
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "EXPOSE") continue;
    for (const std::string& p : ins.words) {
      if (!exposes_ssh(p)) continue;
      Finding f = at(id, cat, ins);
      f.title = fmt::format("SSH port exposed (EXPOSE {})", p);
      out.push_back(std::move(f));
      break;
    }
  }
}

bool is_shell(std::string_view w) {
  if (auto s = w.rfind('/'); s != std::string_view::npos) w.remove_prefix(s + 1);
  return w == "sh" || w == "bash" || w == "ash" || w == "dash" || w == "zsh";
}

// What a RUN instruction executes, as one shell script.
std::string run_script(const Instruction& ins) {
  if (ins.exec_form) {
    const auto& a = ins.exec_args;
    if (a.size() >= 3 && is_shell(a[0]) && a[1] == "-c") return a[2];
    std::string s;
    for (const auto& w : a) s += (s.empty() ? "" : " ") + w;
    return s;
  }
  // "RUN <<EOF" and "RUN bash <<EOF": the heredoc is the script.
  std::string_view first = std::string_view(ins.rest).substr(0, ins.rest.find(' '));
  if (ins.heredocs.empty() || (!first.starts_with("<<") && !is_shell(first))) return ins.rest;
  std::string s;
  for (const auto& h : ins.heredocs) s += h.body + "\n";
  return s;
}

void run_check(std::string_view id, const Catalogue& cat, const Dockerfile& df,
               std::vector<Finding>& out) {
  RunPredicate pred = run_predicates().at(id);
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "RUN") continue;
    bool cache_mount = false;
    for (const auto& fl : ins.flags) cache_mount = cache_mount || (fl.starts_with("--mount=") && fl.find("type=cache") != std::string::npos);
    auto hit = pred(make_run_command(run_script(ins), cache_mount));
    if (!hit) continue;
    Finding f = at(id, cat, ins);
    f.title = fmt::format("{}: {}", f.title, *hit);
    out.push_back(std::move(f));
  }
}

// RUN chmod, and COPY/ADD --chmod with a mode `bad` accepts.
template <bool (*Bad)(std::string_view)>
void chmod_check(std::string_view id, const Catalogue& cat, const Dockerfile& df,
                 std::vector<Finding>& out) {
  run_check(id, cat, df, out);
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
    std::string mode = ins.flag("chmod");
    if (mode.empty() || !Bad(mode)) continue;
    Finding f = at(id, cat, ins);
    f.title = fmt::format("{}: {} --chmod={}", f.title, ins.keyword, mode);
    out.push_back(std::move(f));
  }
}

}  // namespace

const std::map<std::string_view, DockerfileCheck>& dockerfile_checks() {
  static const std::map<std::string_view, DockerfileCheck> kChecks = {
      {"HS-IMG-001", root_user},
      {"HS-IMG-002", no_healthcheck},
      {"HS-IMG-003", add_remote},
      {"HS-IMG-004", base_latest},
      {"HS-IMG-005", base_digest},
      {"HS-IMG-006", secrets},
      {"HS-IMG-007", ssh_port},
      {"HS-IMG-008", chmod_check<mode_sets_id>},
      {"HS-IMG-010", run_check},
      {"HS-IMG-011", run_check},
      {"HS-IMG-012", run_check},
      {"HS-IMG-013", run_check},
      {"HS-IMG-014", run_check},
      {"HS-IMG-015", run_check},
      {"HS-IMG-016", chmod_check<mode_world_writable>},
  };
  return kChecks;
}

}  // namespace hivesec::config
