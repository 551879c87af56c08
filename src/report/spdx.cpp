// "spdx": an SPDX 2.3 JSON document of the scanned inventory. src/sbom reads it back without
// loss: the source package is in sourceInfo ("built from source package NAME [VERSION]"), the
// analyzer, location and layer in the comment ("found by: X; location: Y; layer: Z"), and the
// rest SPDX has no field for (owner, dev, metadata, ...) in "hivesec:<key>: <value>" annotations.
// License strings that are not valid SPDX expressions become LicenseRef-... ids declared in
// hasExtractedLicensingInfos, so consumers that parse expressions never reject the document.
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/hash.h"
#include "model/purl.h"
#include "report/license.h"
#include "report/util.h"

namespace hivesec::report {

namespace {

using nlohmann::json;

constexpr std::string_view kNoAssertion = "NOASSERTION";

using model::is_os_package_type;

class SpdxBuilder {
 public:
  explicit SpdxBuilder(const model::ScanResult& r) : r_(r) {}

  json build() {
    std::string name = asset_display_name(r_);
    json doc = {
        {"spdxVersion", "SPDX-2.3"},
        {"dataLicense", "CC0-1.0"},
        {"SPDXID", "SPDXRef-DOCUMENT"},
        {"name", name},
        {"documentNamespace",
         "https://hivesec.dev/spdxdocs/" + spdx_idstring(name, 100) + "-" + random_uuid_v4()},
        {"creationInfo",
         {{"created", document_timestamp(r_.scanned_at)},
          {"creators", json::array({"Tool: hivesec-" + r_.tool_version})},
          {"licenseListVersion", "3.28"}}},
    };
    json packages = json::array();
    json relationships = json::array();

    std::string root_id = root_package(packages);
    relationships.push_back(rel("SPDXRef-DOCUMENT", "DESCRIBES", root_id));

    std::string os_id;
    if (!r_.os.empty()) {
      os_id = unique_id("SPDXRef-OperatingSystem-" +
                        spdx_idstring(r_.os.family + "-" + r_.os.version, 80));
      json os = {{"SPDXID", os_id},
                 {"name", r_.os.family},
                 {"downloadLocation", kNoAssertion},
                 {"filesAnalyzed", false},
                 {"primaryPackagePurpose", "OPERATING_SYSTEM"},
                 {"licenseConcluded", kNoAssertion},
                 {"licenseDeclared", kNoAssertion},
                 {"copyrightText", kNoAssertion}};
      if (!r_.os.version.empty()) os["versionInfo"] = r_.os.version;
      if (!r_.os.name.empty()) os["description"] = r_.os.name;
      json notes = json::array();
      annotate(notes, "os_codename", r_.os.codename);
      annotate(notes, "os_source", r_.os.source);
      if (!notes.empty()) os["annotations"] = std::move(notes);
      packages.push_back(std::move(os));
      relationships.push_back(rel(root_id, "CONTAINS", os_id));
    }

    std::vector<std::string> ids;
    std::map<std::string, std::string> purl_to_id;
    ids.reserve(r_.packages.size());
    for (const auto& p : r_.packages) {
      std::string id = package_id(p);
      if (!p.purl.empty()) purl_to_id.emplace(p.purl, id);
      packages.push_back(package_json(p, id));
      ids.push_back(std::move(id));
    }
    for (std::size_t i = 0; i < r_.packages.size(); ++i) {
      relationships.push_back(rel(root_id, "CONTAINS", ids[i]));
      const model::Package& p = r_.packages[i];
      if (auto it = purl_to_id.find(p.owner);
          !p.owner.empty() && it != purl_to_id.end() && it->second != ids[i]) {
        relationships.push_back(rel(it->second, "CONTAINS", ids[i]));
      } else if (!os_id.empty() && is_os_package_type(p.type)) {
        relationships.push_back(rel(os_id, "CONTAINS", ids[i]));
      }
    }

    doc["packages"] = std::move(packages);
    doc["relationships"] = std::move(relationships);
    if (!extracted_.empty()) {
      json infos = json::array();
      for (const auto& [text, id] : extracted_) {
        bool named_only = text == "(" + id + ")";
        infos.push_back(
            {{"licenseId", id},
             {"name", named_only ? id : text},
             {"extractedText",
              named_only ? "The package metadata names " + id + " without its text." : text},
             {"comment", named_only ? "license reference as found in the package metadata"
                                    : "license as found in the package metadata"}});
      }
      doc["hasExtractedLicensingInfos"] = std::move(infos);
    }
    return doc;
  }

