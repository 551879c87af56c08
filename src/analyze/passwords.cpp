// The "password" analyzer: reads etc/passwd and etc/shadow of each layer and reports
//   weak-password:empty           an account without a password (critical)
//   weak-password:extra-uid0      a uid-0 account other than root (high)
//   weak-password:hash-in-passwd  a hash in world-readable etc/passwd (medium)
//   weak-password:common          a hash that verifies against a common password or a variant of
//                                 the account name (critical for root, high otherwise; raised to
//                                 critical for uid-0 accounts by the scanner's post-pass)
// Findings carry the file path; the merge stamps the layer that introduced the file and drops
// findings on files a later layer replaced, so what is reported is the final image's file.
// Corrupted files are reported as notes, never as errors.
//
// Time: the analyzer owns one PasswordBudget, so the budget is per image as long as one analyzer
// (one registry) serves one scan; layers analyzed in parallel draw from it together. Completed
// checks are remembered by (account, hash), so a shadow copied into several layers is checked
// once. A result cut short by the budget can be stored in the layer cache (the budget is part of
// its key): rescanning with the same budget gives the same answer.
#include "analyze/passwords.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "analyze/account_files.h"
#include "analyze/builtins.h"
#include "analyze/password_check.h"
#include "common/embedded.h"

namespace hivesec::analyze {

namespace {

constexpr int64_t kMaxAccountFile = 4 << 20;
constexpr size_t kMaxNotesPerFile = 20;
constexpr size_t kMaxFindingsPerFile = 200;

std::string mask(std::string_view password) {
  if (password.empty()) return "";
  return std::string(1, password.front()) + std::string(password.size() - 1, '*');
}

struct Target {
  const AccountEntry* entry;
  std::string method;
  bool uid0;
};

class PasswordAnalyzer final : public Analyzer {
 public:
  PasswordAnalyzer(const std::vector<std::string>& common, int budget_ms)
      : common_(common), budget_ms_(budget_ms), budget_(std::chrono::milliseconds(budget_ms)) {}

  std::string_view name() const override { return "password"; }
  int version() const override { return 1; }
  std::string_view scanner() const override { return "password"; }
  int64_t max_size() const override { return kMaxAccountFile; }
  std::string config_fingerprint() const override {
    return fmt::format("budget={};list={}", budget_ms_, common_.size());
  }

  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular &&
           (file.path == "etc/shadow" || file.path == "etc/passwd");
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    const bool passwd = file.path == "etc/passwd";
    AccountFile parsed = passwd ? parse_passwd(content) : parse_shadow(content);
    std::string path(file.path);
    if (parsed.bad_lines > 0) {
      out.notes.push_back(fmt::format("password: {}: {} of {} lines unparseable (first: line {}, {})",
                                      path, parsed.bad_lines, parsed.lines, parsed.first_bad_line,
                                      parsed.first_bad_reason));
    }
    size_t notes = 0;
    const size_t first_finding = out.findings.size();
    auto note = [&](std::string text) {
      if (notes++ < kMaxNotesPerFile) out.notes.push_back(std::move(text));
    };

    std::vector<Target> targets;
    for (const AccountEntry& e : parsed.entries) {
      std::string who = printable_name(e.name);
      bool uid0 = e.uid && *e.uid == 0;
      if (passwd && uid0 && e.name != "root") {
        auto& f = add(out, path, e, model::Severity::kHigh, "weak-password:extra-uid0",
                      fmt::format("account {} has uid 0: it is a second root account", who),
                      "Give the account its own non-zero uid, or remove it; only root should "
                      "have uid 0.");
        f.evidence.extra["uid"] = "0";
      }
      switch (e.field) {
        case PasswordField::kEmpty:
          add(out, path, e, model::Severity::kCritical, "weak-password:empty",
              fmt::format("account {} has no password: anyone can log in as {}", who, who),
              "Lock the account (passwd -l, or '*' in the password field) or set a strong "
              "password.");
          break;
        case PasswordField::kHash: {
          HashMethod m = hash_method(e.password);
          if (passwd) {
            auto& f = add(out, path, e, model::Severity::kMedium, "weak-password:hash-in-passwd",
                          fmt::format("account {} has its password hash in world-readable {}", who,
                                      path),
                          "Move the hash to etc/shadow (pwconv) and put 'x' in etc/passwd.");
            f.evidence.extra["algorithm"] = m.name;
          }
          if (!m.checkable && m.name == "unknown") break;  // no crypt hash: nobody logs in
          if (!m.checkable) {
            note(fmt::format("password: {}: account {}: {} ({}); not checked", path, who, m.reason,
                             m.name));
            break;
          }
          targets.push_back({&e, m.name, uid0 || e.name == "root"});
          break;
        }
        case PasswordField::kLocked:
        case PasswordField::kShadowed:
          break;
      }
    }
    if (!targets.empty()) check_hashes(path, targets, out, note);
    if (out.findings.size() > first_finding + kMaxFindingsPerFile) {
      size_t dropped = out.findings.size() - first_finding - kMaxFindingsPerFile;
      out.findings.resize(first_finding + kMaxFindingsPerFile);
      out.notes.push_back(
          fmt::format("password: {}: {} more findings not shown (limit {} per file)", path,
                      dropped, kMaxFindingsPerFile));
    }
    if (notes > kMaxNotesPerFile) {
      out.notes.push_back(fmt::format("password: {}: {} more notes not shown", path,
                                      notes - kMaxNotesPerFile));
    }
    return ok_status();
  }

