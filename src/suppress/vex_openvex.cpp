// OpenVEX reader (spec v0.2.0; the v0.0.x shapes with string vulnerabilities, string products
// and statement-level subcomponents are read too).
#include <fmt/format.h>

#include "suppress/input.h"
#include "suppress/vex_formats.h"

namespace hivesec::suppress::vexfmt {
namespace {

using nlohmann::json;

struct StatusName {
  const char* text;
  VexStatus status;
};
constexpr StatusName kStatuses[] = {{"not_affected", VexStatus::kNotAffected},
                                    {"affected", VexStatus::kAffected},
                                    {"fixed", VexStatus::kFixed},
                                    {"under_investigation", VexStatus::kUnderInvestigation}};

Result<VexProduct> read_component(const json& c, std::string_view where, bool allow_children) {
  if (c.is_string()) return product_from_id(c.get_ref<const std::string&>(), where);
  if (!c.is_object()) {
    return make_error(Errc::kInvalidArgument, "{}: product is neither a string nor an object",
                      where);
  }
  HIVESEC_TRY(auto id, opt_string(c, "@id", where));
  VexProduct p;
  if (id) {
    HIVESEC_TRY(p, product_from_id(*id, where));
  }
  HIVESEC_TRY(const json* identifiers, opt_object(c, "identifiers", where));
  if (identifiers) {
    HIVESEC_TRY(auto purl, opt_string(*identifiers, "purl", where));
    if (purl && !p.purl) {
      auto parsed = model::parse_purl(*purl);
      if (!parsed.ok()) return std::move(parsed).error().wrap(where);
      p.purl = std::move(*parsed);
      if (p.id.empty()) p.id = *purl;
    }
  }
  HIVESEC_TRY(const json* hashes, opt_object(c, "hashes", where));
  if (hashes) add_hashes(*hashes, p);
  if (allow_children) {
    HIVESEC_TRY(const json* subs, opt_array(c, "subcomponents", where));
    if (subs) {
      for (const json& s : *subs) {
        HIVESEC_TRY(VexProduct sp, read_component(s, where, false));
        p.subcomponents.push_back(std::move(sp));
      }
    }
  }
  return p;
}

Status read_vulnerability(const json& st, std::string_view where, VexStatement& out) {
  auto it = st.find("vulnerability");
  if (it == st.end() || it->is_null()) {
    return make_error(Errc::kInvalidArgument, "{}: no vulnerability", where);
  }
  if (it->is_string()) {
    out.vulnerability_ids.push_back(it->get<std::string>());
  } else if (it->is_object()) {
    HIVESEC_TRY(auto name, opt_string(*it, "name", where));
    HIVESEC_TRY(auto iri, opt_string(*it, "@id", where));
    if (name) out.vulnerability_ids.push_back(*name);
    if (iri) out.vulnerability_ids.push_back(*iri);
    HIVESEC_TRY(const json* aliases, opt_array(*it, "aliases", where));
    if (aliases) {
      for (const json& a : *aliases) {
        if (!a.is_string()) {
          return make_error(Errc::kInvalidArgument, "{}: vulnerability alias is not a string",
                            where);
        }
        out.vulnerability_ids.push_back(a.get<std::string>());
      }
    }
  } else {
    return make_error(Errc::kInvalidArgument, "{}: vulnerability is neither a string nor an object",
                      where);
  }
  std::erase_if(out.vulnerability_ids, [](const std::string& s) { return s.empty(); });
  if (out.vulnerability_ids.empty()) {
    return make_error(Errc::kInvalidArgument, "{}: vulnerability has no name", where);
  }
  return ok_status();
}

}  // namespace

bool is_openvex(const json& doc) {
  if (!doc.is_object()) return false;
  auto ctx = doc.find("@context");
  if (ctx != doc.end() && ctx->is_string() &&
      ctx->get_ref<const std::string&>().find("openvex") != std::string::npos) {
    return true;
  }
  return doc.contains("statements") && !doc.contains("bomFormat");
}

Status parse_openvex(const json& doc, VexDocument& out) {
  out.format = "openvex";
  HIVESEC_TRY(auto doc_time, opt_time(doc, "timestamp", "document"));
  HIVESEC_TRY(const json* statements, opt_array(doc, "statements", "document"));
  if (!statements) return make_error(Errc::kInvalidArgument, "OpenVEX document has no statements");
  size_t products = 0;
  for (size_t i = 0; i < statements->size(); ++i) {
    const json& st = (*statements)[i];
    std::string where = fmt::format("statement {}", i + 1);
    if (!st.is_object()) return make_error(Errc::kInvalidArgument, "{}: not an object", where);
    VexStatement s;
    s.index = i + 1;
    HIVESEC_TRY_STATUS(read_vulnerability(st, where, s));

    HIVESEC_TRY(auto status, opt_string(st, "status", where));
    if (!status) return make_error(Errc::kInvalidArgument, "{}: no status", where);
    bool known = false;
    for (const auto& n : kStatuses) {
      if (*status == n.text) {
        s.status = n.status;
        known = true;
      }
    }
    if (!known) {
      return make_error(Errc::kInvalidArgument, "{}: unknown status '{}'", where, shown(*status));
    }
    s.status_text = *status;
    HIVESEC_TRY(auto justification, opt_string(st, "justification", where));
    HIVESEC_TRY(auto impact, opt_string(st, "impact_statement", where));
    s.justification = justification.value_or("");
    s.detail = impact.value_or("");

    HIVESEC_TRY(auto updated, opt_time(st, "last_updated", where));
    HIVESEC_TRY(auto stamped, opt_time(st, "timestamp", where));
    s.time = updated ? updated : stamped ? stamped : doc_time;

    HIVESEC_TRY(const json* prods, opt_array(st, "products", where));
    if (prods) {
      for (const json& p : *prods) {
        HIVESEC_TRY(VexProduct vp, read_component(p, where, true));
        s.products.push_back(std::move(vp));
      }
    }
    // v0.0.x: subcomponents beside products apply to each product.
    HIVESEC_TRY(const json* legacy_subs, opt_array(st, "subcomponents", where));
    std::vector<VexProduct> subs;
    if (legacy_subs) {
      for (const json& c : *legacy_subs) {
        HIVESEC_TRY(VexProduct sp, read_component(c, where, false));
        subs.push_back(std::move(sp));
      }
    }
    for (const VexProduct& p : s.products) products += 1 + p.subcomponents.size() + subs.size();
    if (products > kMaxVexProducts) {
      return make_error(Errc::kLimit, "more than {} products", kMaxVexProducts);
    }
    if (!subs.empty()) {
      for (VexProduct& p : s.products) {
        p.subcomponents.insert(p.subcomponents.end(), subs.begin(), subs.end());
      }
    }
    out.statements.push_back(std::move(s));
  }
  return ok_status();
}

}  // namespace hivesec::suppress::vexfmt
