// Event <-> JSON line. Each struct has one table of members (name, reader, writer) so the
// reader and the writer cannot drift apart.
#include "runtime/event_json.h"

#include <functional>
#include <limits>

#include "common/json.h"

namespace hivesec::runtime {

using nlohmann::json;

namespace {

template <typename T>
bool read_int(const json& v, T& out) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    out = static_cast<T>(u);
    return true;
  }
  int64_t i = v.get<int64_t>();
  if (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      (i > 0 && static_cast<uint64_t>(i) > static_cast<uint64_t>(std::numeric_limits<T>::max()))) {
    return false;
  }
  out = static_cast<T>(i);
  return true;
}
bool read_str(const json& v, std::string& out) {
  if (!v.is_string()) return false;
  out = v.get<std::string>();
  return true;
}
bool read_bool(const json& v, bool& out) {
  if (!v.is_boolean()) return false;
  out = v.get<bool>();
  return true;
}
bool read_strings(const json& v, std::vector<std::string>& out) {
  if (!v.is_array()) return false;
  out.clear();
  for (const auto& e : v) {
    if (!e.is_string()) return false;
    out.push_back(e.get<std::string>());
  }
  return true;
}

// One member of a struct: how to read it from JSON and write it to JSON.
template <typename S>
struct Member {
  const char* name;
  std::function<bool(const json&, S&)> read;
  std::function<json(const S&)> write;
};

#define INT_MEMBER(S, m)                                                                           \
  Member<S> {                                                                                      \
#m, [](const json& v, S& s) { return read_int(v, s.m); }, [](const S& s) { return json(s.m); } \
  }
#define STR_MEMBER(S, m)                                                                           \
  Member<S> {                                                                                      \
#m, [](const json& v, S& s) { return read_str(v, s.m); }, [](const S& s) { return json(s.m); } \
  }
#define BOOL_MEMBER(S, m)                                                                        \
  Member<S> {                                                                                    \
#m, [](const json& v, S& s) { return read_bool(v, s.m); },                                   \
                                                            [](const S& s) { return json(s.m); } \
  }

const std::vector<Member<ProcessInfo>>& proc_members() {
  static const std::vector<Member<ProcessInfo>> k = {
      INT_MEMBER(ProcessInfo, pid),
      INT_MEMBER(ProcessInfo, tid),
      INT_MEMBER(ProcessInfo, ppid),
      INT_MEMBER(ProcessInfo, vpid),
      INT_MEMBER(ProcessInfo, uid),
      INT_MEMBER(ProcessInfo, gid),
      INT_MEMBER(ProcessInfo, euid),
      INT_MEMBER(ProcessInfo, egid),
      INT_MEMBER(ProcessInfo, loginuid),
      STR_MEMBER(ProcessInfo, name),
      STR_MEMBER(ProcessInfo, exe),
      STR_MEMBER(ProcessInfo, exepath),
      Member<ProcessInfo>{"args",
                          [](const json& v, ProcessInfo& s) { return read_strings(v, s.args); },
                          [](const ProcessInfo& s) { return json(s.args); }},
      STR_MEMBER(ProcessInfo, cwd),
      STR_MEMBER(ProcessInfo, user),
      INT_MEMBER(ProcessInfo, start_ns),
      BOOL_MEMBER(ProcessInfo, tty),
      BOOL_MEMBER(ProcessInfo, exe_from_memfd),
      BOOL_MEMBER(ProcessInfo, exe_written_after_start),
      BOOL_MEMBER(ProcessInfo, exe_upper_layer),
  };
  return k;
}

const std::vector<Member<AncestorInfo>>& ancestor_members() {
  static const std::vector<Member<AncestorInfo>> k = {
      INT_MEMBER(AncestorInfo, pid), STR_MEMBER(AncestorInfo, name),
      STR_MEMBER(AncestorInfo, exepath), STR_MEMBER(AncestorInfo, cmdline)};
  return k;
}

