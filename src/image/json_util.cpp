#include "image/json_util.h"

#include "common/json.h"

namespace hivesec::image::detail {

using nlohmann::json;

Result<json> parse_json(std::string_view text, std::string_view what) {
  auto r = parse_json_bounded(text, kMaxJsonDepth);
  if (!r.ok()) return make_error(Errc::kCorrupt, "{}: {}", what, r.error().message);
  return r;
}

std::string opt_string(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  return it->get<std::string>();
}

std::vector<std::string> opt_string_list(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  return it->get<std::vector<std::string>>();
}

std::vector<std::string> opt_object_keys(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_object()) {
    throw json::type_error::create(302, std::string(key) + " must be an object", &*it);
  }
  std::vector<std::string> keys;
  for (auto& [k, v] : it->items()) keys.push_back(k);
  return keys;
}

}  // namespace hivesec::image::detail
