#include "report/util.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <chrono>
#include <random>
#include <regex>

#include "model/purl.h"

namespace hivesec::report {

std::string random_uuid_v4() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    // Entropy failure is near impossible; a non-crypto fallback still yields a unique serial.
    std::random_device rd;
    for (auto& c : b) c = static_cast<unsigned char>(rd());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string hex;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex.push_back('-');
    hex += fmt::format("{:02x}", b[i]);
  }
  return hex;
}

std::string utc_now() {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

std::string document_timestamp(std::string_view ts) {
  static const std::regex kRfc3339(
      R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
  if (ts.size() > 64) return utc_now();
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(ts.begin(), ts.end(), m, kRfc3339)) return utc_now();
  if (m[3].str() == "Z" || m[3].str() == "+00:00" || m[3].str() == "-00:00") {
    return m[1].str() + "Z";
  }
  return utc_now();
}

ImageRef split_image_ref(std::string_view ref) {
  if (auto at = ref.find('@'); at != std::string_view::npos) ref = ref.substr(0, at);
  ImageRef out;
  std::size_t slash = ref.rfind('/');
  std::size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  out.repository = std::string(ref);
  std::string_view last = slash == std::string_view::npos ? ref : ref.substr(slash + 1);
  for (char c : last)
    out.name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string image_purl(const image::ImageMeta& meta) {
  const std::string& digest = !meta.manifest_digest.empty() ? meta.manifest_digest : meta.image_id;
  if (digest.empty()) return "";
  std::string ref = !meta.repo_tags.empty() ? meta.repo_tags.front() : meta.name;
  bool looks_like_path = ref.empty() || ref.front() == '/' || ref.front() == '.' ||
                         ref.ends_with(".tar") || ref.ends_with(".tar.gz");
  std::map<std::string, std::string> q;
  ImageRef r;
  if (!looks_like_path) {
    r = split_image_ref(ref);
    q["repository_url"] = r.repository;
    q["tag"] = r.tag;
  }
  if (r.name.empty()) r.name = "image";
  q["arch"] = meta.platform.architecture;
  return model::make_purl("oci", "", r.name, digest, q);
}

std::string platform_string(const image::Platform& p) {
  std::string out;
  for (const std::string* part : {&p.os, &p.architecture, &p.variant}) {
    if (part->empty()) continue;
    if (!out.empty()) out.push_back('/');
    out += *part;
  }
  return out;
}

std::string asset_display_name(const model::ScanResult& r) {
  if (!r.asset.name.empty()) return r.asset.name;
  if (!r.asset.id.empty()) return r.asset.id;
  if (r.image && !r.image->name.empty()) return r.image->name;
  return "unknown";
}

}  // namespace hivesec::report
