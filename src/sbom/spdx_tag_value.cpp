#include "sbom/spdx_tag_value.h"

#include <cctype>
#include <map>
#include <optional>
#include <vector>

namespace hivesec::sbom {

namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Package tags and the JSON field each one fills.
const std::map<std::string_view, std::string_view>& package_fields() {
  static const std::map<std::string_view, std::string_view> k{
      {"PackageVersion", "versionInfo"},
      {"PackageLicenseDeclared", "licenseDeclared"},
      {"PackageLicenseConcluded", "licenseConcluded"},
      {"PrimaryPackagePurpose", "primaryPackagePurpose"},
      {"PackageSourceInfo", "sourceInfo"},
      {"PackageComment", "comment"},
      {"PackageDescription", "description"},
      {"PackageHomePage", "homepage"},
  };
  return k;
}

class Builder {
 public:
  Builder() {
    doc_ = {{"packages", json::array()},
            {"relationships", json::array()},
            {"documentDescribes", json::array()},
            {"hasExtractedLicensingInfos", json::array()}};
  }

  void tag(std::string_view tag, std::string_view value) {
    std::string v(value);
    if (tag == "SPDXVersion") {
      if (!doc_.contains("spdxVersion")) doc_["spdxVersion"] = v;
    } else if (tag == "DocumentName") {
      doc_["name"] = v;
    } else if (tag == "PackageName") {
      doc_["packages"].push_back({{"name", v}});
      section_ = Section::kPackage;
      package_ = doc_["packages"].size() - 1;
    } else if (tag == "FileName") {
      section_ = Section::kFile;
    } else if (tag == "SnippetSPDXID") {
      section_ = Section::kSnippet;
    } else if (tag == "LicenseID") {
      doc_["hasExtractedLicensingInfos"].push_back({{"licenseId", v}});
      section_ = Section::kLicense;
    } else if (tag == "LicenseName" || tag == "ExtractedText") {
      if (section_ == Section::kLicense) {
        doc_["hasExtractedLicensingInfos"].back()[tag == "LicenseName" ? "name" : "extractedText"] =
            v;
      }
    } else if (tag == "SPDXID") {
      if (section_ == Section::kDocument) doc_["SPDXID"] = v;
      if (json* p = current_package(); p && !p->contains("SPDXID")) (*p)["SPDXID"] = v;
    } else if (tag == "ExternalRef") {
      auto w = words(value);
      if (json* p = current_package(); p && w.size() >= 3) {
        (*p)["externalRefs"].push_back({{"referenceCategory", std::string(w[0])},
                                        {"referenceType", std::string(w[1])},
                                        {"referenceLocator", std::string(w[2])}});
      }
    } else if (tag == "Relationship") {
      auto w = words(value);
      if (w.size() >= 3) {
        doc_["relationships"].push_back({{"spdxElementId", std::string(w[0])},
                                         {"relationshipType", std::string(w[1])},
                                         {"relatedSpdxElement", std::string(w[2])}});
        if (w[0] == "SPDXRef-DOCUMENT" && w[1] == "DESCRIBES") {
          doc_["documentDescribes"].push_back(std::string(w[2]));
        }
      }
    } else if (tag == "Annotator") {
      annotations_.push_back({json{{"annotator", v}}, current_package() ? package_ : kNone});
    } else if (tag == "AnnotationDate" || tag == "AnnotationType" || tag == "SPDXREF" ||
               tag == "AnnotationComment") {
      if (annotations_.empty()) return;
      static const std::map<std::string_view, const char*> kAnn{
          {"AnnotationDate", "annotationDate"},
          {"AnnotationType", "annotationType"},
          {"SPDXREF", "spdxRef"},
          {"AnnotationComment", "comment"}};
      annotations_.back().body[kAnn.at(tag)] = v;
    } else if (auto f = package_fields().find(tag); f != package_fields().end()) {
      if (json* p = current_package()) (*p)[std::string(f->second)] = v;
    }
  }

  json finish() {
    // Annotations belong to the element SPDXREF names, else to the package they followed.
    std::map<std::string, size_t> by_id;
    json& pkgs = doc_["packages"];
    for (size_t i = 0; i < pkgs.size(); ++i) {
      if (auto it = pkgs[i].find("SPDXID"); it != pkgs[i].end() && it->is_string()) {
        by_id.emplace(it->get<std::string>(), i);
      }
    }
    for (auto& a : annotations_) {
      size_t target = a.package;
      if (auto it = a.body.find("spdxRef"); it != a.body.end()) {
        auto hit = by_id.find(it->get<std::string>());
        target = hit == by_id.end() ? kNone : hit->second;
        a.body.erase("spdxRef");
      }
      if (target != kNone) pkgs[target]["annotations"].push_back(std::move(a.body));
    }
    return std::move(doc_);
  }

 private:
  enum class Section { kDocument, kPackage, kFile, kSnippet, kLicense };
  static constexpr size_t kNone = static_cast<size_t>(-1);
  struct Annotation {
    json body;
    size_t package;
  };

  json* current_package() {
    return section_ == Section::kPackage ? &doc_["packages"][package_] : nullptr;
  }

  json doc_;
  Section section_ = Section::kDocument;
  size_t package_ = 0;
  std::vector<Annotation> annotations_;
};

}  // namespace

bool looks_like_spdx_tag_value(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = trim(text.substr(pos, eol == std::string_view::npos ? eol : eol - pos));
    if (!line.empty() && line.front() != '#') return line.starts_with("SPDXVersion:");
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return false;
}

Result<json> spdx_tag_value_to_json(std::string_view text) {
  if (!looks_like_spdx_tag_value(text)) {
    return make_error(Errc::kInvalidArgument, "SPDX tag-value must start with SPDXVersion");
  }
  Builder b;
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') {
      pos = eol + 1;
      continue;
    }
    size_t colon = line.find(':');
    std::string_view tag = colon == std::string_view::npos ? "" : trim(line.substr(0, colon));
    if (tag.empty() || tag.find_first_of(" \t") != std::string_view::npos) {
      return make_error(Errc::kInvalidArgument, "SPDX tag-value line {}: expected \"Tag: value\"",
                        line_no);
    }
    size_t vstart = pos + colon + 1;
    while (vstart < eol && (text[vstart] == ' ' || text[vstart] == '\t')) ++vstart;
    constexpr std::string_view kOpen = "<text>", kClose = "</text>";
    if (text.substr(vstart).starts_with(kOpen)) {
      size_t close = text.find(kClose, vstart + kOpen.size());
      if (close == std::string_view::npos) {
        return make_error(Errc::kInvalidArgument, "SPDX tag-value line {}: <text> without </text>",
                          line_no);
      }
      std::string_view value = text.substr(vstart + kOpen.size(), close - vstart - kOpen.size());
      for (char c : value) line_no += c == '\n';
      b.tag(tag, value);
      eol = text.find('\n', close);
      if (eol == std::string_view::npos) break;
    } else {
      b.tag(tag, trim(line.substr(colon + 1)));
    }
    pos = eol + 1;
  }
  return b.finish();
}

}  // namespace hivesec::sbom