 private:
  static json rel(const std::string& a, std::string_view type, const std::string& b) {
    return {{"spdxElementId", a}, {"relationshipType", type}, {"relatedSpdxElement", b}};
  }

  // An annotation "hivesec:<key>: <value>" (the keys of the CycloneDX properties) for each fact
  // SPDX has no field for, so src/sbom reads the document back without loss.
  void annotate(json& list, std::string_view key, const std::string& value) const {
    if (value.empty()) return;
    list.push_back({{"annotationDate", document_timestamp(r_.scanned_at)},
                    {"annotationType", "OTHER"},
                    {"annotator", "Tool: hivesec-" + r_.tool_version},
                    {"comment", "hivesec:" + std::string(key) + ": " + value}});
  }

  // Only what the purl, sourceInfo and comment do not already say: the annotations are the
  // bulk of the document otherwise.
  json package_annotations(const model::Package& p) const {
    json list = json::array();
    auto purl = model::parse_purl(p.purl);
    if (!purl.ok()) annotate(list, "type", p.type);
    std::string purl_arch;
    if (purl.ok()) {
      auto q = purl->qualifiers.find(p.type == "gem" ? "platform" : "arch");
      if (q != purl->qualifiers.end()) purl_arch = q->second;
    }
    if (purl_arch != p.arch) annotate(list, "arch", p.arch);
    // The comment cannot be split back when a value contains its separator.
    auto has_sep = [](const std::string& s) { return s.find("; ") != std::string::npos; };
    if (has_sep(p.found_by) || has_sep(p.location) || has_sep(p.layer)) {
      annotate(list, "found_by", p.found_by);
      annotate(list, "location", p.location);
      annotate(list, "layer", p.layer);
    }
    annotate(list, "owner", p.owner);
    if (p.dev) annotate(list, "dev", "true");
    for (const auto& [k, v] : p.metadata) {
      if (k != "description") annotate(list, "metadata:" + k, v);
    }
    return list;
  }

  std::string unique_id(std::string base) {
    std::string id = base;
    for (int n = 2; !used_ids_.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    return id;
  }

  std::string root_package(json& packages) {
    std::string name = asset_display_name(r_);
    json root = {{"name", name},
                 {"downloadLocation", kNoAssertion},
                 {"filesAnalyzed", false},
                 {"licenseConcluded", kNoAssertion},
                 {"licenseDeclared", kNoAssertion},
                 {"copyrightText", kNoAssertion}};
    std::string id;
    if (r_.image) {
      const image::ImageMeta& m = *r_.image;
      id = unique_id("SPDXRef-Image-" + spdx_idstring(name, 80));
      root["primaryPackagePurpose"] = "CONTAINER";
      const std::string& digest = !m.manifest_digest.empty() ? m.manifest_digest : m.image_id;
      if (!digest.empty()) root["versionInfo"] = digest;
      if (std::string purl = image_purl(m); !purl.empty()) {
        root["externalRefs"] = json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                             {"referenceType", "purl"},
                                             {"referenceLocator", purl}}});
      }
      if (!m.image_id.empty() && m.image_id.starts_with("sha256:") && m.image_id.size() == 71) {
        root["checksums"] =
            json::array({{{"algorithm", "SHA256"}, {"checksumValue", m.image_id.substr(7)}}});
      }
    } else {
      id = unique_id("SPDXRef-Asset-" + spdx_idstring(name, 80));
      root["primaryPackagePurpose"] =
          r_.asset.kind == model::AssetKind::kSbom ? "APPLICATION" : "FILE";
      if (!r_.asset.id.empty()) root["comment"] = "asset id: " + r_.asset.id;
    }
    root["SPDXID"] = id;
    packages.push_back(std::move(root));
    return id;
  }

  // Stable across runs: a readable part plus a short hash of the package identity.
  std::string package_id(const model::Package& p) {
    std::string readable = spdx_idstring(p.type + "-" + p.name + "-" + p.version, 80);
    return unique_id("SPDXRef-Package-" + readable + "-" + sha256_hex(p.key()).substr(0, 12));
  }

