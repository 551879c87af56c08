// The process table over real /proc data: the test's own process and a child it forks, and
// fork/exec/exit bookkeeping with the parent chain.
#include "runtime/sensor/process_table.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace hivesec::runtime::sensor {
namespace {

TEST(SensorProcessTableTest, ReadsOwnProcessFromProc) {
  ProcessInfo p;
  ClockOffset clock = ClockOffset::now();
  ASSERT_TRUE(ProcessTable::read_proc("/proc", getpid(), clock, p));
  EXPECT_EQ(p.pid, getpid());
  EXPECT_EQ(p.ppid, getppid());
  EXPECT_EQ(p.uid, getuid());
  EXPECT_FALSE(p.exepath.empty());
  EXPECT_NE(p.exepath.find("hivesec_tests"), std::string::npos);
  EXPECT_FALSE(p.cwd.empty());
  EXPECT_GT(p.start_ns, 1'600'000'000'000'000'000ull);  // a realtime clock value
  EXPECT_FALSE(ProcessTable::read_proc("/proc", 0x7ffffff0, clock, p));
}

TEST(SensorProcessTableTest, ChildSeenThroughProcFallback) {
  pid_t child = fork();
  if (child == 0) {
    execl("/bin/sleep", "sleep", "5", static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(child, 0);
  ClockOffset clock = ClockOffset::now();
  ProcessTable t;
  ProcEntry* e = nullptr;
  for (int i = 0; i < 100; ++i) {  // wait for the exec to happen
    ProcessInfo p;
    if (ProcessTable::read_proc("/proc", child, clock, p) && p.exepath == "/usr/bin/sleep") break;
    usleep(10000);
  }
  e = t.get(child, clock);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->info.exe, "sleep");
  EXPECT_EQ(e->info.args, (std::vector<std::string>{"5"}));
  std::vector<AncestorInfo> anc;
  t.ancestors(child, 4, clock, anc);
  ASSERT_GE(anc.size(), 1u);
  EXPECT_EQ(anc[0].pid, getpid());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(SensorProcessTableTest, ForkExecExitAndAncestors) {
  ClockOffset clock;
  ProcessTable t("/nonexistent-proc");
  ProcessInfo init;
  init.pid = 1;
  init.name = "init";
  init.exepath = "/sbin/init";
  ASSERT_NE(t.on_exec(init), nullptr);
  ProcessInfo sh = init;
  sh.pid = 100;
  sh.ppid = 1;
  sh.name = "sh";
  sh.exepath = "/bin/sh";
  sh.args = {"-c", "x"};
  t.on_exec(sh);
  ProcEntry* child = t.on_fork(100, 101, 5, clock);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->info.exepath, "/bin/sh");  // a fork runs the parent's image
  EXPECT_EQ(child->info.ppid, 100);
  EXPECT_EQ(child->info.start_ns, 5u);
  ProcessInfo nc;
  nc.pid = 101;
  nc.ppid = 100;
  nc.name = "nc";
  nc.exepath = "/usr/bin/nc";
  t.on_exec(nc);
  std::vector<AncestorInfo> anc;
  t.ancestors(101, 4, clock, anc);
  ASSERT_EQ(anc.size(), 2u);
  EXPECT_EQ(anc[0].pid, 100);
  EXPECT_EQ(anc[0].cmdline, "sh -c x");
  EXPECT_EQ(anc[1].exepath, "/sbin/init");
  auto gone = t.on_exit(101);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->info.exepath, "/usr/bin/nc");
  EXPECT_EQ(t.find(101), nullptr);
  EXPECT_FALSE(t.on_exit(101));
}

TEST(SensorProcessTableTest, BoundedSize) {
  ClockOffset clock;
  ProcessTable t("/nonexistent-proc", 2);
  ProcessInfo p;
  for (int pid = 1; pid <= 3; ++pid) {
    p.pid = pid;
    t.on_exec(p);
  }
  EXPECT_EQ(t.size(), 2u);
}

}  // namespace
}  // namespace hivesec::runtime::sensor
