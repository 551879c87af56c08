#include "config/history.h"

#include <array>
#include <cctype>
#include <charconv>

namespace hivesec::config {

namespace {

constexpr std::array<std::string_view, 18> kKeywords = {
    "ADD",  "ARG",     "CMD",   "COPY", "ENTRYPOINT", "ENV",   "EXPOSE",     "FROM",  "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool strip_prefix(std::string_view& s, std::string_view p) {
  if (!s.starts_with(p)) return false;
  s = trim(s.substr(p.size()));
  return true;
}

// "|2 A=1 B=2 rest" -> build args and "rest".
void strip_build_args(std::string_view& s, HistoryStep& step) {
  if (!s.starts_with("|")) return;
  size_t sp = s.find(' ');
  int n = 0;
  auto r = std::from_chars(s.data() + 1, s.data() + (sp == std::string_view::npos ? s.size() : sp), n);
  if (r.ec != std::errc() || sp == std::string_view::npos || n < 0 || n > 1000) return;
  s = trim(s.substr(sp));
  for (int i = 0; i < n && !s.empty(); ++i) {
    size_t end = s.find(' ');
    std::string_view kv = s.substr(0, end);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) {
      step.build_args.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    s = end == std::string_view::npos ? std::string_view{} : trim(s.substr(end));
  }
}

void strip_shell(std::string_view& s) {
  for (std::string_view sh : {"/bin/sh -c", "/bin/bash -c", "/bin/ash -c", "sh -c"}) {
    if (strip_prefix(s, sh)) return;
  }
}

}  // namespace

std::vector<HistoryStep> history_steps(const image::ImageMeta& meta) {
  std::vector<HistoryStep> out;
  size_t layer = 0;
  for (size_t i = 0; i < meta.history.size(); ++i) {
    const auto& h = meta.history[i];
    HistoryStep step;
    step.index = i;
    step.created_by = h.created_by;
    if (!h.empty_layer && layer < meta.layers.size()) step.layer = meta.layers[layer++].diff_id;
    std::string_view s = trim(h.created_by);
    if (s.ends_with("# buildkit")) s = trim(s.substr(0, s.size() - 10));
    strip_build_args(s, step);
    if (strip_prefix(s, "/bin/sh -c #(nop)")) {
      // Metadata step of the classic builder: an instruction follows.
    } else if (s.starts_with("/bin/sh -c") || s.starts_with("/bin/bash -c")) {
      strip_shell(s);
      step.keyword = "RUN";
      step.args = std::string(s);
      out.push_back(std::move(step));
      continue;
    }
    size_t sp = 0;
    while (sp < s.size() && !std::isspace(static_cast<unsigned char>(s[sp]))) ++sp;
    std::string kw(s.substr(0, sp));
    for (char& c : kw) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool known = false;
    for (auto k : kKeywords) known = known || k == kw;
    if (known) {
      step.keyword = kw;
      s = trim(s.substr(sp));
      if (kw == "RUN") {
        strip_build_args(s, step);
        strip_shell(s);
      }
      step.args = std::string(s);
    }
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace hivesec::config
