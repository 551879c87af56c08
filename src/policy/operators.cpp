// The built-in test operators. Semantics of a value that is not set (actual == nullptr): only
// ne, nothave, nothave_element, notregex, empty and `set: false` hold; every other operator is
// false.
#include "policy/operators.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hivesec::policy {

using nlohmann::json;

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    return v.dump();
  }
  if (v.is_null()) return "";
  return v.dump();
}

Status OperatorRegistry::add(std::unique_ptr<Operator> op) {
  if (find(op->name())) {
    return make_error(Errc::kInvalidArgument, "operator '{}' registered twice", op->name());
  }
  ops_.push_back(std::move(op));
  return ok_status();
}

const Operator* OperatorRegistry::find(std::string_view name) const {
  for (const auto& o : ops_) {
    if (o->name() == name) return o.get();
  }
  return nullptr;
}

std::vector<std::string> OperatorRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& o : ops_) out.emplace_back(o->name());
  return out;
}

namespace {

std::optional<double> as_number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  std::string s = v.get<std::string>();
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  if (b == std::string::npos) return std::nullopt;
  s = s.substr(b, e - b + 1);
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return d;
}

bool values_equal(const json& a, const json& b) {
  auto na = as_number(a), nb = as_number(b);
  if (na && nb) return *na == *nb;
  return scalar_text(a) == scalar_text(b);
}

Result<bool> parse_bool(const json& v) {
  std::string t = scalar_text(v);
  if (t == "true" || t == "yes") return true;
  if (t == "false" || t == "no") return false;
  return make_error(Errc::kInvalidArgument, "expected true or false, got '{}'", t);
}

// Expected values that may be one item or a list.
std::vector<json> items(const json& expected) {
  if (expected.is_array()) return std::vector<json>(expected.begin(), expected.end());
  return {expected};
}

// Elements of a list-like fact value: text split on commas; a list's items each split the same
// way (a flag given twice: ["A,B", "C"] -> A, B, C).
std::vector<std::string> elements(const json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_array() || e.is_object()) {
        out.push_back(scalar_text(e));
        continue;
      }
      auto sub = elements(e);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
  }
  std::string s = scalar_text(v);
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t c = s.find(',', pos);
    if (c == std::string::npos) c = s.size();
    std::string e = s.substr(pos, c - pos);
    size_t b = e.find_first_not_of(" \t"), en = e.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(e.substr(b, en - b + 1));
    pos = c + 1;
  }
  return out;
}

// A function-backed operator keeps the registry table readable.
class FnOperator : public Operator {
 public:
  using TestFn = Result<bool> (*)(const json*, const json&);
  using ValidateFn = Status (*)(const json&);
  FnOperator(std::string_view name, std::string_view desc, ValidateFn v, TestFn t)
      : name_(name), desc_(desc), validate_(v), test_(t) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return desc_; }
  Status validate(const json& expected) const override { return validate_(expected); }
  Result<bool> test(const json* actual, const json& expected) const override {
    return test_(actual, expected);
  }

 private:
  std::string_view name_, desc_;
  ValidateFn validate_;
  TestFn test_;
};

Status any_value(const json& expected) {
  if (expected.is_null()) return make_error(Errc::kInvalidArgument, "needs a value");
  return ok_status();
}

Status number_value(const json& expected) {
  if (!as_number(expected)) {
    return make_error(Errc::kInvalidArgument, "value '{}' is not a number", scalar_text(expected));
  }
  return ok_status();
}

Status bool_value(const json& expected) {
  if (expected.is_null()) return ok_status();
  auto b = parse_bool(expected);
  if (!b.ok()) return b.error();
  return ok_status();
}

Status regex_value(const json& expected) {
  if (!expected.is_string()) return make_error(Errc::kInvalidArgument, "needs a regex string");
  RE2 re(expected.get<std::string>(), RE2::Quiet);
  if (!re.ok()) return make_error(Errc::kInvalidArgument, "bad regex: {}", re.error());
  return ok_status();
}

