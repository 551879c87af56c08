// "html": one self-contained HTML page for people: the asset's facts, counts by severity and
// kind, a findings table that sorts and filters in the browser, and the package inventory
// folded away. Inline CSS and a small inline script; the only URLs are links to advisories.
//
// Everything taken from the scan is escaped (text and attribute contexts alike), invalid UTF-8
// and control characters become U+FFFD, and a Content-Security-Policy allows no script but the
// page's own (by hash), so an escaping slip still could not run a scanned package's markup.
#include <array>
#include <map>

#include "common/hash.h"
#include "image/registry_auth.h"
#include "report/finding_facts.h"
#include "report/markup.h"
#include "report/util.h"

namespace hivesec::report {

namespace {

constexpr std::array<model::Severity, 5> kSeverities = {
    model::Severity::kCritical, model::Severity::kHigh, model::Severity::kMedium,
    model::Severity::kLow, model::Severity::kUnknown};

constexpr char kStyle[] = R"css(
:root{--crit:#7a0019;--high:#c0392b;--med:#b7791f;--low:#2b6cb0;--unk:#6b7280;--line:#d9dce1}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
  max-width:1400px;padding:16px 24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:4px 0 12px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}
table.facts{width:auto}table.facts th{color:#57606a;font-weight:500;padding-right:24px}
table.list thead th{position:sticky;top:0;background:#f6f8fa;cursor:pointer;user-select:none;
  white-space:nowrap}
table.list thead th[aria-sort=ascending]::after{content:" \25B2"}
table.list thead th[aria-sort=descending]::after{content:" \25BC"}
tbody tr:hover{background:#f6f8fa}
.sev{display:inline-block;min-width:64px;padding:1px 6px;border-radius:4px;color:#fff;
  font-size:12px;font-weight:600;text-align:center;text-transform:uppercase}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}
.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-unknown{background:var(--unk)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 14px;min-width:90px}
.card b{display:block;font-size:20px}
.muted{color:#57606a;font-size:12px}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;
  font-size:12px}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
.controls input[type=search]{padding:4px 8px;min-width:280px}
details summary{cursor:pointer;font-weight:600;margin:8px 0}
)css";

// Sorting by column (severity by rank, the rest as text) and filtering by severity and text.
// Row texts are read once; a filter pass only toggles `hidden`.
constexpr char kScript[] = R"js(
(function(){
var table=document.getElementById('findings');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var texts=rows.map(function(r){return r.textContent.toLowerCase();});
var search=document.getElementById('search'),shown=document.getElementById('shown');
var boxes=document.querySelectorAll('input[data-sev]');
function apply(){
  var q=search.value.trim().toLowerCase(),on={},n=0;
  boxes.forEach(function(b){on[b.getAttribute('data-sev')]=b.checked;});
  rows.forEach(function(r,i){
    var ok=on[r.getAttribute('data-sev')]!==false&&(!q||texts[i].indexOf(q)>=0);
    r.hidden=!ok;if(ok)n++;});
  shown.textContent=n;
}
search.addEventListener('input',apply);
boxes.forEach(function(b){b.addEventListener('change',apply);});
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,col){
  th.addEventListener('click',function(){
    var desc=th.getAttribute('aria-sort')!=='descending';
    Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',desc?'descending':'ascending');
    var key=function(r){var c=r.cells[col];var k=c.getAttribute('data-key');
      return k!==null?Number(k):c.textContent.toLowerCase();};
    var keyed=rows.map(function(r,i){return {r:r,k:key(r),i:i};});
    keyed.sort(function(a,b){var x=a.k<b.k?-1:a.k>b.k?1:a.i-b.i;return desc?-x:x;});
    var frag=document.createDocumentFragment();
    keyed.forEach(function(e){frag.appendChild(e.r);});
    body.appendChild(frag);rows=keyed.map(function(e){return e.r;});
    texts=rows.map(function(r){return r.textContent.toLowerCase();});
  });
});
apply();
})();
)js";

std::string esc(std::string_view s) {
  std::string out;
  escape_into(out, s);
  return out;
}

std::string short_digest(std::string_view d) {
  if (auto colon = d.find(':'); colon != std::string_view::npos) d.remove_prefix(colon + 1);
  return std::string(d.substr(0, 12));
}

// CSP source for the inline script: 'sha256-<base64 of the digest>'.
std::string script_hash() {
  std::string hex = sha256_hex(kScript);
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return "'sha256-" + image::base64_encode(raw) + "'";
}

// An advisory id as a link to its publisher's page.
std::string id_link(std::string_view id) {
  return "<a href=\"" + esc(advisory_source(id).url) + "\" rel=\"noreferrer\">" + esc(id) + "</a>";
}

class HtmlBuilder {
 public:
  explicit HtmlBuilder(const model::ScanResult& r) : r_(r) {}

