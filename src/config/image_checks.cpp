#include "config/image_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "config/check_util.h"
#include "config/history.h"
#include "config/run_checks.h"

namespace hivesec::config {

namespace {

using model::Finding;
using model::ScanResult;

constexpr size_t kMaxMatch = 200;

std::string clip(std::string_view s) {
  if (s.size() <= kMaxMatch) return std::string(s);
  return std::string(s.substr(0, kMaxMatch)) + "...";
}

Finding from_step(std::string_view id, const Catalogue& cat, const HistoryStep& step) {
  Finding f = cat.finding(id);
  f.evidence.layer = step.layer;
  // The step as an instruction, without the "|N K=V" build arguments (they may be secrets).
  f.evidence.match = clip(step.keyword.empty() ? step.created_by : step.keyword + " " + step.args);
  f.evidence.extra["history"] = std::to_string(step.index);
  return f;
}

void root_user(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  const std::string& u = r.image->config.user;
  std::string_view user = std::string_view(u).substr(0, u.find(':'));
  if (!user.empty() && user != "root" && user != "0") return;
  Finding f = cat.finding(id);
  f.title = u.empty() ? "Image runs as root: no USER in its config"
                      : fmt::format("Image runs as root (USER {})", u);
  f.evidence.match = u;
  f.evidence.extra["config"] = "User";
  out.push_back(std::move(f));
}

void no_healthcheck(std::string_view id, const Catalogue& cat, ScanResult& r,
                    std::vector<Finding>& out) {
  if (!r.image || !r.image->config.healthcheck.empty()) return;
  Finding f = cat.finding(id);
  f.evidence.extra["config"] = "Healthcheck";
  out.push_back(std::move(f));
}

void add_remote(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  for (const HistoryStep& step : history_steps(*r.image)) {
    if (step.keyword != "ADD") continue;
    std::vector<std::string_view> words;
    std::string_view s = step.args;
    while (!s.empty()) {
      size_t sp = s.find(' ');
      std::string_view w = s.substr(0, sp);
      if (!w.empty() && !w.starts_with("--")) words.push_back(w);
      s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
    }
    // Classic builder: "file:<hash> in <dest>"; BuildKit: "<src>... <dest>".
    auto in = std::find(words.begin(), words.end(), "in");
    auto srcs_end = in != words.end() ? in : (words.empty() ? words.end() : words.end() - 1);
    for (auto it = words.begin(); it != srcs_end; ++it) {
      if (!remote_source(*it) && !archive_source(*it)) continue;
      Finding f = from_step(id, cat, step);
      f.title = fmt::format("ADD of {} {}", remote_source(*it) ? "a remote URL" : "an archive", *it);
      out.push_back(std::move(f));
      break;
    }
  }
}

void base_latest(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  const auto& labels = r.image->config.labels;
  auto it = labels.find("org.opencontainers.image.base.name");
  if (it == labels.end() || it->second.empty()) return;
  ImageRef ref = parse_image_ref(it->second);
  if (!ref.digest.empty() || (!ref.tag.empty() && ref.tag != "latest")) return;
  if (labels.count("org.opencontainers.image.base.digest")) return;  // pinned after all
  Finding f = cat.finding(id);
  f.title = fmt::format("Base image {} {}", it->second, ref.tag.empty() ? "has no tag" : "uses the latest tag");
  f.evidence.match = it->second;
  f.evidence.extra["label"] = "org.opencontainers.image.base.name";
  out.push_back(std::move(f));
}

void secrets(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  auto report = [&](std::string_view kind, const std::string& name, std::string_view value) {
    Finding f = cat.finding(id);
    f.title = fmt::format("Secret in {} {}", kind, name);
    f.evidence.match = name + "=" + mask_value(value);
    return f;
  };
  for (const std::string& e : r.image->config.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos) continue;
    std::string name = e.substr(0, eq);
    std::string_view value = std::string_view(e).substr(eq + 1);
    if (!secret_like_name(name) || !secret_value(value)) continue;
    Finding f = report("ENV", name, value);
    f.evidence.extra["config"] = "Env";
    out.push_back(std::move(f));
  }
  std::set<std::string> seen;
  for (const HistoryStep& step : history_steps(*r.image)) {
    std::vector<std::pair<std::string, std::string>> args = step.build_args;
    if (step.keyword == "ARG") {
      size_t eq = step.args.find('=');
      if (eq != std::string::npos) args.emplace_back(step.args.substr(0, eq), step.args.substr(eq + 1));
    }
    for (const auto& [name, value] : args) {
      if (!secret_like_name(name) || !secret_value(value) || !seen.insert(name).second) continue;
      Finding f = report("ARG", name, value);
      f.evidence.layer = step.layer;
      f.evidence.extra["history"] = std::to_string(step.index);
      out.push_back(std::move(f));
    }
  }
}

void ssh_port(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  for (const std::string& p : r.image->config.exposed_ports) {
    if (!exposes_ssh(p)) continue;
    Finding f = cat.finding(id);
    f.title = fmt::format("SSH port exposed ({})", p);
    f.evidence.match = p;
    f.evidence.extra["config"] = "ExposedPorts";
    out.push_back(std::move(f));
    return;
  }
}

// Removes the per-file findings of `id` from r.findings and returns them.
std::vector<Finding> take_per_file(std::string_view id, ScanResult& r) {
  std::vector<Finding> taken, kept;
  for (Finding& f : r.findings) {
    bool per_file = f.rule_id == id && f.evidence.extra.count("per-file");
    (per_file ? taken : kept).push_back(std::move(f));
  }
  r.findings = std::move(kept);
  for (Finding& f : taken) f.evidence.extra.erase("per-file");
  return taken;
}

bool in_system_dir(std::string_view p) {
  for (std::string_view d : {"bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/lib/", "usr/libexec/",
                             "usr/lib64/", "lib/", "lib64/"}) {
    if (p.starts_with(d)) return true;
  }
  return false;
}

// Set-id files from OS packages: one low finding per layer listing them; others (no package owns
// them, or outside system directories when the image has no package file lists): one medium
// finding each.
void setid_files(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  std::vector<Finding> files = take_per_file(id, r);
  if (files.empty()) return;
  std::unordered_set<std::string> owned;
  for (const auto& p : r.packages) {
    if (!model::is_os_package_type(p.type)) continue;
    owned.insert(p.files.begin(), p.files.end());
  }
  std::map<std::string, std::vector<std::string>> expected;  // layer -> paths
  for (Finding& f : files) {
    // Merged-/usr distributions (Debian 12) list "/bin/su" for what the image has at
    // usr/bin/su: bin, sbin and lib are symbolic links into usr.
    const std::string& p = f.evidence.path;
    bool ok = owned.empty() ? in_system_dir(p)
                            : owned.count(p) > 0 || (p.starts_with("usr/") && owned.count(p.substr(4)) > 0);
    if (ok) {
      expected[f.evidence.layer].push_back(f.evidence.path);
      continue;
    }
    f.severity = model::Severity::kMedium;
    f.title += owned.empty() ? " outside the system directories" : " not owned by any package";
    out.push_back(std::move(f));
  }
  for (auto& [layer, paths] : expected) {
    std::sort(paths.begin(), paths.end());
    Finding f = cat.finding(id);
    std::string names;
    for (size_t i = 0; i < paths.size() && i < 5; ++i) {
      names += (i ? ", " : "") + paths[i].substr(paths[i].rfind('/') + 1);
    }
    f.title = fmt::format("{} setuid/setgid file{} from OS packages ({}{})", paths.size(),
                          paths.size() == 1 ? "" : "s", names, paths.size() > 5 ? ", ..." : "");
    f.evidence.path = paths.front();
    f.evidence.layer = layer;
    f.evidence.extra["count"] = std::to_string(paths.size());
    std::string all;
    for (const auto& p : paths) all += (all.empty() ? "" : ",") + p;
    f.evidence.extra["paths"] = all;
    out.push_back(std::move(f));
  }
}

// Per-file cache findings -> one per (cache directory, layer) with the file count and bytes.
void package_caches(std::string_view id, const Catalogue& cat, ScanResult& r,
                    std::vector<Finding>& out) {
  struct Total {
    int64_t bytes = 0;
    size_t files = 0;
  };
  std::map<std::pair<std::string, std::string>, Total> totals;
  for (const Finding& f : take_per_file(id, r)) {
    auto c = f.evidence.extra.find("cache");
    auto s = f.evidence.extra.find("size");
    if (c == f.evidence.extra.end()) continue;
    Total& t = totals[{c->second, f.evidence.layer}];
    t.files += 1;
    if (s != f.evidence.extra.end()) t.bytes += std::strtoll(s->second.c_str(), nullptr, 10);
  }
  for (const auto& [key, t] : totals) {
    Finding f = cat.finding(id);
    f.title = fmt::format("Package manager cache left in {} ({} file{}, {} bytes)", key.first,
                          t.files, t.files == 1 ? "" : "s", t.bytes);
    f.evidence.path = key.first;
    f.evidence.layer = key.second;
    f.evidence.extra["files"] = std::to_string(t.files);
    f.evidence.extra["bytes"] = std::to_string(t.bytes);
    out.push_back(std::move(f));
  }
}

void sudo_package(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  for (const auto& p : r.packages) {
    if (p.name != "sudo" || !model::is_os_package_type(p.type)) continue;
    Finding f = cat.finding(id);
    f.title = fmt::format("sudo installed ({} {})", p.name, p.version);
    f.evidence.package = p.purl;
    f.evidence.path = p.location;
    f.evidence.layer = p.layer;
    out.push_back(std::move(f));
  }
}

// The checks that are a property of one RUN step, applied to the image history.
void history_run(std::string_view id, const Catalogue& cat, ScanResult& r, std::vector<Finding>& out) {
  if (!r.image) return;
  RunPredicate pred = run_predicates().at(id);
  for (const HistoryStep& step : history_steps(*r.image)) {
    if (step.keyword != "RUN") continue;
    auto hit = pred(make_run_command(step.args));
    if (!hit) continue;
    Finding f = from_step(id, cat, step);
    f.title = fmt::format("{}: {}", f.title, *hit);
    out.push_back(std::move(f));
  }
}

}  // namespace

const std::map<std::string_view, ImageCheck>& image_checks() {
  static const std::map<std::string_view, ImageCheck> kChecks = {
      {"HS-IMG-001", root_user},     {"HS-IMG-002", no_healthcheck}, {"HS-IMG-003", add_remote},
      {"HS-IMG-004", base_latest},   {"HS-IMG-006", secrets},        {"HS-IMG-007", ssh_port},
      {"HS-IMG-008", setid_files},   {"HS-IMG-010", package_caches}, {"HS-IMG-011", sudo_package},
      {"HS-IMG-012", history_run},   {"HS-IMG-013", history_run},    {"HS-IMG-014", history_run},
      {"HS-IMG-015", history_run},   {"HS-IMG-016", history_run},
  };
  return kChecks;
}

}  // namespace hivesec::config