  // A LicenseRef for free text; the same text always maps to the same id within one document.
  std::string license_ref(const std::string& text) {
    if (auto it = extracted_.find(text); it != extracted_.end()) return it->second;
    std::string base = "LicenseRef-" + spdx_idstring(text, 64);
    std::string id = base;
    for (int n = 2; !used_license_refs_.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    extracted_.emplace(text, id);
    return id;
  }

  // A LicenseRef the metadata already named: declared so the document stays self-contained.
  void declare_existing_ref(const std::string& id) {
    if (!used_license_refs_.insert(id).second) return;
    extracted_.emplace("(" + id + ")", id);
  }

  // One license string as an SPDX expression: known ids kept, each unknown term of a
  // grammatical expression made its own LicenseRef, anything else one LicenseRef for the text.
  std::string license_expression(std::string_view raw) {
    auto any_term = [](std::string_view t) -> std::optional<std::string> { return std::string(t); };
    if (!normalize_license_expression(raw, any_term)) return license_ref(std::string(raw));
    auto mapped = normalize_license_expression(
        raw, [this](std::string_view term) -> std::optional<std::string> {
          auto known = known_license_leaf(term);
          if (known && known->starts_with("LicenseRef-")) {
            declare_existing_ref(*known);
            return known;
          }
          if (known && !known->starts_with("DocumentRef-")) return known;
          return license_ref(std::string(term));
        });
    return mapped ? *mapped : license_ref(std::string(raw));
  }

  std::string declared_license(const std::vector<std::string>& licenses) {
    std::vector<std::string> parts;
    std::set<std::string> seen;
    for (const auto& raw : licenses) {
      std::string_view t = raw;
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
      if (t.empty()) continue;
      std::string expr = license_expression(t);
      if (seen.insert(expr).second) parts.push_back(std::move(expr));
    }
    if (parts.empty()) return std::string(kNoAssertion);
    if (parts.size() == 1) return parts.front();
    std::string out;
    for (const auto& e : parts) {
      if (!out.empty()) out += " AND ";
      out += is_compound_expression(e) ? "(" + e + ")" : e;
    }
    return out;
  }

  json package_json(const model::Package& p, const std::string& id) {
    bool application = p.metadata.contains("main_module") && p.metadata.at("main_module") == p.name;
    json j = {{"SPDXID", id},
              {"name", p.name.empty() ? "unknown" : p.name},
              {"downloadLocation", kNoAssertion},
              {"filesAnalyzed", false},
              {"primaryPackagePurpose", application ? "APPLICATION" : "LIBRARY"},
              {"licenseConcluded", kNoAssertion},
              {"licenseDeclared", declared_license(p.licenses)},
              {"copyrightText", kNoAssertion}};
    if (!p.version.empty()) j["versionInfo"] = p.version;
    if (!p.purl.empty()) {
      j["externalRefs"] = json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                        {"referenceType", "purl"},
                                        {"referenceLocator", p.purl}}});
    }
    if (!p.source_name.empty()) {
      j["sourceInfo"] = "built from source package " + p.source_name +
                        (p.source_version.empty() ? "" : " " + p.source_version);
    }
    std::string comment;
    auto note = [&](std::string_view key, const std::string& v) {
      if (v.empty()) return;
      if (!comment.empty()) comment += "; ";
      comment += std::string(key) + ": " + v;
    };
    note("found by", p.found_by);
    note("location", p.location);
    note("layer", p.layer);
    if (!comment.empty()) j["comment"] = comment;
    if (auto it = p.metadata.find("description"); it != p.metadata.end() && !it->second.empty()) {
      j["description"] = it->second;
    }
    if (json notes = package_annotations(p); !notes.empty()) j["annotations"] = std::move(notes);
    if (auto it = p.metadata.find("homepage");
        it != p.metadata.end() && it->second.starts_with("http") &&
        it->second.find_first_of(" \t\r\n\"<>") == std::string::npos) {
      j["homepage"] = it->second;
    }
    return j;
  }

  const model::ScanResult& r_;
  std::set<std::string> used_ids_{"SPDXRef-DOCUMENT"};
  std::map<std::string, std::string> extracted_;  // original text -> LicenseRef id
  std::set<std::string> used_license_refs_;
};

class SpdxWriter final : public Writer {
 public:
  std::string_view name() const override { return "spdx"; }
  std::string_view description() const override { return "SPDX 2.3 JSON SBOM"; }

  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::string text;
    try {
      text = SpdxBuilder(result).build().dump(2, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
      return make_error(Errc::kInternal, "spdx report: {}", e.what());
    }
    text.push_back('\n');
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(Errc::kIo, "spdx report: write failed");
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Writer> make_spdx_writer() { return std::make_unique<SpdxWriter>(); }

}  // namespace hivesec::report