  std::string build() {
    out_.reserve(4096 + r_.findings.size() * 600 + r_.packages.size() * 200);
    std::string name = asset_display_name(r_);
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src " +
        script_hash() + "; base-uri 'none'; form-action 'none'\">\n";
    out_ += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out_ += "<title>hivesec report: " + esc(name) + "</title>\n<style>";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n";
    out_ += "<h1>hivesec report: " + esc(name) + "</h1>\n";
    facts();
    summary();
    findings();
    packages();
    notes();
    out_ += "<p class=\"muted\">Generated by hivesec " + esc(r_.tool_version) + ".</p>\n";
    out_ += "<script>";
    out_ += kScript;
    out_ += "</script>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void fact(std::string_view label, const std::string& value, bool mono = false) {
    if (value.empty()) return;
    out_ += "<tr><th>";
    out_ += label;
    out_ += mono ? "</th><td class=\"mono\">" : "</th><td>";
    escape_into(out_, value);
    out_ += "</td></tr>\n";
  }

  void facts() {
    out_ += "<table class=\"facts\">\n";
    fact("Asset", asset_display_name(r_));
    fact("Kind", model::asset_kind_name(r_.asset.kind));
    if (r_.asset.id != asset_display_name(r_)) fact("Asset ID", r_.asset.id, true);
    if (r_.image) {
      const image::ImageMeta& m = *r_.image;
      fact("Image ID", m.image_id, true);
      fact("Manifest digest", m.manifest_digest, true);
      fact("Platform", platform_string(m.platform));
      fact("Created", m.created);
      std::string tags;
      for (const auto& t : m.repo_tags) tags += (tags.empty() ? "" : ", ") + t;
      fact("Tags", tags);
    }
    std::string os = r_.os.name.empty() ? r_.os.family : r_.os.name;
    if (!r_.os.empty() && !r_.os.version.empty() && os.find(r_.os.version) == std::string::npos) {
      os += " " + r_.os.version;
    }
    fact("OS", r_.os.empty() ? "unknown" : os);
    fact("Layers", std::to_string(r_.image ? r_.image->layers.size() : r_.layers.size()));
    fact("Packages", std::to_string(r_.packages.size()));
    fact("Scanned at", r_.scanned_at);
    out_ += "</table>\n";
  }

  void summary() {
    std::map<model::Severity, std::size_t> by_sev;
    std::map<std::string, std::size_t> by_kind;
    for (const auto& f : r_.findings) {
      ++by_sev[f.severity];
      ++by_kind[model::finding_kind_name(f.kind)];
    }
    out_ += "<h2>Summary</h2>\n<div class=\"cards\" id=\"by-severity\">\n";
    for (auto s : kSeverities) {
      std::string n = model::severity_name(s);
      out_ += "<div class=\"card\"><span class=\"sev sev-" + n + "\">" + n +
              "</span><b data-count=\"" + n + "\">" + std::to_string(by_sev[s]) + "</b></div>\n";
    }
    out_ += "</div>\n<div class=\"cards\" id=\"by-kind\">\n";
    out_ += "<div class=\"card\">total<b data-count=\"total\">" +
            std::to_string(r_.findings.size()) + "</b></div>\n";
    for (const auto& [kind, n] : by_kind) {
      out_ += "<div class=\"card\">" + kind + "<b data-count=\"" + kind + "\">" +
              std::to_string(n) + "</b></div>\n";
    }
    out_ += "</div>\n";
  }

  void finding_row(const model::Finding& f) {
    std::string sev = model::severity_name(f.severity);
    out_ += "<tr data-sev=\"" + sev + "\"><td data-key=\"" +
            std::to_string(severity_rank(f.severity)) + "\"><span class=\"sev sev-" + sev + "\">" +
            sev + "</span></td>";
    // ID, linked for vulnerabilities; aliases below; the title as the cell's tooltip.
    out_ += "<td title=\"";
    escape_into(out_, f.title);
    out_ += "\">";
    bool vuln = f.kind == model::FindingKind::kVulnerability;
    out_ += vuln && !f.rule_id.empty() ? id_link(f.rule_id) : esc(f.rule_id);
    std::string aliases;
    for (const auto& a : f.aliases) {
      if (a == f.rule_id) continue;
      aliases += (aliases.empty() ? "" : ", ") + (vuln ? id_link(a) : esc(a));
    }
    if (!aliases.empty()) out_ += "<div class=\"muted\">" + aliases + "</div>";
    if (!vuln && !f.title.empty()) out_ += "<div class=\"muted\">" + esc(f.title) + "</div>";
    out_ += "</td><td>";
    escape_into(out_, model::finding_kind_name(f.kind));
    out_ += "</td><td>";
    escape_into(out_, finding_package_name(f));
    if (!f.evidence.package.empty()) {
      out_ += "<div class=\"muted mono\">" + esc(f.evidence.package) + "</div>";
    }
    out_ += "</td><td>";
    if (f.vuln) escape_into(out_, f.vuln->installed_version);
    out_ += "</td><td>";
    if (f.vuln) {
      std::string fixed;
      for (const auto& v : f.vuln->fixed_versions) fixed += (fixed.empty() ? "" : ", ") + v;
      escape_into(out_, fixed);
    }
    out_ += "</td><td>";
    if (f.vuln) escape_into(out_, model::fix_status_name(f.vuln->status));
    out_ += "</td><td class=\"mono\">";
    escape_into(out_, f.evidence.path);
    if (f.evidence.line > 0) out_ += ":" + std::to_string(f.evidence.line);
    if (!f.evidence.layer.empty()) {
      out_ += "<div class=\"muted\" title=\"";
      escape_into(out_, f.evidence.layer);
      out_ += "\">layer ";
      escape_into(out_, short_digest(f.evidence.layer));
      out_ += "</div>";
    }
    out_ += "</td></tr>\n";
  }

