// Event JSON lines: every field survives a round trip, malformed records are rejected with a
// line number, and the replay source bounds line length and shares container records.
#include "runtime/event_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "runtime/replay_source.h"

namespace hivesec::runtime {
namespace {

Event full_event() {
  Event ev;
  ev.type = EventType::kConnect;
  ev.syscall = "connect";
  ev.ts_ns = 1700000000123456789ull;
  ev.cpu = 5;
  ProcessInfo& p = ev.proc;
  p.pid = 10;
  p.tid = 11;
  p.ppid = 9;
  p.vpid = 3;
  p.uid = 1000;
  p.gid = 1001;
  p.euid = 0;
  p.egid = 2;
  p.loginuid = 1000;
  p.name = "curl";
  p.exe = "curl";
  p.exepath = "/usr/bin/curl";
  p.args = {"-s", "http://x/\xc3\xa9"};
  p.cwd = "/tmp";
  p.user = "app";
  p.start_ns = 1700000000000000001ull;
  p.tty = true;
  p.exe_from_memfd = true;
  p.exe_written_after_start = true;
  p.exe_upper_layer = true;
  ev.ancestors = {{9, "sh", "/bin/sh", "sh -c curl"}, {1, "init", "/sbin/init", "init"}};
  ev.fd = FdInfo{4, '6', "::1:5000->::2:80", "::1", "::2", 5000, 80, 6, true};
  EventArgs& a = ev.args;
  a.res = -111;
  a.flags = 0x80000;
  a.mode = 0644;
  a.target_uid = 0;
  a.target_gid = 5;
  a.request = 16;
  a.target_pid = 77;
  a.newfd = 2;
  a.exit_code = 3;
  a.backlog = 128;
  a.cap_effective = 1ull << 40;
  a.cap_permitted = 0xffffffffffull;
  a.path = "/p";
  a.target = "/t";
  a.fstype = "ext4";
  a.name = "memfd:x";
  auto c = std::make_shared<ContainerInfo>();
  c->id = std::string(64, 'a');
  c->name = "n";
  c->image = "img:1";
  c->image_id = "sha256:b";
  c->labels = {{"k", "v"}, {"io.kubernetes.pod.name", "p"}};
  c->pod_name = "p";
  c->pod_namespace = "ns";
  c->pod_uid = "u";
  c->privileged = true;
  c->started_ns = 42;
  c->metadata_complete = true;
  ev.container = c;
  return ev;
}

TEST(RuntimeEventJson, RoundTripsEveryField) {
  Event ev = full_event();
  std::string line = event_to_json(ev);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  Event back;
  auto st = event_from_json(line, back);
  ASSERT_TRUE(st.ok()) << st.error().message;
  // Serialising again gives the same bytes: nothing was lost or changed.
  EXPECT_EQ(event_to_json(back), line);
  EXPECT_EQ(back.proc.args[1], "http://x/\xc3\xa9");
  EXPECT_EQ(back.fd.typechar, '6');
  EXPECT_EQ(back.args.cap_permitted, 0xffffffffffull);
  EXPECT_EQ(back.args.res, -111);
  EXPECT_EQ(back.container->labels.at("k"), "v");
  EXPECT_TRUE(back.proc.exe_upper_layer);
  // Every event type name round-trips.
  for (size_t i = 0; i < kEventTypeCount; ++i) {
    EventType t;
    ASSERT_TRUE(event_type_from_name(event_type_name(static_cast<EventType>(i)), t));
    EXPECT_EQ(static_cast<size_t>(t), i);
  }
}

TEST(RuntimeEventJson, DefaultsForMissingMembers) {
  Event ev;
  ASSERT_TRUE(event_from_json(R"({"syscall":"execve"})", ev).ok());
  EXPECT_EQ(ev.type, EventType::kExec);
  EXPECT_EQ(ev.proc.loginuid, 0xffffffffu);
  EXPECT_EQ(ev.args.target_uid, -1);
  EXPECT_EQ(ev.container, nullptr);
}

TEST(RuntimeEventJson, RejectsMalformedRecords) {
  const char* bad[] = {
      "",
      "[]",
      "not json",
      R"({"type":"open"})",  // no syscall
      R"({"syscall":"x","type":"teleport"})",
      R"({"syscall":"x","bogus":1})",
      R"({"syscall":"x","proc":{"pid":"12"}})",
      R"({"syscall":"x","proc":{"pid":99999999999}})",  // out of int32 range
      R"({"syscall":"x","proc":{"uid":-1}})",           // unsigned
      R"({"syscall":"x","proc":{"nmae":"typo"}})",
      R"({"syscall":"x","fd":{"typechar":"ab"}})",
      R"({"syscall":"x","ancestors":{}})",
      R"({"syscall":"x","container":{"labels":{"a":1}}})",
      R"({"syscall":"x","v":2})",
      R"({"syscall":"x","args":{"flags":1.5}})",
  };
  for (const char* b : bad) {
    Event ev;
    auto st = event_from_json(b, ev);
    EXPECT_FALSE(st.ok()) << b;
    if (!st.ok()) {
      EXPECT_EQ(st.error().message.find('\n'), std::string::npos);
    }
  }
  std::string deep =
      R"({"syscall":"x","proc":)" + std::string(100, '[') + std::string(100, ']') + "}";
  Event ev;
  EXPECT_FALSE(event_from_json(deep, ev).ok());
}

TEST(RuntimeReplaySource, ReplaysAndNamesBadLines) {
  std::string a = event_to_json(full_event());
  Event second = full_event();
  second.syscall = "connect";
  std::string text = "# comment\n\n" + a + "\n" + event_to_json(second) + "\n{broken\n";
  auto src = ReplayEventSource::from_string(text, "rec.jsonl");
  Event ev;
  auto r = src->next(ev, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, NextStatus::kEvent);
  auto first_container = ev.container;
  r = src->next(ev, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ev.container.get(), first_container.get());  // shared, like live events
  r = src->next(ev, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kCorrupt);
  EXPECT_EQ(r.error().message.rfind("rec.jsonl:5: ", 0), 0u) << r.error().message;
  EXPECT_EQ(src->stats().delivered, 2u);
}

TEST(RuntimeReplaySource, EndStopAndLongLines) {
  auto src = ReplayEventSource::from_string("");
  Event ev;
  auto r = src->next(ev, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, NextStatus::kEnd);

  src = ReplayEventSource::from_string(event_to_json(full_event()));
  src->stop();
  r = src->next(ev, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, NextStatus::kEnd);

  char path[] = "/tmp/hivesec_replay_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path);
    out << std::string(kMaxEventLineBytes + 10, 'x') << "\n" << event_to_json(full_event()) << "\n";
  }
  auto f = ReplayEventSource::open(path);
  ASSERT_TRUE(f.ok());
  r = (*f)->next(ev, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  EXPECT_NE(r.error().message.find(":1:"), std::string::npos) << r.error().message;
  r = (*f)->next(ev, 0);  // the source resynchronises on the next line
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, NextStatus::kEvent);
  std::remove(path);
  EXPECT_EQ(ReplayEventSource::open("/nonexistent/x.jsonl").error().code, Errc::kNotFound);
}

TEST(RuntimeEventWriter, WritesReplayableLines) {
  char path[] = "/tmp/hivesec_record_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    auto w = EventWriter::open(path);
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 3; ++i) {
      Event ev = full_event();
      ev.proc.pid = i;
      ASSERT_TRUE((*w)->write(ev).ok());
    }
    EXPECT_EQ((*w)->written(), 3u);
  }
  auto src = ReplayEventSource::open(path);
  ASSERT_TRUE(src.ok());
  Event ev;
  for (int i = 0; i < 3; ++i) {
    auto r = (*src)->next(ev, 0);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(*r, NextStatus::kEvent);
    EXPECT_EQ(ev.proc.pid, i);
  }
  EXPECT_EQ(*(*src)->next(ev, 0), NextStatus::kEnd);
  std::remove(path);
  EXPECT_FALSE(EventWriter::open("/nonexistent/dir/x.jsonl").ok());
}

}  // namespace
}  // namespace hivesec::runtime
