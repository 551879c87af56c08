// "cyclonedx" (1.6) and "cyclonedx-1.5": a CycloneDX JSON BOM of the scanned inventory, with a
// `vulnerabilities` entry per vulnerability finding that points at the affected component.
// Validated against the official schemas by writers_test.cpp (tools/validate-schema.mjs).
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "model/purl.h"
#include "report/finding_facts.h"
#include "report/license.h"
#include "report/util.h"

namespace hivesec::report {

namespace {

using nlohmann::json;

using model::is_os_package_type;

void add_property(json& props, std::string name, const std::string& value) {
  if (value.empty()) return;
  props.push_back({{"name", std::move(name)}, {"value", value}});
}

// CycloneDX allows either a list of {license: {id|name}} or exactly one {expression}; the two
// cannot be mixed. Expressions win when every entry can be expressed in SPDX; otherwise
// expressions degrade to names.
json licenses_json(const std::vector<std::string>& licenses) {
  std::vector<ClassifiedLicense> items;
  std::set<std::string> seen;
  bool any_expression = false;
  bool any_name = false;
  for (const auto& raw : licenses) {
    ClassifiedLicense c = classify_license(raw);
    if (c.value.empty() || !seen.insert(c.value).second) continue;
    any_expression |= c.kind == LicenseKind::kExpression;
    any_name |= c.kind == LicenseKind::kName;
    items.push_back(std::move(c));
  }
  json out = json::array();
  if (items.empty()) return out;
  if (any_expression && !any_name) {
    std::string expr;
    for (const auto& c : items) {
      if (!expr.empty()) expr += " AND ";
      bool paren = items.size() > 1 && is_compound_expression(c.value);
      expr += paren ? "(" + c.value + ")" : c.value;
    }
    out.push_back({{"expression", expr}});
    return out;
  }
  for (const auto& c : items) {
    if (c.kind == LicenseKind::kId) {
      out.push_back({{"license", {{"id", c.value}}}});
    } else {
      out.push_back({{"license", {{"name", c.value}}}});
    }
  }
  return out;
}

class BomBuilder {
 public:
  BomBuilder(const model::ScanResult& r, std::string_view spec) : r_(r), spec_(spec) {}

  json build() {
    json bom = {
        {"$schema", "http://cyclonedx.org/schema/bom-" + spec_ + ".schema.json"},
        {"bomFormat", "CycloneDX"},
        {"specVersion", spec_},
        {"serialNumber", "urn:uuid:" + random_uuid_v4()},
        {"version", 1},
    };
    json metadata = {
        {"timestamp", document_timestamp(r_.scanned_at)},
        {"tools",
         {{"components",
           json::array(
               {{{"type", "application"}, {"name", "hivesec"}, {"version", r_.tool_version}}})}}},
        {"component", root_component()},
    };
    bom["metadata"] = std::move(metadata);

    json components = json::array();
    if (!r_.os.empty()) components.push_back(os_component());
    assign_refs();
    for (std::size_t i = 0; i < r_.packages.size(); ++i) {
      components.push_back(package_component(r_.packages[i], refs_[i]));
    }
    bom["components"] = std::move(components);
    bom["dependencies"] = dependencies();
    if (json vulns = vulnerabilities(); !vulns.empty()) bom["vulnerabilities"] = std::move(vulns);
    return bom;
  }

 private:
  std::string unique_ref(std::string base) {
    if (base.empty()) base = "component";
    std::string ref = base;
    for (int n = 2; !used_refs_.insert(ref).second; ++n) ref = base + "#" + std::to_string(n);
    return ref;
  }

