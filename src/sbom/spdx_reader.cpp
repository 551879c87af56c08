// SPDX 2.2 / 2.3 input, JSON and tag-value (the latter converted to the JSON shape first).
//
// Packages with a purl external reference become packages; the described package(s) are the
// subject, not packages; a package whose purpose is OPERATING-SYSTEM is the OS. What
// src/report/spdx.cpp writes is read back: the source package from sourceInfo, analyzer,
// location and layer from the comment, everything else from "hivesec:<key>: <value>"
// annotations. trivy's sourceInfo and LayerDiffID/FilePath/PkgType annotations are read too.
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sbom/component.h"
#include "sbom/format.h"
#include "common/json.h"
#include "sbom/reader.h"
#include "sbom/spdx_tag_value.h"

namespace hivesec::sbom {

namespace {

using nlohmann::json;

std::string str(const json& obj, const char* key) { return json_string(obj, key); }

const json& array_or_empty(const json& obj, const char* key) {
  static const json kEmpty = json::array();
  if (!obj.is_object()) return kEmpty;
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? *it : kEmpty;
}

bool is_no_value(std::string_view v) { return v.empty() || v == "NOASSERTION" || v == "NONE"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "(A OR B) AND C" -> {"A OR B", "C"}: the writer joins a package's licenses with AND.
std::vector<std::string> split_top_level_and(std::string_view expr) {
  std::vector<std::string> parts;
  int depth = 0;
  size_t start = 0;
  auto push = [&](std::string_view p) {
    p = trim(p);
    // Drop one pair of parentheses that wraps the whole part.
    if (p.size() >= 2 && p.front() == '(' && p.back() == ')') {
      int d = 0;
      bool wraps = true;
      for (size_t i = 0; i < p.size(); ++i) {
        d += p[i] == '(' ? 1 : p[i] == ')' ? -1 : 0;
        if (d == 0 && i + 1 < p.size()) wraps = false;
      }
      if (wraps) p = trim(p.substr(1, p.size() - 2));
    }
    if (!p.empty()) parts.emplace_back(p);
  };
  for (size_t i = 0; i < expr.size(); ++i) {
    char c = expr[i];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && c == ' ' && expr.substr(i).starts_with(" AND ")) {
      push(expr.substr(start, i - start));
      start = i + 5;
      i += 4;
    }
  }
  push(expr.substr(start));
  return parts;
}

struct Document {
  std::set<std::string> described;
  std::map<std::string, std::string> license_names;  // LicenseRef-x -> the text it stands for
};

std::vector<std::string> licenses_of(const json& pkg, const Document& d) {
  std::string expr = str(pkg, "licenseDeclared");
  if (is_no_value(expr)) expr = str(pkg, "licenseConcluded");
  if (is_no_value(expr)) return {};
  std::vector<std::string> out;
  for (auto& part : split_top_level_and(expr)) {
    auto it = d.license_names.find(part);
    out.push_back(it != d.license_names.end() ? it->second : std::move(part));
  }
  return out;
}

// Annotations as key -> value: hivesec's "hivesec:<key>: <value>" and trivy's "<Key>: <value>".
std::map<std::string, std::string> annotation_values(const json& pkg) {
  std::map<std::string, std::string> out;
  for (const auto& a : array_or_empty(pkg, "annotations")) {
    std::string comment = str(a, "comment");
    std::string_view c = trim(comment);
    size_t sep = c.find(": ");
    if (sep == std::string_view::npos || sep == 0) continue;
    out.emplace(std::string(c.substr(0, sep)), std::string(c.substr(sep + 2)));
  }
  return out;
}

// The comment hivesec's writer puts on a package: "found by: X; location: Y; layer: Z", each part
// optional. A "; " inside a value stays in it unless a known key follows.
std::vector<std::pair<std::string, std::string>> hivesec_comment(std::string_view comment) {
  static constexpr std::string_view kKeys[] = {"found by", "location", "layer"};
  auto key_at = [](std::string_view s) -> std::string_view {
    for (auto k : kKeys) {
      if (s.starts_with(k) && s.substr(k.size()).starts_with(": ")) return k;
    }
    return {};
  };
  std::vector<std::pair<std::string, std::string>> out;
  if (key_at(comment).empty()) return out;
  while (!comment.empty()) {
    std::string_view key = key_at(comment);
    comment.remove_prefix(key.size() + 2);
    size_t end = 0;
    for (end = comment.find("; "); end != std::string_view::npos;
         end = comment.find("; ", end + 2)) {
      if (!key_at(comment.substr(end + 2)).empty()) break;
    }
    out.emplace_back(std::string(key), std::string(comment.substr(0, end)));
    comment = end == std::string_view::npos ? std::string_view{} : comment.substr(end + 2);
  }
  return out;
}

ComponentFacts facts_of(const json& pkg, const Document& d) {
  ComponentFacts f;
  for (const auto& ref : array_or_empty(pkg, "externalRefs")) {
    if (str(ref, "referenceType") == "purl") {
      f.purl = str(ref, "referenceLocator");
      break;
    }
  }
  f.name = str(pkg, "name");
  f.version = str(pkg, "versionInfo");
  if (is_no_value(f.version)) f.version.clear();
  f.licenses = licenses_of(pkg, d);
  auto ann = annotation_values(pkg);
  auto get = [&ann](const std::string& k) {
    auto it = ann.find(k);
    return it == ann.end() ? std::string() : it->second;
  };

  f.type =
      purl_type_for_tool_type(!get("hivesec:type").empty() ? get("hivesec:type") : get("PkgType"));
  if (auto src = get("hivesec:source_name"); !src.empty()) {
    f.source_name = src;
    f.source_version = get("hivesec:source_version");
  } else if (auto s = parse_source_info(str(pkg, "sourceInfo"))) {
    f.source_name = s->first;
    f.source_version = s->second;
  }
  f.arch = get("hivesec:arch");
  f.location = get("hivesec:location");
  f.layer = get("hivesec:layer");
  f.found_by = get("hivesec:found_by");
  f.owner = get("hivesec:owner");
  f.dev = get("hivesec:dev") == "true";
  if (f.layer.empty()) f.layer = get("LayerDiffID");
  if (f.location.empty()) f.location = get("FilePath");

  for (auto& [key, value] : hivesec_comment(str(pkg, "comment"))) {
    std::string& slot = key == "found by" ? f.found_by : key == "location" ? f.location : f.layer;
    if (slot.empty()) slot = std::move(value);
  }
  while (!f.location.empty() && f.location.front() == '/') f.location.erase(0, 1);

  constexpr std::string_view kMeta = "hivesec:metadata:";
  for (const auto& [k, v] : ann) {
    if (k.starts_with(kMeta) && k.size() > kMeta.size()) f.metadata[k.substr(kMeta.size())] = v;
  }
  if (std::string desc = str(pkg, "description"); !desc.empty()) {
    f.metadata.emplace("description", desc);
  }
  return f;
}

bool is_os_purpose(std::string_view p) {
  return p == "OPERATING_SYSTEM" || p == "OPERATING-SYSTEM";
}

Result<SbomContent> read_spdx(const json& doc, std::string_view serialization) {
  std::string version = str(doc, "spdxVersion");
  if (!version.starts_with("SPDX-2.")) {
    return make_error(Errc::kUnsupported, "SPDX version '{}' is not supported (2.2 and 2.3 are)",
                      version.substr(0, 40));
  }
  SbomContent out;
  out.format = "spdx-" + version.substr(5) + std::string(serialization);

  Document d;
  for (const auto& id : array_or_empty(doc, "documentDescribes")) {
    if (id.is_string()) d.described.insert(id.get<std::string>());
  }
  std::string doc_id = str(doc, "SPDXID");
  if (doc_id.empty()) doc_id = "SPDXRef-DOCUMENT";
  for (const auto& r : array_or_empty(doc, "relationships")) {
    std::string type = str(r, "relationshipType");
    if (type == "DESCRIBES" && str(r, "spdxElementId") == doc_id) {
      d.described.insert(str(r, "relatedSpdxElement"));
    } else if (type == "DESCRIBED_BY" && str(r, "relatedSpdxElement") == doc_id) {
      d.described.insert(str(r, "spdxElementId"));
    }
  }
  d.described.erase("");
  for (const auto& info : array_or_empty(doc, "hasExtractedLicensingInfos")) {
    std::string id = str(info, "licenseId"), name = str(info, "name");
    if (!id.empty() && !is_no_value(name) && name != id) d.license_names.emplace(id, name);
  }

  if (auto it = doc.find("packages"); it != doc.end() && !it->is_array()) {
    return make_error(Errc::kInvalidArgument, "SPDX packages is not an array");
  }
  bool extra_os_noted = false;
  for (const auto& pkg : array_or_empty(doc, "packages")) {
    if (!pkg.is_object())
      return make_error(Errc::kInvalidArgument, "an SPDX package is not an object");
    std::string id = str(pkg, "SPDXID");
    if (d.described.contains(id)) {
      if (out.subject.empty()) out.subject = str(pkg, "name");
      continue;
    }
    if (is_os_purpose(str(pkg, "primaryPackagePurpose"))) {
      if (!out.os.empty()) {
        if (!extra_os_noted)
          out.notes.push_back("more than one OPERATING-SYSTEM package; the first one is used");
        extra_os_noted = true;
        continue;
      }
      auto ann = annotation_values(pkg);
      out.os.family = normalize_os_family(str(pkg, "name"));
      out.os.version = str(pkg, "versionInfo");
      if (is_no_value(out.os.version)) out.os.version.clear();
      out.os.name = str(pkg, "description");
      if (out.os.name.empty()) out.os.name = str(pkg, "name");
      out.os.codename = ann["hivesec:os_codename"];
      out.os.source = ann["hivesec:os_source"];
      continue;
    }
    auto p = build_package(facts_of(pkg, d));
    if (!p) {
      ++out.skipped;
      continue;
    }
    if (out.packages.size() >= kMaxSbomPackages) {
      return make_error(Errc::kLimit, "more than {} packages", kMaxSbomPackages);
    }
    out.packages.push_back(std::move(*p));
  }
  if (out.subject.empty()) out.subject = str(doc, "name");
  return out;
}

class SpdxJsonReader final : public FormatReader {
 public:
  std::string_view name() const override { return "spdx-json"; }
  bool detect(const SbomInput& in) const override {
    if (!in.json) return false;
    if (in.json->contains("spdxVersion")) return true;
    // SPDX 3 JSON-LD: recognized so that it is refused by name.
    auto ctx = in.json->find("@context");
    return ctx != in.json->end() && ctx->dump().find("spdx.org/rdf/3") != std::string::npos;
  }
  Result<SbomContent> read(const SbomInput& in) const override {
    if (!in.json->contains("spdxVersion")) {
      return make_error(Errc::kUnsupported, "SPDX 3 is not supported (2.2 and 2.3 are)");
    }
    return read_spdx(*in.json, "");
  }
};

class SpdxTagValueReader final : public FormatReader {
 public:
  std::string_view name() const override { return "spdx-tag-value"; }
  bool detect(const SbomInput& in) const override {
    return !in.json && looks_like_spdx_tag_value(in.bytes);
  }
  Result<SbomContent> read(const SbomInput& in) const override {
    HIVESEC_TRY(json doc, spdx_tag_value_to_json(in.bytes));
    return read_spdx(doc, "-tag-value");
  }
};

}  // namespace

std::unique_ptr<FormatReader> make_spdx_json_reader() { return std::make_unique<SpdxJsonReader>(); }

std::unique_ptr<FormatReader> make_spdx_tag_value_reader() {
  return std::make_unique<SpdxTagValueReader>();
}

}  // namespace hivesec::sbom