Result<uint32_t> parse_mode(const json& v) {
  if (v.is_number_unsigned() || v.is_number_integer()) {
    long long m = v.get<long long>();
    if (m >= 0 && m <= 07777) return static_cast<uint32_t>(m);
  }
  std::string s = scalar_text(v);
  if (s.empty() || s.size() > 5) return make_error(Errc::kInvalidArgument, "bad mode '{}'", s);
  uint32_t m = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return make_error(Errc::kInvalidArgument, "mode '{}' is not octal", s);
    m = m * 8 + static_cast<uint32_t>(c - '0');
  }
  if (m > 07777) return make_error(Errc::kInvalidArgument, "mode '{}' out of range", s);
  return m;
}

Status mode_value(const json& expected) {
  auto m = parse_mode(expected);
  if (!m.ok()) return m.error();
  return ok_status();
}

Status owner_value(const json& expected) {
  for (const auto& e : items(expected)) {
    std::string s = scalar_text(e);
    if (s.empty() || s.front() == ':' || s.back() == ':') {
      return make_error(Errc::kInvalidArgument, "owner '{}' is not user or user:group", s);
    }
  }
  return ok_status();
}

Result<bool> op_eq(const json* a, const json& e) {
  if (!a) return false;
  for (const auto& x : items(e)) {
    if (values_equal(*a, x)) return true;
  }
  return false;
}

Result<bool> op_ne(const json* a, const json& e) {
  if (!a) return true;
  auto r = op_eq(a, e);
  return !*r;
}

Result<double> number_of(const json& a) {
  auto n = as_number(a);
  if (!n) return make_error(Errc::kInvalidArgument, "'{}' is not a number", scalar_text(a));
  return *n;
}

template <typename Cmp>
Result<bool> compare(const json* a, const json& e, Cmp cmp) {
  if (!a) return false;
  HIVESEC_TRY(double x, number_of(*a));
  HIVESEC_TRY(double y, number_of(e));
  return cmp(x, y);
}

Result<bool> op_lt(const json* a, const json& e) { return compare(a, e, std::less<double>()); }
Result<bool> op_lte(const json* a, const json& e) {
  return compare(a, e, std::less_equal<double>());
}
Result<bool> op_gt(const json* a, const json& e) { return compare(a, e, std::greater<double>()); }
Result<bool> op_gte(const json* a, const json& e) {
  return compare(a, e, std::greater_equal<double>());
}

Result<bool> op_has(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  std::string want = scalar_text(e);
  if (a->is_array()) {
    return std::any_of(a->begin(), a->end(), [&](const json& x) { return values_equal(x, e); });
  }
  if (a->is_object()) return a->contains(want);
  return scalar_text(*a).find(want) != std::string::npos;
}

Result<bool> op_nothave(const json* a, const json& e) {
  auto r = op_has(a, e);
  return !*r;
}

Result<bool> op_regex(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  RE2 re(scalar_text(e), RE2::Quiet);
  if (!re.ok()) return make_error(Errc::kInvalidArgument, "bad regex: {}", re.error());
  if (a->is_array()) {
    return std::any_of(a->begin(), a->end(),
                       [&](const json& x) { return RE2::PartialMatch(scalar_text(x), re); });
  }
  return RE2::PartialMatch(scalar_text(*a), re);
}

Result<bool> op_notregex(const json* a, const json& e) {
  HIVESEC_TRY(bool m, op_regex(a, e));
  return !m;
}

Result<bool> op_valid_elements(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  std::vector<std::string> allowed = elements(e);
  for (const auto& x : elements(*a)) {
    if (std::find(allowed.begin(), allowed.end(), x) == allowed.end()) return false;
  }
  return true;
}

// Exact element membership (has on text is a substring test: "PodSecurity" would match
// "PodSecurityPolicy").
Result<bool> op_has_element(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  auto have = elements(*a);
  for (const auto& want : elements(e)) {
    if (std::find(have.begin(), have.end(), want) != have.end()) return true;
  }
  return false;
}

Result<bool> op_nothave_element(const json* a, const json& e) {
  auto r = op_has_element(a, e);
  return !*r;
}

Result<bool> op_empty(const json* a, const json& e) {
  HIVESEC_TRY(bool want, parse_bool(e.is_null() ? json("true") : e));
  bool empty = !a || a->is_null() || ((a->is_array() || a->is_object()) && a->empty()) ||
               (a->is_string() && a->get<std::string>().empty());
  return empty == want;
}