  json root_component() {
    json c;
    if (r_.image) {
      const image::ImageMeta& m = *r_.image;
      root_ref_ = unique_ref("image:" + (m.image_id.empty() ? asset_display_name(r_) : m.image_id));
      c = {{"bom-ref", root_ref_}, {"type", "container"}, {"name", asset_display_name(r_)}};
      const std::string& digest = !m.manifest_digest.empty() ? m.manifest_digest : m.image_id;
      if (!digest.empty()) c["version"] = digest;
      if (std::string purl = image_purl(m); !purl.empty()) c["purl"] = purl;
      json props = json::array();
      add_property(props, "hivesec:image_id", m.image_id);
      add_property(props, "hivesec:manifest_digest", m.manifest_digest);
      add_property(props, "hivesec:source", m.source);
      add_property(props, "hivesec:platform", platform_string(m.platform));
      for (const auto& t : m.repo_tags) add_property(props, "hivesec:repo_tag", t);
      for (const auto& d : m.repo_digests) add_property(props, "hivesec:repo_digest", d);
      for (const auto& l : m.layers) add_property(props, "hivesec:layer_diff_id", l.diff_id);
      if (!props.empty()) c["properties"] = std::move(props);
    } else {
      root_ref_ = unique_ref("asset:" + asset_display_name(r_));
      c = {{"bom-ref", root_ref_},
           {"type", r_.asset.kind == model::AssetKind::kSbom ? "application" : "file"},
           {"name", asset_display_name(r_)}};
      json props = json::array();
      add_property(props, "hivesec:asset_kind", model::asset_kind_name(r_.asset.kind));
      add_property(props, "hivesec:asset_id", r_.asset.id);
      if (!props.empty()) c["properties"] = std::move(props);
    }
    return c;
  }

  json os_component() {
    const model::OsInfo& os = r_.os;
    os_ref_ = unique_ref("os:" + os.family + (os.version.empty() ? "" : "@" + os.version));
    json c = {{"bom-ref", os_ref_}, {"type", "operating-system"}, {"name", os.family}};
    if (!os.version.empty()) c["version"] = os.version;
    if (!os.name.empty()) c["description"] = os.name;
    json props = json::array();
    add_property(props, "hivesec:os_codename", os.codename);
    add_property(props, "hivesec:os_source", os.source);
    if (!props.empty()) c["properties"] = std::move(props);
    return c;
  }

  // bom-ref = purl; the same purl found in several places (two copies of one jar) gets the
  // location appended so every ref stays unique.
  void assign_refs() {
    std::map<std::string, int> purl_count;
    for (const auto& p : r_.packages) ++purl_count[p.purl];
    refs_.reserve(r_.packages.size());
    for (const auto& p : r_.packages) {
      std::string base = p.purl;
      if (base.empty())
        base =
            model::make_purl(p.type.empty() ? "generic" : p.type, p.namespace_, p.name, p.version);
      if (purl_count[p.purl] > 1 && !p.location.empty()) base += "#" + p.location;
      std::string ref = unique_ref(base);
      if (!p.purl.empty()) purl_to_ref_.emplace(p.purl, ref);
      refs_.push_back(std::move(ref));
    }
  }

  json package_component(const model::Package& p, const std::string& ref) {
    bool application = p.metadata.contains("main_module") && p.metadata.at("main_module") == p.name;
    json c = {{"bom-ref", ref}, {"type", application ? "application" : "library"}};
    bool group_ns = p.type == "maven" || p.type == "npm" || p.type == "composer";
    if (group_ns && !p.namespace_.empty()) c["group"] = p.namespace_;
    c["name"] = p.name.empty() ? "unknown" : p.name;
    if (!p.version.empty()) c["version"] = p.version;
    if (!p.purl.empty()) c["purl"] = p.purl;
    if (json lic = licenses_json(p.licenses); !lic.empty()) c["licenses"] = std::move(lic);
    if (auto it = p.metadata.find("description"); it != p.metadata.end() && !it->second.empty()) {
      c["description"] = it->second;
    }
    json props = json::array();
    add_property(props, "hivesec:type", p.type);
    add_property(props, "hivesec:found_by", p.found_by);
    add_property(props, "hivesec:location", p.location);
    add_property(props, "hivesec:layer", p.layer);
    add_property(props, "hivesec:arch", p.arch);
    add_property(props, "hivesec:source_name", p.source_name);
    add_property(props, "hivesec:source_version", p.source_version);
    add_property(props, "hivesec:owner", p.owner);
    if (p.dev) add_property(props, "hivesec:dev", "true");
    if (!p.files.empty()) add_property(props, "hivesec:file_count", std::to_string(p.files.size()));
    for (const auto& [k, v] : p.metadata) {
      if (k != "description") add_property(props, "hivesec:metadata:" + k, v);
    }
    if (!props.empty()) c["properties"] = std::move(props);
    if (!p.location.empty()) {
      c["evidence"] = {{"occurrences", json::array({{{"location", p.location}}})}};
    }
    return c;
  }

