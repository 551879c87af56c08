// Events as JSON lines: the record/replay format (`hivesec agent --record FILE`, replay tests,
// rule testdata). One JSON object per line, schema version 1:
//
//   {"type":"open","syscall":"openat","ts":1700000000000000000,"cpu":1,
//    "proc":{"pid":42,"tid":42,"ppid":1,"vpid":7,"uid":0,"gid":0,"euid":0,"egid":0,
//            "loginuid":4294967295,"name":"cat","exe":"cat","exepath":"/usr/bin/cat",
//            "args":["/etc/shadow"],"cwd":"/","user":"root","start_ns":0,"tty":false,
//            "exe_from_memfd":false,"exe_written_after_start":false,"exe_upper_layer":false},
//    "ancestors":[{"pid":1,"name":"bash","exepath":"/bin/bash","cmdline":"bash"}],
//    "fd":{"num":3,"typechar":"f","name":"/etc/shadow","cip":"","sip":"","cport":0,"sport":0,
//          "l4proto":0,"is_server":false},
//    "args":{"res":3,"flags":0,"mode":0,"target_uid":-1,"target_gid":-1,"request":0,
//            "target_pid":0,"newfd":-1,"exit_code":0,"backlog":0,"cap_effective":0,
//            "cap_permitted":0,"path":"/etc/shadow","target":"","fstype":"","name":""},
//    "container":{"id":"<64 hex>","name":"web","image":"nginx:1.25","image_id":"sha256:...",
//                 "labels":{"k":"v"},"pod_name":"","pod_namespace":"","pod_uid":"",
//                 "privileged":false,"started_ns":0,"metadata_complete":true}}
//
// Member names are the Event member names; "type" is event_type_name(). The writer emits every
// member; the reader accepts any subset (missing members keep the Event defaults) and rejects
// unknown members and wrong JSON types, so a typo in hand-written testdata fails loudly.
// `"container"` may be omitted (the event then has no container) and "v" (schema version, 1)
// may be present.
//
// Thread-safety: the functions are pure; the Writer is not thread-safe.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/event.h"

namespace hivesec::runtime {

inline constexpr int kEventJsonVersion = 1;
inline constexpr size_t kMaxEventLineBytes = 1024 * 1024;

// EventType from its stable name ("exec", "open", ...). False when unknown.
bool event_type_from_name(std::string_view name, EventType& out);

// Serialises every field of `ev` as one JSON object (no newline). Invalid UTF-8 in strings is
// replaced (U+FFFD).
std::string event_to_json(const Event& ev);

// Parses one line into `out` (which is reset first). Errors: kCorrupt naming the problem
// (unknown member, wrong type, bad type name), kLimit for oversized input.
[[nodiscard]] Status event_from_json(std::string_view line, Event& out);

// Appends events to a file as JSON lines; flushes on every write so a crash loses at most
// the event being written.
class EventWriter {
 public:
  // Opens (truncates) `path`; "-" is stdout. Errors: kIo.
  [[nodiscard]] static Result<std::unique_ptr<EventWriter>> open(const std::string& path);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  [[nodiscard]] Status write(const Event& ev);
  uint64_t written() const { return written_; }

 private:
  EventWriter(FILE* f, bool owned) : f_(f), owned_(owned) {}
  FILE* f_;
  bool owned_;
  uint64_t written_ = 0;
};

}  // namespace hivesec::runtime
