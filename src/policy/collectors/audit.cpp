// `audit_rules`: the audit rules in force, as normalized lines ("-w /etc/passwd -p wa -k id").
// Live and as root, from `auditctl -l` when the tool exists and answers; otherwise the rules
// files (etc/audit/rules.d/*.rules, etc/audit/audit.rules). kMissing when the target has no
// etc/audit (auditd not installed).
#include <sys/stat.h>

#include <cstdio>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

std::string squeeze(const std::string& l) {
  std::string out;
  for (char c : trim(l)) {
    if ((c == ' ' || c == '\t') && (out.empty() || out.back() == ' ')) continue;
    out += c == '\t' ? ' ' : c;
  }
  return out;
}

std::optional<std::vector<std::string>> run_auditctl() {
  const char* tool = nullptr;
  struct stat st {};
  for (const char* t : {"/usr/sbin/auditctl", "/sbin/auditctl"}) {
    if (::stat(t, &st) == 0) {
      tool = t;
      break;
    }
  }
  if (!tool) return std::nullopt;
  std::string cmd = std::string(tool) + " -l 2>/dev/null";
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() < (4u << 20)) out.append(buf, n);
  if (::pclose(f) != 0) return std::nullopt;
  std::vector<std::string> rules;
  for (const auto& l : split_lines(out)) {
    std::string s = squeeze(l);
    if (!s.empty() && s != "No rules") rules.push_back(s);
  }
  return rules;
}

class AuditRulesCollector : public Collector {
 public:
  std::string_view name() const override { return "audit_rules"; }
  std::string_view description() const override {
    return "audit rules in force: `auditctl -l` (live, root) or etc/audit rules files";
  }
  Status validate(const json& p) const override { return only_params(p, {}); }
  Fact collect(const json&, Host& host) const override {
    if (host.live() && host.privileged() && host.options().root == "/") {
      if (auto rules = run_auditctl()) return Fact::ok(*rules, "auditctl -l");
    }
    std::vector<std::string> files;
    for (const auto& n : list_dir(host, "/etc/audit/rules.d", "*.rules"))
      files.push_back("/etc/audit/rules.d/" + n);
    files.push_back("/etc/audit/audit.rules");
    json rules = json::array();
    bool any = false;
    for (const auto& path : files) {
      std::string text;
      if (auto f = host.read_file(path, &text)) {
        if (f->state == FactState::kMissing) continue;
        f->source = path;
        return *f;
      }
      any = true;
      for (const auto& l : split_lines(text)) {
        std::string s = squeeze(l);
        if (!s.empty() && s[0] != '#') rules.push_back(s);
      }
    }
    if (!any) {
      std::string t;
      auto f = host.read_file("/etc/audit", &t);
      if (f && f->state == FactState::kMissing)
        return Fact::missing("auditd is not installed (no /etc/audit)", "audit rules");
      return Fact::ok(rules, "audit rules files");
    }
    return Fact::ok(rules, "audit rules files");
  }
};

}  // namespace

std::unique_ptr<Collector> make_audit_rules_collector() {
  return std::make_unique<AuditRulesCollector>();
}

}  // namespace hivesec::policy::collectors
