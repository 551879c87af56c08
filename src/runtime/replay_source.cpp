// Line-oriented replay with a bounded line buffer: an over-long line is consumed up to its end
// and reported, never held in memory.
#include "runtime/replay_source.h"

#include <cerrno>
#include <cstring>

#include "runtime/event_json.h"

namespace hivesec::runtime {

namespace {
bool same_container(const ContainerInfo& a, const ContainerInfo& b) {
  return a.id == b.id && a.name == b.name && a.image == b.image && a.image_id == b.image_id &&
         a.labels == b.labels && a.pod_name == b.pod_name && a.pod_namespace == b.pod_namespace &&
         a.pod_uid == b.pod_uid && a.privileged == b.privileged && a.started_ns == b.started_ns &&
         a.metadata_complete == b.metadata_complete;
}
constexpr size_t kMaxContainers = 4096;
}  // namespace

Result<std::unique_ptr<ReplayEventSource>> ReplayEventSource::open(const std::string& path) {
  std::unique_ptr<ReplayEventSource> s(new ReplayEventSource());
  s->path_ = path;
  if (path == "-") {
    s->f_ = stdin;
    return s;
  }
  s->f_ = std::fopen(path.c_str(), "rb");
  if (!s->f_) {
    return make_error(errno == ENOENT ? Errc::kNotFound : Errc::kIo, "cannot open {}: {}", path,
                      std::strerror(errno));
  }
  s->owned_ = true;
  return s;
}

std::unique_ptr<ReplayEventSource> ReplayEventSource::from_string(std::string text,
                                                                  std::string name) {
  std::unique_ptr<ReplayEventSource> s(new ReplayEventSource());
  s->text_ = std::move(text);
  s->from_text_ = true;
  s->path_ = std::move(name);
  return s;
}

ReplayEventSource::~ReplayEventSource() {
  if (owned_ && f_) std::fclose(f_);
}

bool ReplayEventSource::read_line(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  if (from_text_) {
    if (text_pos_ >= text_.size()) return false;
    size_t nl = text_.find('\n', text_pos_);
    size_t end = nl == std::string::npos ? text_.size() : nl;
    if (end - text_pos_ > kMaxEventLineBytes) {
      too_long = true;
    } else {
      line.assign(text_, text_pos_, end - text_pos_);
    }
    text_pos_ = nl == std::string::npos ? text_.size() : nl + 1;
    return true;
  }
  int c;
  bool any = false;
  while ((c = std::fgetc(f_)) != EOF) {
    any = true;
    if (c == '\n') return true;
    if (line.size() >= kMaxEventLineBytes) {
      too_long = true;
      continue;  // skip the rest of the line
    }
    line.push_back(static_cast<char>(c));
  }
  return any;
}

Result<NextStatus> ReplayEventSource::next(Event& out, int /*timeout_ms*/) {
  while (!stopped_) {
    bool too_long = false;
    if (!read_line(line_, too_long)) {
      if (f_ && std::ferror(f_)) return make_error(Errc::kIo, "{}: read error", path_);
      return NextStatus::kEnd;
    }
    ++line_no_;
    if (too_long) {
      return make_error(Errc::kLimit, "{}:{}: line longer than {} bytes", path_, line_no_,
                        kMaxEventLineBytes);
    }
    size_t start = line_.find_first_not_of(" \t\r");
    if (start == std::string::npos || line_[start] == '#') continue;
    auto st = event_from_json(line_, out);
    if (!st.ok()) {
      return Error{st.error().code, fmt::format("{}:{}: {}", path_, line_no_, st.error().message)};
    }
    if (out.container) {
      auto it = containers_.find(out.container->id);
      if (it != containers_.end() && same_container(*it->second, *out.container)) {
        out.container = it->second;
      } else if (it != containers_.end()) {
        it->second = out.container;
      } else if (containers_.size() < kMaxContainers) {
        containers_.emplace(out.container->id, out.container);
      }
    }
    ++delivered_;
    return NextStatus::kEvent;
  }
  return NextStatus::kEnd;
}

SourceStats ReplayEventSource::stats() const {
  SourceStats s;
  s.delivered = delivered_;
  return s;
}

}  // namespace hivesec::runtime
