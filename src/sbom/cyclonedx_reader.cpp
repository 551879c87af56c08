// CycloneDX JSON 1.2-1.6 input, and the recognizer that refuses CycloneDX XML.
//
// Properties understood besides the standard fields: hivesec's own (hivesec:*, written by
// src/report/cyclonedx.cpp), syft's (syft:package:*, syft:metadata:*, syft:location:0:*) and
// trivy's (aquasecurity:trivy:*). Unknown properties are ignored.
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "sbom/component.h"
#include "sbom/format.h"
#include "common/json.h"
#include "sbom/reader.h"

namespace hivesec::sbom {

namespace {

using nlohmann::json;

std::string str(const json& obj, const char* key) { return json_string(obj, key); }

const json* array_at(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? &*it : nullptr;
}

// A component's properties, first value per name (names repeat only for lists we do not read).
class Properties {
 public:
  explicit Properties(const json& component) {
    const json* props = array_at(component, "properties");
    if (!props) return;
    for (const auto& p : *props) {
      std::string name = str(p, "name");
      if (!name.empty()) values_.emplace(std::move(name), str(p, "value"));
    }
  }
  std::string get(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? "" : it->second;
  }
  // The first non-empty of several names.
  std::string first(std::initializer_list<std::string_view> names) const {
    for (auto n : names) {
      if (std::string v = get(n); !v.empty()) return v;
    }
    return "";
  }
  const std::map<std::string, std::string, std::less<>>& all() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

std::vector<std::string> licenses_of(const json& component) {
  std::vector<std::string> out;
  const json* list = array_at(component, "licenses");
  if (!list) return out;
  for (const auto& e : *list) {
    if (std::string expr = str(e, "expression"); !expr.empty()) {
      out.push_back(std::move(expr));
      continue;
    }
    if (!e.is_object()) continue;
    auto lic = e.find("license");
    if (lic == e.end() || !lic->is_object()) continue;
    std::string v = str(*lic, "id");
    if (v.empty()) v = str(*lic, "name");
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

std::string strip_root(std::string s) {
  size_t n = 0;
  while (n < s.size() && s[n] == '/') ++n;
  return s.substr(n);
}

// trivy splits a source version in epoch, version and release.
std::string trivy_source_version(const Properties& props) {
  std::string v = props.get("aquasecurity:trivy:SrcVersion");
  if (v.empty()) return v;
  if (std::string rel = props.get("aquasecurity:trivy:SrcRelease"); !rel.empty()) v += "-" + rel;
  if (std::string epoch = props.get("aquasecurity:trivy:SrcEpoch"); !epoch.empty() && epoch != "0")
    v = epoch + ":" + v;
  return v;
}

ComponentFacts facts_of(const json& c) {
  Properties props(c);
  ComponentFacts f;
  f.purl = str(c, "purl");
  f.type = purl_type_for_tool_type(
      props.first({"hivesec:type", "syft:package:type", "aquasecurity:trivy:PkgType"}));
  f.group = str(c, "group");
  f.name = str(c, "name");
  f.version = str(c, "version");
  f.licenses = licenses_of(c);

  if (std::string s = props.get("hivesec:source_name"); !s.empty()) {
    f.source_name = s;
    f.source_version = props.get("hivesec:source_version");
  } else if (std::string t = props.get("aquasecurity:trivy:SrcName"); !t.empty()) {
    f.source_name = t;
    f.source_version = trivy_source_version(props);
  } else if (std::string y = props.get("syft:metadata:source"); !y.empty()) {
    f.source_name = y;
    f.source_version = props.get("syft:metadata:sourceVersion");
  } else {
    f.upstream = props.first({"syft:metadata:sourceRpm", "syft:metadata:originPackage"});
  }

  f.arch = props.get("hivesec:arch");
  f.location = props.get("hivesec:location");
  if (f.location.empty()) {
    auto evidence = c.find("evidence");
    const json* occ = evidence == c.end() ? nullptr : array_at(*evidence, "occurrences");
    if (occ && !occ->empty()) f.location = str(occ->front(), "location");
  }
  if (f.location.empty()) {
    f.location = props.first({"syft:location:0:path", "aquasecurity:trivy:FilePath"});
  }
  f.location = strip_root(std::move(f.location));
  f.layer =
      props.first({"hivesec:layer", "aquasecurity:trivy:LayerDiffID", "syft:location:0:layerID"});
  f.found_by = props.first({"hivesec:found_by", "syft:package:foundBy"});
  f.owner = props.get("hivesec:owner");
  f.dev = props.get("hivesec:dev") == "true";

  constexpr std::string_view kMeta = "hivesec:metadata:";
  for (const auto& [k, v] : props.all()) {
    if (k.starts_with(kMeta) && k.size() > kMeta.size()) f.metadata[k.substr(kMeta.size())] = v;
  }
  if (std::string d = str(c, "description"); !d.empty()) f.metadata.emplace("description", d);
  if (std::string go = props.get("syft:metadata:goCompiledVersion"); !go.empty()) {
    f.metadata.emplace("go_version", go);
  }
  if (std::string m = props.get("syft:metadata:mainModule"); !m.empty()) {
    f.metadata.emplace("main_module", m);
  }
  return f;
}

class Walker {
 public:
  explicit Walker(SbomContent& out) : out_(out) {}

  Status walk(const json& components, int depth) {
    if (depth > kMaxComponentDepth && !components.empty()) {
      return make_error(Errc::kLimit, "components nested deeper than {} levels",
                        kMaxComponentDepth);
    }
    for (const auto& c : components) {
      if (!c.is_object()) {
        return make_error(Errc::kInvalidArgument, "a component is not a JSON object");
      }
      HIVESEC_TRY_STATUS(component(c));
      if (const json* children = array_at(c, "components")) {
        HIVESEC_TRY_STATUS(walk(*children, depth + 1));
      }
    }
    return ok_status();
  }

 private:
  Status component(const json& c) {
    if (str(c, "type") == "operating-system") {
      os_component(c);
      return ok_status();
    }
    auto pkg = build_package(facts_of(c));
    if (!pkg) {
      ++out_.skipped;
      return ok_status();
    }
    if (out_.packages.size() >= kMaxSbomPackages) {
      return make_error(Errc::kLimit, "more than {} packages", kMaxSbomPackages);
    }
    out_.packages.push_back(std::move(*pkg));
    return ok_status();
  }

  void os_component(const json& c) {
    if (!out_.os.empty()) {
      if (!extra_os_noted_) {
        out_.notes.push_back("more than one operating-system component; the first one is used");
        extra_os_noted_ = true;
      }
      return;
    }
    Properties props(c);
    model::OsInfo& os = out_.os;
    os.family = normalize_os_family(str(c, "name"));
    os.version = str(c, "version");
    os.name = str(c, "description");
    if (os.name.empty()) os.name = str(c, "name");
    os.codename = props.get("hivesec:os_codename");
    os.source = props.get("hivesec:os_source");
  }

  SbomContent& out_;
  bool extra_os_noted_ = false;
};

class CycloneDxJsonReader final : public FormatReader {
 public:
  std::string_view name() const override { return "cyclonedx-json"; }

  bool detect(const SbomInput& in) const override {
    return in.json && str(*in.json, "bomFormat") == "CycloneDX";
  }

  Result<SbomContent> read(const SbomInput& in) const override {
    const json& bom = *in.json;
    std::string spec = str(bom, "specVersion");
    int major = 0, minor = 0;
    if (std::sscanf(spec.c_str(), "%d.%d", &major, &minor) != 2 || major < 1) {
      return make_error(Errc::kInvalidArgument, "CycloneDX document without a valid specVersion");
    }
    if (major == 1 && minor < 2) {
      return make_error(Errc::kUnsupported, "CycloneDX {} JSON is not supported (1.2 to 1.6 are)",
                        spec);
    }
    SbomContent out;
    out.format = "cyclonedx-" + spec;
    if (major > 1 || minor > 6) {
      out.notes.push_back("CycloneDX " + spec + " is newer than 1.6; read as 1.6");
    }
    Walker walker(out);
    if (auto m = bom.find("metadata"); m != bom.end() && m->is_object()) {
      if (auto root = m->find("component"); root != m->end() && root->is_object()) {
        out.subject = str(*root, "name");
        // The subject itself is not a package; what it is made of is.
        if (const json* parts = array_at(*root, "components")) {
          HIVESEC_TRY_STATUS(walker.walk(*parts, 1));
        }
      }
    }
    if (auto comps = bom.find("components"); comps != bom.end()) {
      if (!comps->is_array()) {
        return make_error(Errc::kInvalidArgument, "CycloneDX components is not an array");
      }
      HIVESEC_TRY_STATUS(walker.walk(*comps, 0));
    }
    return out;
  }
};

// CycloneDX XML: recognized so the user learns what to do instead of "unknown format".
class CycloneDxXmlReader final : public FormatReader {
 public:
  std::string_view name() const override { return "cyclonedx-xml"; }

  bool detect(const SbomInput& in) const override {
    if (in.json) return false;
    std::string_view head = in.bytes.substr(0, 4096);
    size_t start = head.find_first_not_of(" \t\r\n");
    return start != std::string_view::npos && head[start] == '<' &&
           head.find("cyclonedx.org/schema/bom") != std::string_view::npos;
  }

  Result<SbomContent> read(const SbomInput&) const override {
    return make_error(Errc::kUnsupported,
                      "CycloneDX XML is not supported; convert it to CycloneDX JSON first");
  }
};

}  // namespace

std::unique_ptr<FormatReader> make_cyclonedx_json_reader() {
  return std::make_unique<CycloneDxJsonReader>();
}

std::unique_ptr<FormatReader> make_cyclonedx_xml_reader() {
  return std::make_unique<CycloneDxXmlReader>();
}

}  // namespace hivesec::sbom