const std::vector<Member<FdInfo>>& fd_members() {
  static const std::vector<Member<FdInfo>> k = {
      INT_MEMBER(FdInfo, num),
      Member<FdInfo>{"typechar",
                     [](const json& v, FdInfo& s) {
                       if (!v.is_string()) return false;
                       const auto& t = v.get_ref<const std::string&>();
                       if (t.size() > 1) return false;
                       s.typechar = t.empty() ? '\0' : t[0];
                       return true;
                     },
                     [](const FdInfo& s) {
                       return json(s.typechar ? std::string(1, s.typechar) : std::string());
                     }},
      STR_MEMBER(FdInfo, name),
      STR_MEMBER(FdInfo, cip),
      STR_MEMBER(FdInfo, sip),
      INT_MEMBER(FdInfo, cport),
      INT_MEMBER(FdInfo, sport),
      INT_MEMBER(FdInfo, l4proto),
      BOOL_MEMBER(FdInfo, is_server)};
  return k;
}

const std::vector<Member<EventArgs>>& args_members() {
  static const std::vector<Member<EventArgs>> k = {
      INT_MEMBER(EventArgs, res),           INT_MEMBER(EventArgs, flags),
      INT_MEMBER(EventArgs, mode),          INT_MEMBER(EventArgs, target_uid),
      INT_MEMBER(EventArgs, target_gid),    INT_MEMBER(EventArgs, request),
      INT_MEMBER(EventArgs, target_pid),    INT_MEMBER(EventArgs, newfd),
      INT_MEMBER(EventArgs, exit_code),     INT_MEMBER(EventArgs, backlog),
      INT_MEMBER(EventArgs, cap_effective), INT_MEMBER(EventArgs, cap_permitted),
      STR_MEMBER(EventArgs, path),          STR_MEMBER(EventArgs, target),
      STR_MEMBER(EventArgs, fstype),        STR_MEMBER(EventArgs, name)};
  return k;
}

const std::vector<Member<ContainerInfo>>& container_members() {
  static const std::vector<Member<ContainerInfo>> k = {
      STR_MEMBER(ContainerInfo, id),
      STR_MEMBER(ContainerInfo, name),
      STR_MEMBER(ContainerInfo, image),
      STR_MEMBER(ContainerInfo, image_id),
      Member<ContainerInfo>{"labels",
                            [](const json& v, ContainerInfo& s) {
                              if (!v.is_object()) return false;
                              s.labels.clear();
                              for (auto it = v.begin(); it != v.end(); ++it) {
                                if (!it.value().is_string()) return false;
                                s.labels[it.key()] = it.value().get<std::string>();
                              }
                              return true;
                            },
                            [](const ContainerInfo& s) { return json(s.labels); }},
      STR_MEMBER(ContainerInfo, pod_name),
      STR_MEMBER(ContainerInfo, pod_namespace),
      STR_MEMBER(ContainerInfo, pod_uid),
      BOOL_MEMBER(ContainerInfo, privileged),
      INT_MEMBER(ContainerInfo, started_ns),
      BOOL_MEMBER(ContainerInfo, metadata_complete)};
  return k;
}

template <typename S>
json write_struct(const S& s, const std::vector<Member<S>>& members) {
  json o = json::object();
  for (const auto& m : members) o[m.name] = m.write(s);
  return o;
}

template <typename S>
Status read_struct(const json& o, S& s, const std::vector<Member<S>>& members,
                   std::string_view where) {
  if (!o.is_object()) return make_error(Errc::kCorrupt, "'{}' must be an object", where);
  for (auto it = o.begin(); it != o.end(); ++it) {
    const Member<S>* found = nullptr;
    for (const auto& m : members) {
      if (it.key() == m.name) found = &m;
    }
    if (!found) return make_error(Errc::kCorrupt, "unknown member '{}.{}'", where, it.key());
    if (!found->read(it.value(), s)) {
      return make_error(Errc::kCorrupt, "'{}.{}' has the wrong type or range", where, it.key());
    }
  }
  return ok_status();
}

}  // namespace

