#include "image/oci_layout.h"

#include <nlohmann/json.hpp>
#include <set>

#include "image/json_util.h"
#include "image/oci_image.h"

namespace hivesec::image::detail {

using nlohmann::json;

namespace {

constexpr const char* kRefName = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdName = "io.containerd.image.name";

// The names an index entry answers to.
std::vector<std::string> entry_names(const json& d) {
  std::vector<std::string> names;
  auto a = d.find("annotations");
  if (a == d.end() || !a->is_object()) return names;
  if (auto it = a->find(kRefName); it != a->end() && it->is_string()) {
    names.push_back(it->get<std::string>());
  }
  if (auto it = a->find(kContainerdName); it != a->end() && it->is_string()) {
    names.push_back(it->get<std::string>());
  }
  return names;
}

bool name_matches(const std::string& name, const std::string& tag) {
  if (name == tag) return true;
  // "docker.io/library/foo:1" answers to "foo:1" and "1".
  size_t slash = name.rfind('/');
  std::string last = slash == std::string::npos ? name : name.substr(slash + 1);
  if (last == tag) return true;
  size_t colon = last.rfind(':');
  return colon != std::string::npos && last.substr(colon + 1) == tag;
}

}  // namespace

Status check_oci_layout_marker(const std::string& content) {
  HIVESEC_TRY(json j, parse_json(content, "oci-layout"));
  if (!j.is_object() || !j.contains("imageLayoutVersion") || !j["imageLayoutVersion"].is_string()) {
    return make_error(Errc::kCorrupt, "oci-layout: missing imageLayoutVersion");
  }
  std::string v = j["imageLayoutVersion"].get<std::string>();
  if (!v.starts_with("1.")) {
    return make_error(Errc::kUnsupported, "oci-layout: unsupported layout version '{}'", v);
  }
  return ok_status();
}

Result<std::unique_ptr<ImageSource>> open_oci_layout(
    std::shared_ptr<const BlobStore> store, const std::string& index_json, const std::string& name,
    const std::string& source, const std::string& tag, const std::optional<Platform>& platform) {
  HIVESEC_TRY(json index, parse_json(index_json, "index.json"));
  if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
    return make_error(Errc::kCorrupt, "index.json: no manifest list");
  }
  json selected = json::array();
  std::set<std::string> all_names;
  std::string available;
  for (const json& d : index["manifests"]) {
    if (!d.is_object()) return make_error(Errc::kCorrupt, "index.json: bad manifest entry");
    auto names = entry_names(d);
    if (!names.empty()) {
      all_names.insert(names[0]);
      if (!available.empty()) available += ", ";
      available += names[0];
    }
    bool match = tag.empty();
    for (const auto& n : names) match = match || name_matches(n, tag);
    if (match) selected.push_back(d);
  }
  if (selected.empty()) {
    if (tag.empty()) return make_error(Errc::kNotFound, "index.json lists no images");
    return make_error(Errc::kNotFound, "no image named '{}' in the layout (available: {})", tag,
                      available.empty() ? "none" : available);
  }
  if (tag.empty() && all_names.size() > 1) {
    return make_error(Errc::kInvalidArgument,
                      "the layout holds several images ({}); add ':<name>' to pick one", available);
  }
  std::string top;
  if (selected.size() == 1 && index["manifests"].size() == 1) {
    top = index_json;
  } else {
    json filtered = index;
    filtered["manifests"] = selected;
    top = filtered.dump();
  }
  HIVESEC_TRY(ImageMeta meta, resolve_oci_image(*store, top, "", platform));
  meta.name = name;
  meta.source = source;
  if (!tag.empty()) meta.repo_tags.push_back(tag);
  return make_blob_store_source(std::move(store), std::move(meta));
}

}  // namespace hivesec::image::detail