  void findings() {
    out_ += "<h2>Findings</h2>\n";
    if (r_.findings.empty()) {
      out_ += "<p id=\"no-findings\">No findings.</p>\n";
      return;
    }
    out_ += "<div class=\"controls\">\n";
    for (auto s : kSeverities) {
      std::string n = model::severity_name(s);
      out_ += "<label><input type=\"checkbox\" checked data-sev=\"" + n + "\"> " + n + "</label>\n";
    }
    out_ +=
        "<input type=\"search\" id=\"search\" placeholder=\"Search id, package, path\" "
        "aria-label=\"Search findings\">\n";
    out_ += "<span class=\"muted\"><span id=\"shown\">" + std::to_string(r_.findings.size()) +
            "</span> of " + std::to_string(r_.findings.size()) + " shown</span>\n</div>\n";
    out_ +=
        "<table class=\"list\" id=\"findings\">\n<thead><tr><th>Severity</th><th>ID</th>"
        "<th>Kind</th><th>Package</th><th>Installed</th><th>Fixed</th><th>Status</th>"
        "<th>Path / layer</th></tr></thead>\n<tbody>\n";
    for (const auto* f : sorted_findings(r_.findings)) finding_row(*f);
    out_ += "</tbody>\n</table>\n";
    references();
  }

  // Advisory references of the vulnerabilities, once per id (links only to http(s) pages).
  void references() {
    std::string list;
    std::map<std::string, bool> seen;
    for (const auto* f : sorted_findings(r_.findings)) {
      if (!f->vuln || f->vuln->references.empty() || seen[f->rule_id]) continue;
      seen[f->rule_id] = true;
      std::string links;
      for (const auto& url : f->vuln->references) {
        if (!is_web_url(url)) continue;
        links += "<li><a href=\"" + esc(url) + "\" rel=\"noreferrer\">" + esc(url) + "</a></li>";
      }
      if (links.empty()) continue;
      list += "<li>" + esc(f->rule_id) + "<ul>" + links + "</ul></li>\n";
    }
    if (list.empty()) return;
    out_ += "<details id=\"references\"><summary>References</summary>\n<ul>\n" + list +
            "</ul>\n</details>\n";
  }

  void packages() {
    out_ += "<details id=\"packages\"><summary>Packages (" + std::to_string(r_.packages.size()) +
            ")</summary>\n";
    if (r_.packages.empty()) {
      out_ += "<p>No packages found.</p>\n</details>\n";
      return;
    }
    out_ +=
        "<table class=\"inventory\">\n<thead><tr><th>Type</th><th>Name</th><th>Version</th>"
        "<th>Location</th><th>Layer</th></tr></thead>\n<tbody>\n";
    for (const auto& p : r_.packages) {
      out_ += "<tr><td>";
      escape_into(out_, p.type);
      out_ += "</td><td>";
      if (!p.namespace_.empty() && p.type != "deb" && p.type != "apk" && p.type != "rpm") {
        escape_into(out_, p.namespace_ + "/");
      }
      escape_into(out_, p.name);
      out_ += "</td><td>";
      escape_into(out_, p.version);
      out_ += "</td><td class=\"mono\">";
      escape_into(out_, p.location);
      out_ += "</td><td class=\"mono\">";
      escape_into(out_, short_digest(p.layer));
      out_ += "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n</details>\n";
  }

  void notes() {
    if (r_.notes.empty()) return;
    out_ += "<h2>Notes</h2>\n<ul>\n";
    for (const auto& n : r_.notes) out_ += "<li>" + esc(n) + "</li>\n";
    out_ += "</ul>\n";
  }

  const model::ScanResult& r_;
  std::string out_;
};

class HtmlWriter final : public Writer {
 public:
  std::string_view name() const override { return "html"; }
  std::string_view description() const override { return "self-contained HTML page"; }

  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::string text;
    try {
      text = HtmlBuilder(result).build();
    } catch (const std::exception& e) {
      return make_error(Errc::kInternal, "html report: {}", e.what());
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(Errc::kIo, "html report: write failed");
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Writer> make_html_writer() { return std::make_unique<HtmlWriter>(); }

}  // namespace hivesec::report