  // root -> OS -> OS packages; OS package -> language packages it owns; root -> the rest.
  json dependencies() {
    std::map<std::string, std::vector<std::string>> deps;
    std::vector<std::string> order;
    auto edge = [&](const std::string& from, const std::string& to) {
      auto [it, fresh] = deps.try_emplace(from);
      if (fresh) order.push_back(from);
      if (std::find(it->second.begin(), it->second.end(), to) == it->second.end()) {
        it->second.push_back(to);
      }
    };
    deps.try_emplace(root_ref_);
    order.push_back(root_ref_);
    if (!os_ref_.empty()) edge(root_ref_, os_ref_);
    for (std::size_t i = 0; i < r_.packages.size(); ++i) {
      const model::Package& p = r_.packages[i];
      const std::string& ref = refs_[i];
      auto owner = p.owner.empty() ? purl_to_ref_.end() : purl_to_ref_.find(p.owner);
      if (owner != purl_to_ref_.end() && owner->second != ref) {
        edge(owner->second, ref);
      } else if (is_os_package_type(p.type) && !os_ref_.empty()) {
        edge(os_ref_, ref);
      } else {
        edge(root_ref_, ref);
      }
    }
    json out = json::array();
    for (const auto& from : order) {
      out.push_back({{"ref", from}, {"dependsOn", deps[from]}});
    }
    return out;
  }

  // The bom-ref of the component a finding is about: the package with its purl, preferring the
  // copy found at the finding's path (and layer); the root when the purl is not in the inventory.
  const std::string& affected_ref(const model::Finding& f) const {
    const std::string* first = nullptr;
    const std::string* at_path = nullptr;
    if (!f.evidence.package.empty()) {
      for (std::size_t i = 0; i < r_.packages.size(); ++i) {
        const model::Package& p = r_.packages[i];
        if (p.purl != f.evidence.package) continue;
        if (!first) first = &refs_[i];
        if (!f.evidence.path.empty() && p.location == f.evidence.path) {
          if (!at_path) at_path = &refs_[i];
          if (f.evidence.layer.empty() || p.layer == f.evidence.layer) return refs_[i];
        }
      }
    }
    return at_path ? *at_path : first ? *first : root_ref_;
  }

  static json source_json(std::string_view id) {
    AdvisorySource s = advisory_source(id);
    return {{"name", s.name}, {"url", s.url}};
  }

  static std::string_view cvss_method(std::string_view version) {
    static constexpr std::pair<std::string_view, std::string_view> kMethods[] = {
        {"2.0", "CVSSv2"},  {"2", "CVSSv2"},   {"3.0", "CVSSv3"}, {"3", "CVSSv3"},
        {"3.1", "CVSSv31"}, {"4.0", "CVSSv4"}, {"4", "CVSSv4"}};
    for (const auto& [v, method] : kMethods) {
      if (v == version) return method;
    }
    return "other";
  }

  static const model::VulnDetail& detail(const model::Finding& f) {
    static const model::VulnDetail kNone;
    return f.vuln ? *f.vuln : kNone;
  }

  static json ratings_json(const model::Finding& f) {
    const model::VulnDetail& v = detail(f);
    json ratings = json::array();
    for (const auto& c : v.cvss) {
      json rating = {{"method", cvss_method(c.version)},
                     {"severity", model::severity_name(c.severity)}};
      if (c.base_score >= 0 && c.base_score <= 10) rating["score"] = c.base_score;
      if (!c.vector.empty()) rating["vector"] = c.vector;
      if (!c.source.empty()) rating["source"] = source_json(c.source);
      ratings.push_back(std::move(rating));
    }
    // A vendor's verdict (Debian's urgency, GitHub's severity) is a rating of its own.
    if (!v.severity_source.empty() && !v.severity_source.starts_with("CVSS")) {
      ratings.push_back({{"method", "other"},
                         {"severity", model::severity_name(f.severity)},
                         {"source", {{"name", v.severity_source}}}});
    }
    return ratings;
  }

