#include "image/json_util.h"

namespace hivesec::image::detail {

using nlohmann::json;

Result<json> parse_json(std::string_view text, std::string_view what) {
  // Cheap depth pre-scan so hostile nesting never reaches the parser.
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return make_error(Errc::kCorrupt, "{}: JSON nested deeper than {}", what, kMaxJsonDepth);
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "{}: invalid JSON: {}", what, e.what());
  }
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