bool event_type_from_name(std::string_view name, EventType& out) {
  for (size_t i = 0; i < kEventTypeCount; ++i) {
    if (event_type_name(static_cast<EventType>(i)) == name) {
      out = static_cast<EventType>(i);
      return true;
    }
  }
  return false;
}

std::string event_to_json(const Event& ev) {
  json j = json::object();
  j["v"] = kEventJsonVersion;
  j["type"] = std::string(event_type_name(ev.type));
  j["syscall"] = ev.syscall;
  j["ts"] = ev.ts_ns;
  j["cpu"] = ev.cpu;
  j["proc"] = write_struct(ev.proc, proc_members());
  json anc = json::array();
  for (const auto& a : ev.ancestors) anc.push_back(write_struct(a, ancestor_members()));
  j["ancestors"] = std::move(anc);
  j["fd"] = write_struct(ev.fd, fd_members());
  j["args"] = write_struct(ev.args, args_members());
  if (ev.container) j["container"] = write_struct(*ev.container, container_members());
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Status event_from_json(std::string_view line, Event& out) {
  if (line.size() > kMaxEventLineBytes) {
    return make_error(Errc::kLimit, "event longer than {} bytes", kMaxEventLineBytes);
  }
  HIVESEC_TRY(json j, parse_json_bounded(line, 8));
  if (!j.is_object()) return make_error(Errc::kCorrupt, "an event must be a JSON object");
  out = Event{};
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    bool ok = true;
    if (k == "v") {
      int ver = 0;
      if (!read_int(v, ver) || ver != kEventJsonVersion) {
        return make_error(Errc::kCorrupt, "unsupported event schema version {}", v.dump());
      }
    } else if (k == "type") {
      std::string t;
      if (!read_str(v, t) || !event_type_from_name(t, out.type)) {
        return make_error(Errc::kCorrupt, "unknown event type {}", v.dump());
      }
    } else if (k == "syscall") {
      ok = read_str(v, out.syscall);
    } else if (k == "ts") {
      ok = read_int(v, out.ts_ns);
    } else if (k == "cpu") {
      ok = read_int(v, out.cpu);
    } else if (k == "proc") {
      HIVESEC_TRY_STATUS(read_struct(v, out.proc, proc_members(), "proc"));
    } else if (k == "ancestors") {
      if (!v.is_array()) return make_error(Errc::kCorrupt, "'ancestors' must be an array");
      for (const auto& a : v) {
        AncestorInfo ai;
        HIVESEC_TRY_STATUS(read_struct(a, ai, ancestor_members(), "ancestors[]"));
        out.ancestors.push_back(std::move(ai));
      }
    } else if (k == "fd") {
      HIVESEC_TRY_STATUS(read_struct(v, out.fd, fd_members(), "fd"));
    } else if (k == "args") {
      HIVESEC_TRY_STATUS(read_struct(v, out.args, args_members(), "args"));
    } else if (k == "container") {
      auto c = std::make_shared<ContainerInfo>();
      HIVESEC_TRY_STATUS(read_struct(v, *c, container_members(), "container"));
      out.container = std::move(c);
    } else {
      return make_error(Errc::kCorrupt, "unknown member '{}'", k);
    }
    if (!ok) return make_error(Errc::kCorrupt, "'{}' has the wrong type or range", k);
  }
  if (out.syscall.empty()) {
    return make_error(Errc::kCorrupt, "event has no 'syscall'");
  }
  return ok_status();
}

Result<std::unique_ptr<EventWriter>> EventWriter::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<EventWriter>(new EventWriter(stdout, false));
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return make_error(Errc::kIo, "cannot open {} for writing", path);
  return std::unique_ptr<EventWriter>(new EventWriter(f, true));
}

EventWriter::~EventWriter() {
  if (owned_ && f_) std::fclose(f_);
}

Status EventWriter::write(const Event& ev) {
  std::string line = event_to_json(ev);
  line.push_back('\n');
  if (std::fwrite(line.data(), 1, line.size(), f_) != line.size() || std::fflush(f_) != 0) {
    return make_error(Errc::kIo, "writing event record failed");
  }
  ++written_;
  return ok_status();
}

}  // namespace hivesec::runtime
