// ParsedScheme: the Scheme shape shared by schemes that parse a version into a value and compare
// values. Private to src/versions.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>

#include "versions/scheme.h"

namespace hivesec::versions {

// `Parse`: Result<T>(std::string_view); `CompareParsed`: int(const T&, const T&).
// Invalid input sorts below valid input (two invalid ones compare as strings), per the contract
// that compare() on invalid input is unspecified but never crashes.
template <auto Parse, auto CompareParsed>
class ParsedScheme final : public Scheme {
 public:
  explicit ParsedScheme(std::string_view name) : name_(name) {}
  std::string_view name() const override { return name_; }
  Status validate(std::string_view v) const override {
    auto r = Parse(v);
    if (!r.ok()) return std::move(r).error();
    return ok_status();
  }
  int compare(std::string_view a, std::string_view b) const override {
    auto pa = Parse(a);
    auto pb = Parse(b);
    if (!pa.ok() || !pb.ok()) return pa.ok() ? 1 : pb.ok() ? -1 : a.compare(b);
    return CompareParsed(*pa, *pb);
  }
  bool equals_any(std::string_view v, std::span<const std::string> list) const override {
    auto pv = Parse(v);
    if (!pv.ok()) return std::find(list.begin(), list.end(), v) != list.end();
    for (const std::string& listed : list) {
      if (listed == v) return true;
      auto pl = Parse(listed);
      if (pl.ok() && CompareParsed(*pl, *pv) == 0) return true;
    }
    return false;
  }

 private:
  std::string_view name_;
};

}  // namespace hivesec::versions
