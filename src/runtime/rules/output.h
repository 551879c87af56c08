// Rule output templates: "%proc.name ran %proc.cmdline (parent=%proc.aname[1])". A template is
// compiled once into literal text and resolved fields; formatting an alert substitutes each
// field's value, or "<NA>" when the event has none (as Falco does).
//
// Thread-safety: an OutputFormat is immutable after compile(); format() may run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/event.h"
#include "runtime/rules/fields.h"

namespace hivesec::runtime::rules {

class OutputFormat {
 public:
  struct FieldRef {
    std::string name;  // as written: "proc.aname[2]"
    ResolvedField field;
  };

  // Compiles a template. `%` followed by a field name (letters, digits, '_', '.', optionally
  // "[arg]") is a field; a trailing '.' is not part of the name; any other '%' is literal.
  // Errors: kNotFound for an unknown field, kInvalidArgument for a bad argument.
  [[nodiscard]] static Result<OutputFormat> compile(std::string_view tmpl);

  void format(const Event& ev, FieldScratch& scratch, std::string& out) const;
  // Distinct fields in order of first use.
  const std::vector<FieldRef>& fields() const { return fields_; }

 private:
  struct Segment {
    std::string literal;
    int field = -1;  // index into fields_, or -1 for a literal
  };
  std::vector<Segment> segments_;
  std::vector<FieldRef> fields_;
};

}  // namespace hivesec::runtime::rules
