#include "suppress/vex.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/json.h"
#include "suppress/input.h"
#include "suppress/purl_match.h"
#include "suppress/vex_formats.h"

namespace hivesec::suppress {

// ---- JSON accessors and product ids shared by the readers ----
namespace vexfmt {

using nlohmann::json;

Result<std::optional<std::string>> opt_string(const json& obj, const char* key,
                                              std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return make_error(Errc::kInvalidArgument, "{}: '{}' is not a string", where, key);
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<const json*> opt_array(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
  if (!it->is_array()) {
    return make_error(Errc::kInvalidArgument, "{}: '{}' is not an array", where, key);
  }
  return &*it;
}

Result<const json*> opt_object(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
  if (!it->is_object()) {
    return make_error(Errc::kInvalidArgument, "{}: '{}' is not an object", where, key);
  }
  return &*it;
}

Result<std::optional<Instant>> opt_time(const json& obj, const char* key, std::string_view where) {
  HIVESEC_TRY(auto text, opt_string(obj, key, where));
  if (!text || text->empty()) return std::optional<Instant>();
  auto t = parse_rfc3339(*text);
  if (!t) {
    return make_error(Errc::kInvalidArgument, "{}: '{}' is not an RFC 3339 time: '{}'", where, key,
                      shown(*text));
  }
  return std::optional<Instant>(*t);
}

namespace {

bool is_hex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<VexProduct> product_from_id(std::string_view id, std::string_view where) {
  VexProduct p;
  p.id = std::string(id);
  if (id.starts_with("pkg:")) {
    auto parsed = model::parse_purl(id);
    if (!parsed.ok()) return std::move(parsed).error().wrap(where);
    p.purl = std::move(*parsed);
  } else if (size_t colon = id.find(':');
             colon != std::string_view::npos &&
             (id.starts_with("sha256:") || id.starts_with("sha512:")) &&
             is_hex(id.substr(colon + 1))) {
    p.digests.push_back(ascii_lower(id));
  }
  return p;
}

void add_hashes(const json& hashes, VexProduct& p) {
  for (const auto& [algo, value] : hashes.items()) {
    if (!value.is_string()) continue;
    const std::string& hex = value.get_ref<const std::string&>();
    if (!is_hex(hex)) continue;
    if (algo == "sha-256") p.digests.push_back("sha256:" + ascii_lower(hex));
    if (algo == "sha-512") p.digests.push_back("sha512:" + ascii_lower(hex));
  }
}

}  // namespace vexfmt

// ---- parsing ----

namespace {

// The VEX formats, tried in order; the first whose detect() accepts the document reads it.
constexpr vexfmt::Format kFormats[] = {
    {"cyclonedx", vexfmt::is_cyclonedx, vexfmt::parse_cyclonedx},
    {"openvex", vexfmt::is_openvex, vexfmt::parse_openvex},
};

}  // namespace

const char* vex_status_name(VexStatus s) {
  switch (s) {
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kAffected:
      return "affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
  }
  return "unknown";
}

Result<VexDocument> parse_vex(std::string_view content, std::string_view source) {
  auto parsed = parse_json_bounded(content);
  if (!parsed.ok()) return std::move(parsed).error().wrap(fmt::format("VEX {}", source));
  VexDocument doc;
  doc.source = std::string(source);
  try {
    for (const auto& f : kFormats) {
      if (!f.detect(*parsed)) continue;
      Status st = f.parse(*parsed, doc);
      if (!st.ok()) return std::move(st).error().wrap(fmt::format("VEX {} ({})", source, f.name));
      return doc;
    }
  } catch (const std::exception& e) {
    // The readers check types before every access; this is a last line of defence.
    return make_error(Errc::kCorrupt, "VEX {}: {}", source, e.what());
  }
  return make_error(Errc::kCorrupt,
                    "VEX {}: neither an OpenVEX document nor a CycloneDX BOM with vulnerabilities",
                    source);
}

Result<VexDocument> load_vex(const std::string& path) {
  auto content = read_input_file(path);
  if (!content.ok()) return std::move(content).error().wrap("VEX");
  return parse_vex(*content, path);
}

// ---- the scanned asset ----

namespace {

// Splits an image reference "repo[:tag][@digest]" into (repository, tag, digest).
void split_reference(std::string_view ref, std::string& repo, std::string& tag,
                     std::string& digest) {
  if (size_t at = ref.find('@'); at != std::string_view::npos) {
    digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  repo = std::string(ref);
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (s.empty() || std::find(v.begin(), v.end(), s) != v.end()) return;
  v.push_back(std::move(s));
}

void add_repository(AssetIdentity& a, std::string_view repo) {
  std::string r = ascii_lower(repo);
  if (r.empty()) return;
  size_t slash = r.rfind('/');
  add_unique(a.repositories, r);
  if (slash != std::string::npos) add_unique(a.repositories, r.substr(slash + 1));
}

}  // namespace

AssetIdentity AssetIdentity::from(const model::ScanResult& r) {
  AssetIdentity a;
  if (r.asset.id.starts_with("sha256:")) add_unique(a.digests, ascii_lower(r.asset.id));
  if (!r.image) return a;
  const image::ImageMeta& m = *r.image;
  add_unique(a.digests, ascii_lower(m.manifest_digest));
  add_unique(a.digests, ascii_lower(m.image_id));
  for (const auto& ref : m.repo_tags) {
    std::string repo, tag, digest;
    split_reference(ref, repo, tag, digest);
    add_repository(a, repo);
    if (!tag.empty()) a.tags.emplace_back(ascii_lower(repo), tag);
  }
  for (const auto& ref : m.repo_digests) {
    std::string repo, tag, digest;
    split_reference(ref, repo, tag, digest);
    add_repository(a, repo);
    add_unique(a.digests, ascii_lower(digest));
  }
  return a;
}

// ---- matching ----

namespace {

struct Match {
  bool ok = false;
  bool pinned = false;  // to the installed version or the image digest
};

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool is_image_level(const VexProduct& p) {
  if (p.purl) return p.purl->type == "oci" || p.purl->type == "docker";
  return !p.digests.empty();
}

// True when repository `r` (lowercase) is `want` or ends with "/" + `want`.
bool repo_path_matches(std::string_view r, std::string_view want) {
  std::string w = ascii_lower(want);
  return r == w || (r.size() > w.size() && r.ends_with(w) && r[r.size() - w.size() - 1] == '/');
}

bool repository_matches(const AssetIdentity& a, std::string_view want) {
  for (const auto& r : a.repositories) {
    if (repo_path_matches(r, want)) return true;
  }
  return false;
}

Match asset_match(const VexProduct& p, const AssetIdentity& a) {
  for (const auto& d : p.digests) {
    if (has(a.digests, d)) return {true, true};
  }
  if (!p.purl) return {};
  const model::Purl& u = *p.purl;
  std::string version = ascii_lower(u.version);
  if (u.type == "oci") {
    if (!version.empty()) return {has(a.digests, version), true};
    return {repository_matches(a, u.name), false};
  }
  // docker: namespace/name is a repository path; the version is a digest or a tag.
  std::string repo = u.namespace_.empty() ? u.name : u.namespace_ + "/" + u.name;
  bool repo_ok = repository_matches(a, repo) ||
                 (ascii_lower(u.namespace_) == "library" && repository_matches(a, u.name));
  if (version.starts_with("sha256:")) return {has(a.digests, version), true};
  if (!repo_ok) return {};
  if (version.empty()) return {true, false};
  for (const auto& [r, tag] : a.tags) {
    bool same_repo = repo_path_matches(r, repo) ||
                     (ascii_lower(u.namespace_) == "library" && repo_path_matches(r, u.name));
    if (tag == u.version && same_repo) {
      return {true, false};  // tags move; not pinned
    }
  }
  return {};
}

Match package_match(const VexProduct& p, const std::optional<model::Purl>& pkg) {
  if (!p.purl || !pkg || is_image_level(p)) return {};
  if (!purl_matches(*p.purl, *pkg)) return {};
  return {true, !p.purl->version.empty()};
}

Match product_match(const VexProduct& p, const std::optional<model::Purl>& pkg,
                    const AssetIdentity& a) {
  if (is_image_level(p)) {
    Match am = asset_match(p, a);
    if (!am.ok) return {};
    if (p.subcomponents.empty()) return am;
    for (const VexProduct& sc : p.subcomponents) {
      Match pm = package_match(sc, pkg);
      if (pm.ok) return {true, am.pinned || pm.pinned};
    }
    return {};
  }
  if (Match m = package_match(p, pkg); m.ok) return m;
  for (const VexProduct& sc : p.subcomponents) {
    if (Match m = package_match(sc, pkg); m.ok) return m;
  }
  return {};
}

std::string describe(const VexDocument& d, const VexStatement& s) {
  std::string out =
      fmt::format("{} {} {}: {}", d.source, d.format == "cyclonedx" ? "vulnerability" : "statement",
                  s.index, s.status_text);
  if (!s.justification.empty()) out += fmt::format(" ({})", shown(s.justification));
  return out;
}

}  // namespace

void VexSet::add(VexDocument doc) {
  size_t d = docs_.size();
  for (size_t i = 0; i < doc.statements.size(); ++i) {
    std::set<std::string> ids;
    for (const auto& id : doc.statements[i].vulnerability_ids) ids.insert(ascii_lower(id));
    for (const auto& id : ids) by_id_[id].emplace_back(d, i);
  }
  docs_.push_back(std::move(doc));
}

std::optional<VexVerdict> VexSet::evaluate(const model::Finding& f,
                                           const AssetIdentity& asset) const {
  std::set<std::pair<size_t, size_t>> candidates;
  auto collect = [&](const std::string& id) {
    if (id.empty()) return;
    auto it = by_id_.find(ascii_lower(id));
    if (it == by_id_.end()) return;
    candidates.insert(it->second.begin(), it->second.end());
  };
  collect(f.rule_id);
  for (const auto& a : f.aliases) collect(a);
  if (f.vuln) {
    for (const auto& a : f.vuln->advisories) collect(a);
  }
  if (candidates.empty()) return std::nullopt;

  std::optional<model::Purl> pkg;
  if (!f.evidence.package.empty()) {
    if (auto p = model::parse_purl(f.evidence.package); p.ok()) pkg = std::move(*p);
  }

  const VexStatement* best = nullptr;
  std::pair<size_t, size_t> best_at;
  Match best_match;
  // Candidates are visited in (document, statement) order, so on equal times the later one
  // replaces the earlier.
  for (const auto& [d, i] : candidates) {
    const VexStatement& s = docs_[d].statements[i];
    Match m;
    for (const VexProduct& p : s.products) {
      Match pm = product_match(p, pkg, asset);
      if (pm.ok && (!m.ok || pm.pinned)) m = pm;
      if (m.pinned) break;
    }
    if (!m.ok) continue;
    if (best != nullptr && s.time < best->time) continue;  // nullopt sorts first
    best = &s;
    best_at = {d, i};
    best_match = m;
  }
  if (best == nullptr) return std::nullopt;

  VexVerdict v;
  v.document = best_at.first;
  v.statement = best_at.second;
  v.suppress = best->status == VexStatus::kNotAffected ||
               (best->status == VexStatus::kFixed && best_match.pinned);
  v.wont_fix = !v.suppress && best->will_not_fix;
  v.reason = describe(docs_[best_at.first], *best);
  if (best->status == VexStatus::kFixed && !best_match.pinned) {
    v.reason += " (not pinned to the installed version, not applied)";
  }
  return v;
}

}  // namespace hivesec::suppress