 private:
  template <typename Note>
  void check_hashes(const std::string& path, const std::vector<Target>& targets,
                    AnalysisOutput& out, Note& note) const {

    // Checks already finished (in another layer) are reused; the rest run under the budget.
    std::vector<CrackResult> results(targets.size());
    std::vector<CrackTarget> todo;
    std::vector<size_t> todo_index;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < targets.size(); ++i) {
        auto it = done_.find(key(*targets[i].entry));
        if (it != done_.end()) {
          results[i] = it->second;
        } else {
          todo.push_back({targets[i].entry->name, targets[i].entry->password});
          todo_index.push_back(i);
        }
      }
    }
    std::vector<CrackResult> fresh = crack(todo, common_, budget_);
    {
      std::lock_guard lock(mu_);
      for (size_t k = 0; k < fresh.size(); ++k) {
        size_t i = todo_index[k];
        results[i] = std::move(fresh[k]);
        if (!results[i].out_of_budget()) done_[key(*targets[i].entry)] = results[i];
      }
    }

    for (size_t i = 0; i < targets.size(); ++i) {
      const Target& t = targets[i];
      const CrackResult& r = results[i];
      std::string who = printable_name(t.entry->name);
      if (r.password) {
        auto& f = add(out, path, *t.entry,
                      t.uid0 ? model::Severity::kCritical : model::Severity::kHigh,
                      "weak-password:common",
                      fmt::format("account {} has a common, guessable password ({})", who,
                                  t.method),
                      "Set a strong, unique password for the account, or lock it (passwd -l) if "
                      "nobody needs to log in with a password.");
        f.evidence.match = mask(*r.password);
        f.evidence.extra["algorithm"] = t.method;
      } else if (r.out_of_budget()) {
        note(fmt::format("password: {}: checked {} of {} candidates for account {} (time budget)",
                         path, r.tried, r.total, who));
      }
    }
  }

  static model::Finding& add(AnalysisOutput& out, const std::string& path, const AccountEntry& e,
                             model::Severity severity, std::string rule, std::string title,
                             std::string remediation) {
    model::Finding f;
    f.kind = model::FindingKind::kWeakPassword;
    f.rule_id = std::move(rule);
    f.severity = severity;
    f.title = std::move(title);
    f.remediation = std::move(remediation);
    f.evidence.path = path;
    f.evidence.line = e.line;
    f.evidence.extra["account"] = printable_name(e.name);
    out.findings.push_back(std::move(f));
    return out.findings.back();
  }
  static std::string key(const AccountEntry& e) { return e.name + '\n' + e.password; }

  const std::vector<std::string>& common_;
  int budget_ms_;
  mutable PasswordBudget budget_;
  mutable std::mutex mu_;
  mutable std::map<std::string, CrackResult> done_;
};

Result<std::vector<std::string>> load_common(std::string_view yaml) {
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    auto list = doc["passwords"].as<std::vector<std::string>>();
    if (list.empty()) return make_error(Errc::kInternal, "rules/passwords/common.yaml: empty");
    return list;
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kInternal, "rules/passwords/common.yaml: {}", e.what());
  }
}

}  // namespace

const std::vector<std::string>& common_passwords() {
  static const std::vector<std::string> kList = [] {
    auto l = load_common(embedded_rule_file("passwords/common.yaml"));
    return l.ok() ? std::move(l).value() : std::vector<std::string>{};
  }();
  return kList;
}

std::unique_ptr<Analyzer> make_password_analyzer(const AnalyzerOptions& options) {
  if (common_passwords().empty()) return nullptr;  // a bug in the bundled data
  return std::make_unique<PasswordAnalyzer>(common_passwords(), options.password_budget_ms);
}

void raise_uid0_password_findings(std::vector<model::Finding>& findings) {
  std::vector<std::string> uid0;
  for (const auto& f : findings) {
    if (f.kind == model::FindingKind::kWeakPassword && f.rule_id == "weak-password:extra-uid0") {
      auto it = f.evidence.extra.find("account");
      if (it != f.evidence.extra.end()) uid0.push_back(it->second);
    }
  }
  if (uid0.empty()) return;
  for (auto& f : findings) {
    if (f.kind != model::FindingKind::kWeakPassword || f.rule_id != "weak-password:common") {
      continue;
    }
    auto it = f.evidence.extra.find("account");
    if (it != f.evidence.extra.end() &&
        std::find(uid0.begin(), uid0.end(), it->second) != uid0.end()) {
      f.severity = model::Severity::kCritical;
    }
  }
}

}  // namespace hivesec::analyze
