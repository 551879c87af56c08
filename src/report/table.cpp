// "table": the human report. Everything printed comes from the scanned image, so control
// characters and broken UTF-8 are replaced before they can reach a terminal.
#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "report/finding_facts.h"
#include "report/util.h"

namespace hivesec::report {

namespace {

// Replaces C0/C1 controls, DEL and invalid UTF-8 with '?', so a package name cannot move the
// cursor or recolor the terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    bool ok = len > 0 && c < 0xf5 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    }
    // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F.
    if (ok && len == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) ok = false;
    if (!ok) {
      out.push_back('?');
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

// Decodes the code point starting at s[i] (valid UTF-8 after printable()).
char32_t code_point(std::string_view s, std::size_t i, std::size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  return cp;
}

// Terminal cells of one code point: East Asian wide and fullwidth ranges take two.
std::size_t cells(char32_t cp) {
  bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
              (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
              (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
              (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
              (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

// Display width in terminal cells.
std::size_t width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0, len = 0; i < s.size(); i += len) w += cells(code_point(s, i, len));
  return w;
}

// Cuts to at most `max` cells, marking the cut with "…".
std::string fit(const std::string& s, std::size_t max) {
  if (width(s) <= max) return s;
  std::string out;
  std::size_t w = 0;
  for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
    std::size_t c = cells(code_point(s, i, len));
    if (w + c > max - 1) break;
    w += c;
    out.append(s, i, len);
  }
  return out + "\u2026";
}

std::string short_digest(std::string_view d) {
  if (auto colon = d.find(':'); colon != std::string_view::npos) d.remove_prefix(colon + 1);
  return std::string(d.substr(0, 12));
}

class Table {
 public:
  explicit Table(std::vector<std::pair<std::string, std::size_t>> columns)
      : columns_(std::move(columns)) {}

  void add(std::vector<std::string> row) {
    for (std::size_t i = 0; i < row.size(); ++i)
      row[i] = fit(printable(row[i]), columns_[i].second);
    rows_.push_back(std::move(row));
  }

  void print(std::ostream& out) const {
    std::vector<std::size_t> w;
    for (const auto& [title, cap] : columns_) w.push_back(title.size());
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], width(row[i]));
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        s += cells[i];
        if (i + 1 < cells.size()) s.append(w[i] - width(cells[i]) + 2, ' ');
      }
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out << s << '\n';
    };
    std::vector<std::string> titles;
    for (const auto& [title, cap] : columns_) titles.push_back(title);
    line(titles);
    for (const auto& row : rows_) line(row);
  }

 private:
  std::vector<std::pair<std::string, std::size_t>> columns_;
  std::vector<std::vector<std::string>> rows_;
};

void header(const model::ScanResult& r, std::ostream& out) {
  auto field = [&](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    out << label << std::string(11 - label.size(), ' ') << printable(value) << '\n';
  };
  field("Asset:", asset_display_name(r) + " (" + model::asset_kind_name(r.asset.kind) + ")");
  if (r.image) {
    field("Image ID:", r.image->image_id);
    field("Digest:", r.image->manifest_digest);
    field("Platform:", platform_string(r.image->platform));
  }
  std::string os = r.os.name.empty() ? r.os.family : r.os.name;
  if (!r.os.empty() && !r.os.version.empty() && os.find(r.os.version) == std::string::npos) {
    os += " " + r.os.version;
  }
  field("OS:", r.os.empty() ? "unknown" : os);
  field("Layers:", std::to_string(r.image ? r.image->layers.size() : r.layers.size()));
  field("Packages:", std::to_string(r.packages.size()));
}

// SOURCE / LOCATION: the source package when it differs, else the owning OS package, else the
// file that proved the package.
std::string where(const model::Package& p, const std::map<std::string, std::string>& owners) {
  if (!p.source_name.empty() && p.source_name != p.name) {
    bool same_version = p.source_version.empty() || p.source_version == p.version;
    return "src:" + p.source_name + (same_version ? "" : " " + p.source_version);
  }
  if (!p.owner.empty()) {
    auto it = owners.find(p.owner);
    return "owner:" + (it != owners.end() ? it->second : p.owner);
  }
  return p.location;
}

void packages(const model::ScanResult& r, std::ostream& out) {
  if (r.packages.empty()) {
    out << "No packages found.\n";
    return;
  }
  std::map<std::string, std::string> owners;
  for (const auto& p : r.packages) {
    if (!p.purl.empty()) owners.emplace(p.purl, p.name);
  }
  std::vector<const model::Package*> sorted;
  for (const auto& p : r.packages) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::tie(a->type, a->name, a->version, a->location) <
           std::tie(b->type, b->name, b->version, b->location);
  });
  Table t({{"TYPE", 8}, {"NAME", 40}, {"VERSION", 28}, {"SOURCE / LOCATION", 48}, {"LAYER", 12}});
  for (const auto* p : sorted) {
    std::string name =
        p->namespace_.empty() || model::is_os_package_type(p->type)
            ? p->name
            : p->namespace_ + "/" + p->name;
    t.add({p->type, name, p->version, where(*p, owners), short_digest(p->layer)});
  }
  t.print(out);
}

