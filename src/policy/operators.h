// Test operators (eq, ne, lt, gt, has, regex, mode, owner, set, ...), registered by name in an
// OperatorRegistry (STYLE §4). An operator compares the fact value a test addresses with the
// test's expected value.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace hivesec::policy {

class Operator {
 public:
  virtual ~Operator() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;  // one line for the docs
  // Load-time check of the expected value (a regex compiles, a mode is octal, ...).
  virtual Status validate(const nlohmann::json& expected) const = 0;
  // `actual` is nullptr when the fact (or the addressed part) is not set. Returns whether the
  // test holds; kInvalidArgument when the value has the wrong shape ("'abc' is not a number"),
  // which makes the check's verdict ERROR.
  virtual Result<bool> test(const nlohmann::json* actual, const nlohmann::json& expected) const = 0;
};

class OperatorRegistry {
 public:
  Status add(std::unique_ptr<Operator> op);  // kInvalidArgument on a duplicate name
  const Operator* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Operator>> ops_;
};

// eq ne lt lte gt gte has nothave regex notregex valid_elements has_element nothave_element
// empty set mode owner group.
Status register_builtin_operators(OperatorRegistry& registry);

// A scalar JSON value as text ("yes", "5", "true"); arrays/objects as compact JSON.
std::string scalar_text(const nlohmann::json& v);

}  // namespace hivesec::policy
