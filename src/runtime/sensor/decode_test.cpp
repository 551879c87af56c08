// Record decoding without a kernel: records are built exactly as the BPF side lays them out
// (sensor_abi.h) and decoded into Events.
#include "runtime/sensor/decode.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include <cstring>
#include <filesystem>

#include "runtime/sensor/syscall_table.h"

namespace hivesec::runtime::sensor {
namespace {

hs_sys sys_record(uint32_t kind, long nr) {
  hs_sys r{};
  r.h.kind = kind;
  r.h.syscall_nr = static_cast<uint32_t>(nr);
  r.h.pid = 10;
  r.h.tid = 11;
  r.h.ppid = 1;
  std::memcpy(r.h.comm, "bash", 5);
  r.fd.num = -1;
  return r;
}

TEST(SensorDecodeTest, SockaddrFamilies) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(4444);
  inet_pton(AF_INET, "10.1.2.3", &in.sin_addr);
  SockAddr sa;
  ASSERT_TRUE(parse_sockaddr({reinterpret_cast<uint8_t*>(&in), sizeof(in)}, sa));
  EXPECT_EQ(sa.addr, "10.1.2.3");
  EXPECT_EQ(sa.port, 4444);

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(443);
  inet_pton(AF_INET6, "2001:db8::1", &in6.sin6_addr);
  ASSERT_TRUE(parse_sockaddr({reinterpret_cast<uint8_t*>(&in6), sizeof(in6)}, sa));
  EXPECT_EQ(sa.addr, "2001:db8::1");
  EXPECT_EQ(sa.port, 443);

  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/run/docker.sock");
  ASSERT_TRUE(parse_sockaddr({reinterpret_cast<uint8_t*>(&un), sizeof(un)}, sa));
  EXPECT_EQ(sa.addr, "/run/docker.sock");
  uint8_t abstract[] = {AF_UNIX, 0, 0, 'x', 'y'};
  ASSERT_TRUE(parse_sockaddr(abstract, sa));
  EXPECT_EQ(sa.addr, "@xy");

