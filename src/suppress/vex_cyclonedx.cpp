// CycloneDX VEX reader: a CycloneDX JSON BOM whose vulnerabilities[] carry an analysis. Refs in
// affects[] are bom-refs of this BOM's components (resolved to their purls), BOM-Links
// ("urn:cdx:serial/version#bom-ref", whose fragment is resolved the same way), or purls.
#include <fmt/format.h>

#include <unordered_map>

#include "suppress/input.h"
#include "suppress/vex_formats.h"

namespace hivesec::suppress::vexfmt {
namespace {

using nlohmann::json;

struct StateName {
  const char* text;
  VexStatus status;
};
constexpr StateName kStates[] = {
    {"not_affected", VexStatus::kNotAffected}, {"false_positive", VexStatus::kNotAffected},
    {"resolved", VexStatus::kFixed},           {"resolved_with_pedigree", VexStatus::kFixed},
    {"exploitable", VexStatus::kAffected},     {"in_triage", VexStatus::kUnderInvestigation}};

// bom-ref -> purl ("" when the component has none).
using RefMap = std::unordered_map<std::string, std::string>;

Status collect_component(const json& c, RefMap& refs, size_t& count) {
  if (!c.is_object()) return make_error(Errc::kInvalidArgument, "component is not an object");
  if (++count > kMaxVexProducts) {
    return make_error(Errc::kLimit, "more than {} components", kMaxVexProducts);
  }
  HIVESEC_TRY(auto ref, opt_string(c, "bom-ref", "component"));
  HIVESEC_TRY(auto purl, opt_string(c, "purl", "component"));
  if (ref) refs.emplace(*ref, purl.value_or(""));
  // Nesting depth is bounded by the JSON depth limit parse_vex applies.
  HIVESEC_TRY(const json* children, opt_array(c, "components", "component"));
  if (children) {
    for (const json& child : *children) HIVESEC_TRY_STATUS(collect_component(child, refs, count));
  }
  return ok_status();
}

std::string percent_decode_lenient(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The product an affects[].ref names; a product without purl when it cannot be resolved.
Result<VexProduct> resolve_ref(const std::string& ref, const RefMap& refs, std::string_view where) {
  std::string key = ref;
  if (ref.starts_with("urn:cdx:")) {
    size_t hash = ref.find('#');
    key = hash == std::string::npos ? "" : percent_decode_lenient(ref.substr(hash + 1));
  }
  VexProduct p;
  if (auto it = refs.find(key); it != refs.end()) {
    if (it->second.empty()) {
      p.id = ref;
      return p;
    }
    // A component's purl field must be a purl, whatever it looks like.
    auto parsed = model::parse_purl(it->second);
    if (!parsed.ok()) return std::move(parsed).error().wrap(where);
    p.id = ref;
    p.purl = std::move(*parsed);
    return p;
  }
  if (key.starts_with("pkg:")) {
    HIVESEC_TRY(p, product_from_id(key, where));
    p.id = ref;
    return p;
  }
  p.id = ref;
  return p;
}

}  // namespace

bool is_cyclonedx(const json& doc) {
  if (!doc.is_object()) return false;
  auto f = doc.find("bomFormat");
  return f != doc.end() && f->is_string() && f->get_ref<const std::string&>() == "CycloneDX";
}

Status parse_cyclonedx(const json& doc, VexDocument& out) {
  out.format = "cyclonedx";
  RefMap refs;
  size_t count = 0;
  HIVESEC_TRY(const json* metadata, opt_object(doc, "metadata", "BOM"));
  std::optional<Instant> doc_time;
  if (metadata) {
    HIVESEC_TRY(doc_time, opt_time(*metadata, "timestamp", "metadata"));
    HIVESEC_TRY(const json* component, opt_object(*metadata, "component", "metadata"));
    if (component) HIVESEC_TRY_STATUS(collect_component(*component, refs, count));
  }
  HIVESEC_TRY(const json* components, opt_array(doc, "components", "BOM"));
  if (components) {
    for (const json& c : *components) HIVESEC_TRY_STATUS(collect_component(c, refs, count));
  }
  HIVESEC_TRY(const json* vulns, opt_array(doc, "vulnerabilities", "BOM"));
  if (!vulns) {
    return make_error(Errc::kInvalidArgument,
                      "CycloneDX BOM has no vulnerabilities array (not a VEX document)");
  }
  size_t products = 0;
  for (size_t i = 0; i < vulns->size(); ++i) {
    const json& v = (*vulns)[i];
    std::string where = fmt::format("vulnerability {}", i + 1);
    if (!v.is_object()) return make_error(Errc::kInvalidArgument, "{}: not an object", where);
    HIVESEC_TRY(const json* analysis, opt_object(v, "analysis", where));
    if (!analysis) continue;  // a plain vulnerability report, not a VEX statement
    HIVESEC_TRY(auto state, opt_string(*analysis, "state", where));
    if (!state) continue;

    VexStatement s;
    s.index = i + 1;
    HIVESEC_TRY(auto id, opt_string(v, "id", where));
    if (!id || id->empty()) return make_error(Errc::kInvalidArgument, "{}: no id", where);
    s.vulnerability_ids.push_back(*id);
    HIVESEC_TRY(const json* references, opt_array(v, "references", where));
    if (references) {
      for (const json& r : *references) {
        if (!r.is_object()) {
          return make_error(Errc::kInvalidArgument, "{}: reference is not an object", where);
        }
        HIVESEC_TRY(auto rid, opt_string(r, "id", where));
        if (rid && !rid->empty()) s.vulnerability_ids.push_back(*rid);
      }
    }

    bool known = false;
    for (const auto& n : kStates) {
      if (*state == n.text) {
        s.status = n.status;
        known = true;
      }
    }
    if (!known) {
      return make_error(Errc::kInvalidArgument, "{}: unknown analysis state '{}'", where,
                        shown(*state));
    }
    s.status_text = *state;
    HIVESEC_TRY(auto justification, opt_string(*analysis, "justification", where));
    HIVESEC_TRY(auto detail, opt_string(*analysis, "detail", where));
    s.justification = justification.value_or("");
    s.detail = detail.value_or("");
    HIVESEC_TRY(const json* responses, opt_array(*analysis, "response", where));
    if (responses) {
      for (const json& r : *responses) {
        if (!r.is_string()) {
          return make_error(Errc::kInvalidArgument, "{}: analysis.response entry is not a string",
                            where);
        }
        const auto& text = r.get_ref<const std::string&>();
        if (text == "will_not_fix" || text == "can_not_fix") s.will_not_fix = true;
      }
    }

    HIVESEC_TRY(auto last_updated, opt_time(*analysis, "lastUpdated", where));
    HIVESEC_TRY(auto updated, opt_time(v, "updated", where));
    HIVESEC_TRY(auto first_issued, opt_time(*analysis, "firstIssued", where));
    HIVESEC_TRY(auto published, opt_time(v, "published", where));
    for (const auto* t : {&last_updated, &updated, &first_issued, &published, &doc_time}) {
      if (*t) {
        s.time = *t;
        break;
      }
    }

    HIVESEC_TRY(const json* affects, opt_array(v, "affects", where));
    if (affects) {
      for (const json& a : *affects) {
        if (!a.is_object()) {
          return make_error(Errc::kInvalidArgument, "{}: affects entry is not an object", where);
        }
        HIVESEC_TRY(auto ref, opt_string(a, "ref", where));
        if (!ref) return make_error(Errc::kInvalidArgument, "{}: affects entry has no ref", where);
        HIVESEC_TRY(VexProduct p, resolve_ref(*ref, refs, where));
        if (!p.purl && p.digests.empty()) ++out.unresolved_refs;
        s.products.push_back(std::move(p));
        if (++products > kMaxVexProducts) {
          return make_error(Errc::kLimit, "more than {} affected refs", kMaxVexProducts);
        }
      }
    }
    out.statements.push_back(std::move(s));
  }
  return ok_status();
}

}  // namespace hivesec::suppress::vexfmt
