#include "vulndb/osv.h"

#include <string>

#include "common/json.h"

namespace hivesec::vulndb {

namespace detail {
namespace {

using nlohmann::json;

Error bad(std::string_view field, std::string_view what) {
  return make_error(Errc::kCorrupt, "{}: {}", field, what);
}

// Optional string member: "" when absent or null.
Result<std::string> opt_string(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad(fmt::format("{}.{}", where, key), "not a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> string_list(const json& obj, const char* key,
                                             std::string_view where) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) return bad(fmt::format("{}.{}", where, key), "not an array");
  if (it->size() > kMaxListItems) {
    return make_error(Errc::kLimit, "{}.{}: more than {} items", where, key, kMaxListItems);
  }
  out.reserve(it->size());
  for (const auto& v : *it) {
    if (!v.is_string()) return bad(fmt::format("{}.{}", where, key), "item is not a string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

const json* array_member(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::vector<Severity>> severities(const json& obj, std::string_view where) {
  std::vector<Severity> out;
  const json* arr = array_member(obj, "severity");
  if (!arr) return out;
  std::string field = fmt::format("{}.severity", where);
  if (!arr->is_array()) return bad(field, "not an array");
  if (arr->size() > kMaxListItems) return make_error(Errc::kLimit, "{}: too many items", field);
  for (const auto& s : *arr) {
    if (!s.is_object()) return bad(field, "item is not an object");
    Severity sev;
    HIVESEC_TRY(sev.type, opt_string(s, "type", field));
    HIVESEC_TRY(sev.score, opt_string(s, "score", field));
    if (sev.type.empty() || sev.score.empty()) return bad(field, "item lacks type or score");
    out.push_back(std::move(sev));
  }
  return out;
}

// `severity` from an ecosystem_specific / database_specific object, if it is a string.
std::string specific_severity(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) return {};
  auto s = it->find("severity");
  if (s == it->end() || !s->is_string()) return {};
  return s->get<std::string>();
}

Result<Range> parse_range(const json& r, std::string_view where) {
  if (!r.is_object()) return bad(where, "not an object");
  Range range;
  HIVESEC_TRY(range.type, opt_string(r, "type", where));
  if (range.type.empty()) return bad(where, "missing type");
  HIVESEC_TRY(range.repo, opt_string(r, "repo", where));
  const json* events = array_member(r, "events");
  if (!events || !events->is_array()) return bad(where, "missing events array");
  if (events->size() > kMaxListItems) return make_error(Errc::kLimit, "{}: too many events", where);
  for (const auto& e : *events) {
    if (!e.is_object() || e.size() != 1) {
      return bad(where, "event must be an object with exactly one key");
    }
    auto first = e.begin();
    const std::string& key = first.key();
    const json& value = first.value();
    Event ev;
    if (key == "introduced") {
      ev.kind = EventKind::kIntroduced;
    } else if (key == "fixed") {
      ev.kind = EventKind::kFixed;
    } else if (key == "last_affected") {
      ev.kind = EventKind::kLastAffected;
    } else if (key == "limit") {
      ev.kind = EventKind::kLimit;
    } else {
      return bad(where, fmt::format("unknown event '{}'", key.substr(0, 40)));
    }
    if (!value.is_string()) return bad(where, fmt::format("event '{}' is not a string", key));
    ev.value = value.get<std::string>();
    range.events.push_back(std::move(ev));
  }
  return range;
}

Result<Affected> parse_affected(const json& a, std::string_view where) {
  if (!a.is_object()) return bad(where, "not an object");
  Affected out;
  auto pkg = a.find("package");
  if (pkg != a.end() && !pkg->is_null()) {
    std::string pw = fmt::format("{}.package", where);
    if (!pkg->is_object()) return bad(pw, "not an object");
    HIVESEC_TRY(out.ecosystem, opt_string(*pkg, "ecosystem", pw));
    HIVESEC_TRY(out.name, opt_string(*pkg, "name", pw));
    HIVESEC_TRY(out.purl, opt_string(*pkg, "purl", pw));
    if (out.ecosystem.empty() || out.name.empty()) return bad(pw, "missing ecosystem or name");
  }
  if (const json* ranges = array_member(a, "ranges")) {
    std::string rw = fmt::format("{}.ranges", where);
    if (!ranges->is_array()) return bad(rw, "not an array");
    if (ranges->size() > kMaxListItems) return make_error(Errc::kLimit, "{}: too many", rw);
    for (size_t i = 0; i < ranges->size(); ++i) {
      HIVESEC_TRY(auto r, parse_range((*ranges)[i], fmt::format("{}[{}]", rw, i)));
      out.ranges.push_back(std::move(r));
    }
  }
  HIVESEC_TRY(out.versions, string_list(a, "versions", where));
  HIVESEC_TRY(out.severity, severities(a, where));
  out.specific_severity = specific_severity(a, "ecosystem_specific");
  if (out.specific_severity.empty())
    out.specific_severity = specific_severity(a, "database_specific");
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

}  // namespace

Result<Advisory> parse_osv_json(const json& doc) {
  if (!doc.is_object()) return bad("record", "not a JSON object");
  Advisory adv;
  auto id = doc.find("id");
  if (id == doc.end() || !id->is_string()) return bad("id", "missing or not a string");
  adv.id = id->get<std::string>();
  if (!valid_id(adv.id)) return bad("id", "empty, too long or has invalid characters");
  HIVESEC_TRY(adv.modified, opt_string(doc, "modified", "record"));
  if (adv.modified.empty()) return bad("modified", "missing");
  HIVESEC_TRY(adv.published, opt_string(doc, "published", "record"));
  HIVESEC_TRY(adv.withdrawn, opt_string(doc, "withdrawn", "record"));
  HIVESEC_TRY(adv.aliases, string_list(doc, "aliases", "record"));
  HIVESEC_TRY(adv.related, string_list(doc, "related", "record"));
  for (const auto& a : adv.aliases) {
    if (!valid_id(a)) return bad("aliases", "empty, too long or invalid alias");
  }
  if (const json* affected = array_member(doc, "affected")) {
    if (!affected->is_array()) return bad("affected", "not an array");
    if (affected->size() > kMaxListItems) return make_error(Errc::kLimit, "affected: too many");
    adv.affected.reserve(affected->size());
    for (size_t i = 0; i < affected->size(); ++i) {
      HIVESEC_TRY(auto a, parse_affected((*affected)[i], fmt::format("affected[{}]", i)));
      adv.affected.push_back(std::move(a));
    }
  }
  HIVESEC_TRY(adv.severity, severities(doc, "record"));
  adv.database_severity = specific_severity(doc, "database_specific");
  HIVESEC_TRY(adv.summary, opt_string(doc, "summary", "record"));
  if (adv.summary.size() > 1024) adv.summary.resize(1024);
  if (const json* refs = array_member(doc, "references"); refs && refs->is_array()) {
    for (const json& r : *refs) {
      if (adv.references.size() >= 50) break;
      if (!r.is_object()) continue;
      auto url = r.find("url");
      if (url != r.end() && url->is_string() && url->get_ref<const std::string&>().size() <= 2048) {
        adv.references.push_back(url->get<std::string>());
      }
    }
  }
  return adv;
}

Result<Advisory> parse_osv(std::string_view text) {
  if (text.size() > kMaxRecordBytes) {
    return make_error(Errc::kLimit, "record is {} bytes (limit {})", text.size(), kMaxRecordBytes);
  }
  HIVESEC_TRY(auto doc, parse_json_bounded(text));
  return parse_osv_json(doc);
}

}  // namespace detail

std::string index_name(std::string_view ecosystem, std::string_view name) {
  std::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  if (base != "PyPI") return std::string(name);
  std::string out;
  out.reserve(name.size());
  bool in_sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_sep) out.push_back('-');
      in_sep = true;
      continue;
    }
    in_sep = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

}  // namespace hivesec::vulndb