// Vulnerabilities: worst first, then by package; the ID column's neighbour names the CVE (or
// first alias) with a count of the rest, so one line stays one vulnerability in one package.
void vulnerabilities(const std::vector<const model::Finding*>& vulns, std::ostream& out) {
  std::map<model::Severity, std::size_t> by_sev;
  for (const auto* f : vulns) ++by_sev[f->severity];
  out << "Vulnerabilities: " << vulns.size() << " (";
  bool first = true;
  for (auto s : {model::Severity::kCritical, model::Severity::kHigh, model::Severity::kMedium,
                 model::Severity::kLow, model::Severity::kUnknown}) {
    out << (first ? "" : ", ") << model::severity_name(s) << " " << by_sev[s];
    first = false;
  }
  out << ")\n";
  Table t({{"SEVERITY", 8},
           {"ID", 24},
           {"ALIAS", 24},
           {"PACKAGE", 36},
           {"INSTALLED", 28},
           {"FIXED", 28},
           {"STATUS", 9},
           {"PATH", 60}});
  for (const auto* f : vulns) {
    std::string alias = headline_alias(*f);
    std::size_t others = 0;
    for (const auto& a : f->aliases) others += a != f->rule_id && a != alias;
    if (!alias.empty() && others > 0) alias += " +" + std::to_string(others);
    std::string installed, fixed, status;
    if (f->vuln) {
      installed = f->vuln->installed_version;
      fixed = recommended_fix(*f->vuln);
      status = model::fix_status_name(f->vuln->status);
    }
    // PATH tells apart copies of one package (the Go runtime of two binaries, two node_modules).
    t.add({model::severity_name(f->severity), f->rule_id, alias, finding_package_name(*f),
           installed, fixed, status, f->evidence.path});
  }
  t.print(out);
}

// Every other kind: one line per finding with where it was seen.
void other_findings(std::vector<const model::Finding*> sorted, std::ostream& out) {
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::tie(b->severity, a->rule_id) < std::tie(a->severity, b->rule_id);
  });
  Table t({{"SEVERITY", 8}, {"KIND", 14}, {"ID", 24}, {"WHERE", 40}, {"TITLE", 60}});
  for (const auto* f : sorted) {
    std::string at = !f->evidence.package.empty() ? f->evidence.package : f->evidence.path;
    if (f->evidence.line > 0) at += ":" + std::to_string(f->evidence.line);
    t.add({model::severity_name(f->severity), model::finding_kind_name(f->kind), f->rule_id, at,
           f->title});
  }
  t.print(out);
}

void findings(const model::ScanResult& r, std::ostream& out) {
  if (r.findings.empty()) {
    out << "No findings.\n";
    return;
  }
  std::vector<const model::Finding*> vulns;
  std::vector<const model::Finding*> others;
  for (const auto* f : sorted_findings(r.findings)) {
    (f->kind == model::FindingKind::kVulnerability ? vulns : others).push_back(f);
  }
  if (!vulns.empty()) vulnerabilities(vulns, out);
  if (!vulns.empty() && !others.empty()) out << '\n';
  if (!others.empty()) other_findings(std::move(others), out);
}

class TableWriter final : public Writer {
 public:
  std::string_view name() const override { return "table"; }
  std::string_view description() const override { return "human-readable tables (default)"; }

  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::ostringstream s;
    header(result, s);
    s << '\n';
    // A scan reports its findings; the package list is the inventory's (and json/sbom's) job.
    if (result.scanners.empty()) {
      packages(result, s);
      s << '\n';
    }
    findings(result, s);
    if (!result.notes.empty()) s << '\n';
    for (const auto& n : result.notes) s << "note: " << printable(n) << '\n';
    out << s.str();
    if (!out) return make_error(Errc::kIo, "table report: write failed");
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Writer> make_table_writer() { return std::make_unique<TableWriter>(); }

}  // namespace hivesec::report
