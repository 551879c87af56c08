#include "report/writer.h"

namespace hivesec::report {

Status WriterRegistry::add(std::unique_ptr<Writer> writer) {
  if (find(writer->name())) {
    return make_error(Errc::kInternal, "report writer '{}' registered twice", writer->name());
  }
  writers_.push_back(std::move(writer));
  return ok_status();
}

const Writer* WriterRegistry::find(std::string_view name) const {
  for (const auto& w : writers_) {
    if (w->name() == name) return w.get();
  }
  return nullptr;
}

std::vector<std::string> WriterRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& w : writers_) out.emplace_back(w->name());
  return out;
}

}  // namespace hivesec::report