Result<bool> op_set(const json* a, const json& e) {
  HIVESEC_TRY(bool want, parse_bool(e.is_null() ? json("true") : e));
  return (a != nullptr && !a->is_null()) == want;
}

// "600 or more restrictive": no permission bit outside the expected mask.
Result<bool> op_mode(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  const json& m = a->is_object() ? (a->contains("mode") ? (*a)["mode"] : json()) : *a;
  if (m.is_null()) return make_error(Errc::kInvalidArgument, "no file mode in the fact");
  HIVESEC_TRY(uint32_t have, parse_mode(m));
  HIVESEC_TRY(uint32_t allow, parse_mode(e));
  return (have & ~allow & 07777u) == 0;
}

bool name_matches(const json& a, const char* name, const char* id, const std::string& want) {
  if (a.contains(name) && !a[name].is_null() && scalar_text(a[name]) == want) return true;
  return a.contains(id) && scalar_text(a[id]) == want;
}

Result<bool> op_owner(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  if (!a->is_object()) {
    return make_error(Errc::kInvalidArgument, "owner needs a file's stat, got '{}'",
                      scalar_text(*a));
  }
  for (const auto& x : items(e)) {
    std::string s = scalar_text(x);
    size_t colon = s.find(':');
    std::string user = s.substr(0, colon);
    bool ok = name_matches(*a, "user", "uid", user);
    if (ok && colon != std::string::npos)
      ok = name_matches(*a, "group", "gid", s.substr(colon + 1));
    if (ok) return true;
  }
  return false;
}

Result<bool> op_group(const json* a, const json& e) {
  if (!a || a->is_null()) return false;
  if (!a->is_object()) {
    return make_error(Errc::kInvalidArgument, "group needs a file's stat, got '{}'",
                      scalar_text(*a));
  }
  for (const auto& x : items(e)) {
    if (name_matches(*a, "group", "gid", scalar_text(x))) return true;
  }
  return false;
}

}  // namespace

Status register_builtin_operators(OperatorRegistry& r) {
  struct Row {
    std::string_view name, desc;
    FnOperator::ValidateFn v;
    FnOperator::TestFn t;
  };
  static const Row kRows[] = {
      {"eq", "equal (numerically when both are numbers); a list value means any of", any_value,
       op_eq},
      {"ne", "not equal to (any of) the value; holds when not set", any_value, op_ne},
      {"lt", "number less than", number_value, op_lt},
      {"lte", "number less than or equal", number_value, op_lte},
      {"gt", "number greater than", number_value, op_gt},
      {"gte", "number greater than or equal", number_value, op_gte},
      {"has", "list contains the element / object has the key / text contains", any_value, op_has},
      {"nothave", "negation of has; holds when not set", any_value, op_nothave},
      {"regex", "RE2 partial match (a list: any element matches)", regex_value, op_regex},
      {"notregex", "no match (a list: no element matches); holds when not set", regex_value,
       op_notregex},
      {"valid_elements", "every element (list, or comma-separated text) is in the value list",
       any_value, op_valid_elements},
      {"has_element",
       "an element (list items, comma-separated text) equals the value (a list: any of)", any_value,
       op_has_element},
      {"nothave_element", "no element equals (any of) the value; holds when not set", any_value,
       op_nothave_element},
      {"empty", "value is empty or not set (value: true, default) / non-empty (false)", bool_value,
       op_empty},
      {"set", "the fact (or path) exists (value: true, default) / does not exist (false)",
       bool_value, op_set},
      {"mode", "permission bits are the octal value or more restrictive", mode_value, op_mode},
      {"owner", "file owner is user or user:group (names or numeric ids; a list: any of)",
       owner_value, op_owner},
      {"group", "file group is the name or numeric id (a list: any of)", owner_value, op_group},
  };
  for (const Row& row : kRows) {
    HIVESEC_TRY_STATUS(r.add(std::make_unique<FnOperator>(row.name, row.desc, row.v, row.t)));
  }
  return ok_status();
}

}  // namespace hivesec::policy
