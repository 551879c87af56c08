// Output template compilation and formatting.
#include "runtime/rules/output.h"

namespace hivesec::runtime::rules {
namespace {
bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '.'; }
constexpr size_t kMaxTemplateBytes = 16 * 1024;
}  // namespace

Result<OutputFormat> OutputFormat::compile(std::string_view t) {
  if (t.size() > kMaxTemplateBytes) {
    return make_error(Errc::kLimit, "output longer than {} bytes", kMaxTemplateBytes);
  }
  OutputFormat f;
  std::string lit;
  size_t i = 0;
  while (i < t.size()) {
    char c = t[i];
    if (c != '%' || i + 1 >= t.size() || !name_start(t[i + 1])) {
      lit.push_back(c);
      ++i;
      continue;
    }
    size_t start = i + 1;
    size_t end = start;
    while (end < t.size() && name_char(t[end])) ++end;
    while (end > start && t[end - 1] == '.') --end;  // "%proc.name." ends a sentence
    std::string name(t.substr(start, end - start));
    std::string arg;
    bool has_arg = false;
    size_t next = end;
    if (end < t.size() && t[end] == '[') {
      size_t close = t.find(']', end);
      if (close == std::string_view::npos) {
        return make_error(Errc::kInvalidArgument, "missing ']' after %{}", name);
      }
      arg = std::string(t.substr(end + 1, close - end - 1));
      has_arg = true;
      next = close + 1;
    }
    HIVESEC_TRY(auto rf, resolve_field(name, has_arg ? &arg : nullptr));
    std::string full = has_arg ? name + "[" + arg + "]" : name;
    int idx = -1;
    for (size_t k = 0; k < f.fields_.size(); ++k) {
      if (f.fields_[k].name == full) idx = static_cast<int>(k);
    }
    if (idx < 0) {
      idx = static_cast<int>(f.fields_.size());
      f.fields_.push_back(FieldRef{full, std::move(rf)});
    }
    if (!lit.empty()) f.segments_.push_back(Segment{std::move(lit), -1});
    lit.clear();
    f.segments_.push_back(Segment{{}, idx});
    i = next;
  }
  if (!lit.empty()) f.segments_.push_back(Segment{std::move(lit), -1});
  return f;
}

void OutputFormat::format(const Event& ev, FieldScratch& scratch, std::string& out) const {
  for (const auto& s : segments_) {
    if (s.field < 0) {
      out.append(s.literal);
    } else {
      append_field_text(fields_[static_cast<size_t>(s.field)].field, ev, scratch, out);
    }
  }
}

}  // namespace hivesec::runtime::rules
