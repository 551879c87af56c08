// `accounts`: account facts from the target's etc/passwd, etc/shadow and etc/group, as a list
// of names chosen by `view` (a registry of views below):
//   uid0            accounts with uid 0 (passwd)
//   empty_password  accounts whose password field is empty (shadow, and passwd when it holds
//                   the hash); a missing shadow reads passwd only
//   duplicate_uid   names sharing a uid with an earlier account
//   duplicate_gid   group names sharing a gid with an earlier group
//   legacy_plus     "+" NIS compatibility entries in passwd, shadow or group
// Malformed lines (fewer fields than the format has) make the fact kError with the line.
#include <map>
#include <set>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

using Table = std::vector<std::vector<std::string>>;

std::vector<std::string> split_colon(const std::string& l) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t c = l.find(':', pos);
    out.push_back(l.substr(pos, c == std::string::npos ? std::string::npos : c - pos));
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  return out;
}

// Reads a colon file; kMissing facts pass through. `fields`: the minimum field count.
std::optional<Fact> read_table(Host& host, const std::string& path, size_t fields, Table* out) {
  std::string text;
  if (auto f = host.read_file(path, &text)) return f;
  int n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    if (trim(raw).empty() || raw[0] == '#') continue;
    auto row = split_colon(raw);
    if (!row[0].empty() && (row[0][0] == '+' || row[0][0] == '-')) {
      out->push_back(row);
      continue;
    }
    if (row.size() < fields) {
      return Fact::error("line " + std::to_string(n) + ": " + std::to_string(row.size()) +
                             " fields, want " + std::to_string(fields),
                         path);
    }
    out->push_back(std::move(row));
  }
  return std::nullopt;
}

using View = Fact (*)(Host&);

Fact uid0(Host& host) {
  Table t;
  if (auto f = read_table(host, "/etc/passwd", 7, &t)) return *f;
  json v = json::array();
  for (const auto& r : t) {
    if (r.size() >= 3 && r[2] == "0") v.push_back(r[0]);
  }
  return Fact::ok(v, "/etc/passwd");
}

Fact empty_password(Host& host) {
  Table pw, sh;
  if (auto f = read_table(host, "/etc/passwd", 7, &pw)) return *f;
  auto fs = read_table(host, "/etc/shadow", 9, &sh);
  if (fs && fs->state != FactState::kMissing) return *fs;
  json v = json::array();
  std::set<std::string> names;
  auto legacy = [](const std::vector<std::string>& r) {
    return !r[0].empty() && (r[0][0] == '+' || r[0][0] == '-');
  };
  for (const auto& r : sh) {
    if (legacy(r)) continue;
    if (r.size() >= 2 && r[1].empty() && names.insert(r[0]).second) v.push_back(r[0]);
  }
  for (const auto& r : pw) {
    if (legacy(r)) continue;
    if (r.size() >= 2 && r[1].empty() && names.insert(r[0]).second) v.push_back(r[0]);
  }
  return Fact::ok(v, fs ? "/etc/passwd" : "/etc/shadow");
}

Fact duplicates(Host& host, const std::string& path, size_t fields) {
  Table t;
  if (auto f = read_table(host, path, fields, &t)) return *f;
  std::map<std::string, std::string> seen;
  json v = json::array();
  for (const auto& r : t) {
    if (r.size() < 3 || r[0].empty() || r[0][0] == '+' || r[0][0] == '-') continue;
    if (!seen.emplace(r[2], r[0]).second) v.push_back(r[0]);
  }
  return Fact::ok(v, path);
}

Fact duplicate_uid(Host& host) { return duplicates(host, "/etc/passwd", 7); }
Fact duplicate_gid(Host& host) { return duplicates(host, "/etc/group", 4); }

Fact legacy_plus(Host& host) {
  json v = json::array();
  for (auto [path, fields] : {std::pair{"/etc/passwd", 7}, {"/etc/shadow", 9}, {"/etc/group", 4}}) {
    Table t;
    auto f = read_table(host, path, static_cast<size_t>(fields), &t);
    if (f && f->state == FactState::kMissing) continue;
    if (f) return *f;
    for (const auto& r : t) {
      if (!r[0].empty() && r[0][0] == '+') v.push_back(std::string(path) + ": " + r[0]);
    }
  }
  return Fact::ok(v, "account files");
}

struct ViewRow {
  const char* name;
  View fn;
};
constexpr ViewRow kViews[] = {{"uid0", uid0},
                              {"empty_password", empty_password},
                              {"duplicate_uid", duplicate_uid},
                              {"duplicate_gid", duplicate_gid},
                              {"legacy_plus", legacy_plus}};

class AccountsCollector : public Collector {
 public:
  std::string_view name() const override { return "accounts"; }
  std::string_view description() const override {
    return "account lists from passwd/shadow/group (view: "
           "uid0|empty_password|duplicate_uid|duplicate_gid|legacy_plus)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"view"}));
    std::string v = param(p, "view");
    for (const auto& row : kViews) {
      if (v == row.name) return ok_status();
    }
    return make_error(Errc::kInvalidArgument, "unknown view '{}'", v);
  }
  Fact collect(const json& p, Host& host) const override {
    std::string v = param(p, "view");
    for (const auto& row : kViews) {
      if (v == row.name) return row.fn(host);
    }
    return Fact::error("unknown view", "accounts");
  }
};

}  // namespace

std::unique_ptr<Collector> make_accounts_collector() {
  return std::make_unique<AccountsCollector>();
}

}  // namespace hivesec::policy::collectors
