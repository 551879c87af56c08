// "table": one line per check result (verdict, id, title, [subject] for per-container/image
// checks, the reason for anything but PASS), then a
// summary per section and the score.
#include <fmt/format.h>

#include "policy/report.h"

namespace hivesec::policy {

namespace {

std::string one_line(std::string s, size_t max) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

class TableWriter : public BenchWriter {
 public:
  std::string_view name() const override { return "table"; }
  Status write(const BenchReport& r, std::ostream& out) const override {
    std::string s;
    s += fmt::format("{} ({}), target {}{}\n", r.title.empty() ? r.benchmark : r.title, r.version,
                     r.root, r.live ? " (live host)" : "");
    std::string section;
    for (const auto& cr : r.results) {
      if (cr.check.section != section) {
        section = cr.check.section;
        s += fmt::format("\n[{}]\n", section);
      }
      s += fmt::format("  {:<5} {:<16} {}{}\n", verdict_name(cr.verdict), cr.check.id,
                       one_line(cr.check.title, 90),
                       cr.subject.empty() ? "" : " [" + one_line(cr.subject, 80) + "]");
      if (cr.verdict != Verdict::kPass && !cr.reason.empty()) {
        s += fmt::format("        {}\n", one_line(cr.reason, 200));
      }
      if (cr.verdict != Verdict::kPass) {
        constexpr size_t kShown = 5;
        for (size_t i = 0; i < cr.details.size() && i < kShown; ++i) {
          s += fmt::format("        - {}\n", one_line(cr.details[i], 200));
        }
        if (cr.details.size() > kShown) {
          s += fmt::format("        - ... {} more (-f json lists all)\n", cr.details.size() - kShown);
        }
      }
      if (cr.verdict == Verdict::kFail) {
        std::string rem = cr.check.remediation;
        while (!rem.empty() && rem.back() == '\n') rem.pop_back();
        size_t nl = rem.find('\n');
        std::string fix =
            rem.substr(0, nl) + (nl == std::string::npos ? "" : " ... (full fix: -f json)");
        s += fmt::format("        fix: {}\n", one_line(fix, 200));
      }
    }
    s += fmt::format("\n{:<40} {:>5} {:>5} {:>5} {:>5} {:>5}\n", "Section", "PASS", "FAIL", "WARN",
                     "INFO", "ERROR");
    for (const auto& sec : r.sections()) {
      s += fmt::format("{:<40} {:>5} {:>5} {:>5} {:>5} {:>5}\n", one_line(sec.section, 40),
                       sec.pass, sec.fail, sec.warn, sec.info, sec.error);
    }
    auto t = r.totals();
    s += fmt::format("{:<40} {:>5} {:>5} {:>5} {:>5} {:>5}\n", "Total", t.pass, t.fail, t.warn,
                     t.info, t.error);
    if (!r.notes.empty()) {
      s += "\nNotes:\n";
      for (const auto& n : r.notes) s += fmt::format("  {}\n", one_line(n, 300));
    }
    double score = r.score();
    if (score < 0) {
      s += "\nScore: n/a (no scored check passed or failed)\n";
    } else {
      s += fmt::format("\nScore: {:.1f}% ({} of {} scored checks passed)\n", score,
                       r.scored_passed(), r.scored_passed() + r.scored_failed());
    }
    out << s;
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<BenchWriter> make_table_writer() { return std::make_unique<TableWriter>(); }

}  // namespace hivesec::policy