  EXPECT_FALSE(parse_sockaddr({reinterpret_cast<uint8_t*>(&in), 4}, sa));  // truncated
  uint8_t unknown[16] = {42};
  EXPECT_FALSE(parse_sockaddr(unknown, sa));
}

TEST(SensorDecodeTest, SplitArgs) {
  std::vector<std::string> out;
  split_args(std::string_view("sh\0-c\0\0echo hi\0", 16), out);
  EXPECT_EQ(out, (std::vector<std::string>{"sh", "-c", "", "echo hi"}));
  split_args(std::string_view("truncat", 7), out);  // no final NUL: kept
  EXPECT_EQ(out, (std::vector<std::string>{"truncat"}));
  split_args("", out);
  EXPECT_TRUE(out.empty());
}

TEST(SensorDecodeTest, RecordSizeIsChecked) {
  hs_sys r = sys_record(HS_K_OPEN, SYS_openat);
  EXPECT_TRUE(check_record(&r, sizeof(r)).ok());
  EXPECT_FALSE(check_record(&r, sizeof(r) - 1).ok());
  EXPECT_FALSE(check_record(&r, 8).ok());
  r.h.kind = HS_K_COUNT;
  EXPECT_FALSE(check_record(&r, sizeof(r)).ok());
  hs_task t{};
  t.h.kind = HS_K_EXIT;
  EXPECT_TRUE(check_record(&t, sizeof(t)).ok());
  t.h.kind = HS_K_EXEC;
  EXPECT_FALSE(check_record(&t, sizeof(t)).ok());  // an exec record is larger
}

TEST(SensorDecodeTest, DupOfASocketOntoStdin) {
  hs_sys r = sys_record(HS_K_DUP, SYS_dup2);
  r.args[0] = 3;
  r.args[1] = 0;
  r.ret = 0;
  r.fd.num = 3;
  r.fd.type = HS_FD_SOCK;
  r.fd.family = AF_INET;
  r.fd.l4proto = IPPROTO_TCP;
  r.fd.lport = 50000;
  r.fd.rport = 4444;
  inet_pton(AF_INET, "10.0.0.5", r.fd.laddr);
  inet_pton(AF_INET, "203.0.113.9", r.fd.raddr);
  Event ev;
  decode_record(&r, ClockOffset{}, ev);
  EXPECT_EQ(ev.type, EventType::kDup);
  EXPECT_EQ(ev.syscall, "dup2");
  EXPECT_EQ(ev.args.newfd, 0);
  EXPECT_EQ(ev.fd.num, 3);
  EXPECT_EQ(ev.fd.typechar, '4');
  EXPECT_EQ(ev.fd.name, "10.0.0.5:50000->203.0.113.9:4444");
  EXPECT_EQ(ev.proc.name, "bash");
}

TEST(SensorDecodeTest, ConnectIpv6FromSockaddr) {
  hs_sys r = sys_record(HS_K_CONNECT, SYS_connect);
  r.fd.type = HS_FD_SOCK;
  r.fd.family = AF_INET6;
  r.fd.lport = 40000;
  inet_pton(AF_INET6, "::1", r.fd.laddr);
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(8443);
  inet_pton(AF_INET6, "::1", &in6.sin6_addr);
  std::memcpy(r.blob, &in6, sizeof(in6));
  r.blob_len = sizeof(in6);
  Event ev;
  decode_record(&r, ClockOffset{}, ev);
  EXPECT_EQ(ev.fd.typechar, '6');
  EXPECT_EQ(ev.fd.sip, "::1");
  EXPECT_EQ(ev.fd.sport, 8443);
  EXPECT_EQ(ev.fd.cport, 40000);
  EXPECT_EQ(ev.fd.name, "[::1]:40000->[::1]:8443");
  EXPECT_FALSE(ev.fd.is_server);
}

TEST(SensorDecodeTest, OpenAndChownArguments) {
  hs_sys r = sys_record(HS_K_OPEN, SYS_openat);
  r.args[2] = O_WRONLY | O_CREAT;
  r.args[3] = 0640;
  r.ret = 5;
  std::strcpy(r.path, "/etc/cron.d/x");
  Event ev;
  decode_record(&r, ClockOffset{}, ev);
  EXPECT_EQ(ev.args.path, "/etc/cron.d/x");
  EXPECT_EQ(ev.args.flags, static_cast<uint32_t>(O_WRONLY | O_CREAT));
  EXPECT_EQ(ev.args.mode, 0640u);
  EXPECT_EQ(ev.fd.num, 5);

  hs_sys c = sys_record(HS_K_CHOWN, SYS_fchownat);
  c.args[2] = 0;
  c.args[3] = 0xffffffffu;  // gid unchanged
  std::strcpy(c.path, "/bin/sh");
  decode_record(&c, ClockOffset{}, ev);  // the same Event object is reused
  EXPECT_EQ(ev.type, EventType::kChown);
  EXPECT_EQ(ev.args.target_uid, 0);
  EXPECT_EQ(ev.args.target_gid, -1);
  EXPECT_EQ(ev.args.flags, 0u);  // reset from the previous record
  EXPECT_EQ(ev.fd.num, -1);
}

TEST(SensorDecodeTest, ExecRecord) {
  static hs_exec r{};
  r.h.kind = HS_K_EXEC;
  r.h.ts_boot_ns = 1000;
  r.h.start_boot_ns = 500;
  std::strcpy(r.filename, "/proc/self/fd/3");
  std::strcpy(r.exepath, "/memfd:x (deleted)");
  std::strcpy(r.cwd, "/tmp");
  const char argv[] = "fileless\0-v\0";
  std::memcpy(r.args, argv, sizeof(argv) - 1);
  r.args_len = sizeof(argv) - 1;
  r.flags = HS_EXEC_MEMFD;
  Event ev;
  ClockOffset clock;
  clock.boot_to_real_ns = 1'000'000;
  decode_record(&r, clock, ev);
  EXPECT_EQ(ev.type, EventType::kExec);
  EXPECT_EQ(ev.proc.exe, "fileless");
  EXPECT_EQ(ev.proc.args, (std::vector<std::string>{"-v"}));
  EXPECT_EQ(ev.proc.cwd, "/tmp");
  EXPECT_TRUE(ev.proc.exe_from_memfd);
  EXPECT_EQ(ev.ts_ns, 1'001'000u);
  EXPECT_EQ(ev.proc.start_ns, 1'000'500u);
  EXPECT_EQ(ev.args.path, "/proc/self/fd/3");
}

TEST(SensorDecodeTest, SyscallTableIsConsistent) {
  for (const SyscallEntry& e : syscall_table()) {
    EXPECT_EQ(find_syscall(e.nr), &e) << e.name;
    EXPECT_EQ(event_type_of(e.desc.kind), e.type) << e.name;
    EXPECT_LT(e.nr, HS_MAX_SYSCALLS) << e.name;
    EXPECT_LE(e.desc.blob_len, HS_BLOB_LEN - 1) << e.name;
  }
  ASSERT_NE(find_syscall(SYS_dup3), nullptr);
  EXPECT_EQ(find_syscall(SYS_dup3)->name, "dup3");
  EXPECT_EQ(find_syscall(SYS_getpid), nullptr);
}

// The sensor attaches to syscalls/sys_exit_<tracepoint>: every name must exist on this kernel,
// except the module syscalls of a kernel without module support (no /proc/modules).
TEST(SensorDecodeTest, SyscallTracepointsExistOnThisKernel) {
  std::string dir = "/sys/kernel/tracing/events/syscalls";
  if (!std::filesystem::exists(dir)) dir = "/sys/kernel/debug/tracing/events/syscalls";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) GTEST_SKIP() << "no readable syscall tracepoints";
  bool modules = std::filesystem::exists("/proc/modules");
  for (const SyscallEntry& e : syscall_table()) {
    EXPECT_FALSE(e.tracepoint.empty()) << e.name;
    if (!modules && e.type == EventType::kModuleLoad) continue;
    EXPECT_TRUE(std::filesystem::exists(dir + "/sys_exit_" + std::string(e.tracepoint)))
        << e.name << " -> sys_exit_" << e.tracepoint;
  }
  ASSERT_NE(find_syscall(SYS_umount2), nullptr);
  EXPECT_EQ(find_syscall(SYS_umount2)->tracepoint, "umount");
}

}  // namespace
}  // namespace hivesec::runtime::sensor