  json vulnerability(const model::Finding& f) const {
    const model::VulnDetail& v = detail(f);
    json out = json::object();
    if (!f.rule_id.empty()) {
      out["id"] = f.rule_id;
      out["source"] = source_json(f.rule_id);
    }
    json refs = json::array();
    std::set<std::string> seen = {f.rule_id};
    for (const auto* ids : {&f.aliases, &v.advisories}) {
      for (const auto& id : *ids) {
        if (id.empty() || !seen.insert(id).second) continue;
        refs.push_back({{"id", id}, {"source", source_json(id)}});
      }
    }
    if (!refs.empty()) out["references"] = std::move(refs);
    if (json ratings = ratings_json(f); !ratings.empty()) out["ratings"] = std::move(ratings);
    if (!f.title.empty()) out["description"] = f.title;
    if (std::string fix = recommended_fix(v);
        !fix.empty() && v.status == model::FixStatus::kFixed) {
      std::string name = v.package_name.empty() ? "the package" : v.package_name;
      out["recommendation"] = "Upgrade " + name + " to " + fix;
    }
    json advisories = json::array();
    std::set<std::string> urls;
    for (const auto& url : v.references) {
      if (is_web_url(url) && urls.insert(url).second) advisories.push_back({{"url", url}});
    }
    if (!advisories.empty()) out["advisories"] = std::move(advisories);
    if (is_rfc3339(v.published)) out["published"] = v.published;
    if (is_rfc3339(v.modified)) out["updated"] = v.modified;
    json affects = {{"ref", affected_ref(f)}};
    if (!v.installed_version.empty() && v.installed_version.size() <= 1024) {
      affects["versions"] =
          json::array({{{"version", v.installed_version}, {"status", "affected"}}});
    }
    out["affects"] = json::array({std::move(affects)});
    json props = json::array();
    add_property(props, "hivesec:fix_status", model::fix_status_name(v.status));
    for (const auto& fixed : v.fixed_versions) add_property(props, "hivesec:fixed_version", fixed);
    add_property(props, "hivesec:ecosystem", v.ecosystem);
    add_property(props, "hivesec:matched_name", v.matched_name);
    add_property(props, "hivesec:severity", model::severity_name(f.severity));
    add_property(props, "hivesec:severity_source", v.severity_source);
    add_property(props, "hivesec:location", f.evidence.path);
    add_property(props, "hivesec:layer", f.evidence.layer);
    if (!props.empty()) out["properties"] = std::move(props);
    return out;
  }

  // One entry per vulnerability finding, in the findings' order. No `analysis`: hivesec reports
  // what matched, not a triage verdict.
  json vulnerabilities() const {
    json out = json::array();
    for (const auto& f : r_.findings) {
      if (f.kind != model::FindingKind::kVulnerability) continue;
      out.push_back(vulnerability(f));
    }
    return out;
  }

  const model::ScanResult& r_;
  std::string spec_;
  std::string root_ref_;
  std::string os_ref_;
  std::vector<std::string> refs_;
  std::set<std::string> used_refs_;
  std::map<std::string, std::string> purl_to_ref_;
};

class CycloneDxWriter final : public Writer {
 public:
  CycloneDxWriter(std::string name, std::string spec)
      : name_(std::move(name)),
        spec_(std::move(spec)),
        description_("CycloneDX " + spec_ + " JSON SBOM") {}

  std::string_view name() const override { return name_; }
  std::string_view description() const override { return description_; }

  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::string text;
    try {
      text = BomBuilder(result, spec_).build().dump(2, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
      return make_error(Errc::kInternal, "{} report: {}", name_, e.what());
    }
    text.push_back('\n');
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(Errc::kIo, "{} report: write failed", name_);
    return ok_status();
  }

 private:
  std::string name_;
  std::string spec_;
  std::string description_;
};

}  // namespace

std::unique_ptr<Writer> make_cyclonedx_writer(std::string name, std::string spec_version) {
  return std::make_unique<CycloneDxWriter>(std::move(name), std::move(spec_version));
}

}  // namespace hivesec::report
