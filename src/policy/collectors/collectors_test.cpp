// Every collector against fixture trees written here (offline --root mode), plus the live
// host where the fact exists on every Linux machine.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include "policy/collector.h"
#include "policy/collectors/formats.h"
#include "policy/collectors/util.h"
#include "policy/test_util.h"

namespace hivesec::policy {
namespace {

using nlohmann::json;
using testing::TempTree;

class PolicyCollectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(register_builtin_collectors(reg_).ok());
    tree_.write("/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    tree_.write("/etc/group", "root:x:0:\nshadow:x:42:\nalice:x:1000:\n");
  }
  Fact collect(const char* name, const json& params, HostOptions o) {
    const Collector* c = reg_.find(name);
    EXPECT_NE(c, nullptr) << name;
    EXPECT_TRUE(c->validate(params).ok()) << name << " " << params.dump();
    Host host(std::move(o));
    return c->collect(params, host);
  }
  Fact collect(const char* name, const json& params) {
    return collect(name, params, tree_.offline());
  }
  CollectorRegistry reg_;
  TempTree tree_;
};

TEST_F(PolicyCollectorsTest, RegistryRefusesDuplicatesAndValidates) {
  EXPECT_FALSE(register_builtin_collectors(reg_).ok());
  EXPECT_FALSE(reg_.find("file")->validate(json{{"path", "relative"}}).ok());
  EXPECT_FALSE(reg_.find("file")->validate(json{{"path", "/x"}, {"format", "xml"}}).ok());
  EXPECT_FALSE(reg_.find("file")->validate(json{{"path", "/x"}, {"bogus", "1"}}).ok());
  EXPECT_FALSE(reg_.find("sysctl")->validate(json{{"key", "../../etc/shadow"}}).ok());
  EXPECT_FALSE(reg_.find("accounts")->validate(json{{"view", "all"}}).ok());
  EXPECT_FALSE(reg_.find("find_files")
                   ->validate(json{{"dirs", json::array({"/etc"})}, {"match", "big"}})
                   .ok());
}

TEST_F(PolicyCollectorsTest, StatModeOwnerNamesFromTheTargetRoot) {
  tree_.write("/etc/shadow", "root:*:1:0:99999:7:::\n", 0640);
  ASSERT_EQ(::chown((tree_.root() + "/etc/shadow").c_str(), 0, 42), geteuid() == 0 ? 0 : -1);
  Fact f = collect("stat", {{"path", "/etc/shadow"}});
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["mode"], 0640);
  EXPECT_EQ(f.value["mode_octal"], "0640");
  EXPECT_EQ(f.value["type"], "file");
  if (geteuid() == 0) {
    EXPECT_EQ(f.value["user"], "root");
    EXPECT_EQ(f.value["group"], "shadow");  // gid 42 named by the tree's etc/group
  }
  tree_.write("/etc/orphan", "x");
  if (geteuid() == 0) {
    ASSERT_EQ(::chown((tree_.root() + "/etc/orphan").c_str(), 4242, 4242), 0);
  }
  Fact o = collect("stat", {{"path", "/etc/orphan"}});
  if (geteuid() == 0) {
    EXPECT_TRUE(o.value["user"].is_null());
    EXPECT_EQ(o.value["uid"], 4242);
  }
  EXPECT_EQ(collect("stat", {{"path", "/etc/none"}}).state, FactState::kMissing);
}

TEST_F(PolicyCollectorsTest, SymlinksStayInsideTheRoot) {
  tree_.write("/target/sshd_config", "PermitRootLogin no\n");
  tree_.symlink("/target/sshd_config", "/etc/ssh/sshd_config");  // absolute: resolved in root
  tree_.symlink("../../../../../../etc/hostname", "/etc/escape");
  Fact f = collect("file", {{"path", "/etc/ssh/sshd_config"}, {"format", "sshd"}});
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["permitrootlogin"], "no");
  EXPECT_EQ(collect("file", {{"path", "/etc/escape"}}).state,
            FactState::kMissing);  // not the host's
}

TEST_F(PolicyCollectorsTest, FileFormats) {
  tree_.write("/etc/login.defs", "# comment\nPASS_MAX_DAYS\t90\nUMASK 027\nPASS_MAX_DAYS 60\n");
  Fact kv = collect("file", {{"path", "/etc/login.defs"}, {"format", "keyvalue"}});
  ASSERT_EQ(kv.state, FactState::kOk) << kv.reason;
  EXPECT_EQ(kv.value["PASS_MAX_DAYS"], "60");  // last wins
  EXPECT_EQ(kv.value["UMASK"], "027");

  tree_.write("/etc/sysctl.conf", "net.ipv4.ip_forward = 0\nkernel/kptr_restrict=2\n");
  Fact sc = collect("file", {{"path", "/etc/sysctl.conf"}, {"format", "sysctl"}});
  EXPECT_EQ(sc.value["net.ipv4.ip_forward"], "0");
  EXPECT_EQ(sc.value["kernel.kptr_restrict"], "2");

  tree_.write("/etc/app.ini", "top=1\n[server]\nport = 8080\n; c\n");
  Fact ini = collect("file", {{"path", "/etc/app.ini"}, {"format", "ini"}});
  EXPECT_EQ(ini.value["server"]["port"], "8080");
  EXPECT_EQ(ini.value["top"], "1");

  tree_.write("/lib/systemd/system/kubelet.service",
              "[Service]\nExecStart=/usr/bin/kubelet \\\n  --anonymous-auth=false --port "
              "10250\nUser=root\n");
  Fact unit =
      collect("file", {{"path", "/lib/systemd/system/kubelet.service"}, {"format", "systemd"}});
  ASSERT_EQ(unit.state, FactState::kOk) << unit.reason;
  EXPECT_EQ(unit.value["Service"]["User"], "root");
  EXPECT_NE(unit.value["Service"]["ExecStart"].get<std::string>().find("--port 10250"),
            std::string::npos);

  tree_.write("/etc/default/daemon",
              "/usr/bin/dockerd --icc=false --log-level \"info\" -H unix:///x --live-restore\n");
  Fact flags = collect("file", {{"path", "/etc/default/daemon"}, {"format", "flags"}});
  EXPECT_EQ(flags.value["icc"], "false");
  EXPECT_EQ(flags.value["log-level"], "info");
  EXPECT_EQ(flags.value["H"], "unix:///x");
  EXPECT_EQ(flags.value["live-restore"], "true");

  tree_.write("/etc/docker/daemon.json", R"({"icc": false, "log-opts": {"max-size": "10m"}})");
  Fact js = collect("file", {{"path", "/etc/docker/daemon.json"}, {"format", "json"}});
  EXPECT_EQ(js.value["icc"], false);
  EXPECT_EQ(js.value["log-opts"]["max-size"], "10m");

  tree_.write("/var/lib/kubelet/config.yaml",
              "authentication:\n  anonymous:\n    enabled: false\n");
  Fact ym = collect("file", {{"path", "/var/lib/kubelet/config.yaml"}, {"format", "yaml"}});
  EXPECT_EQ(ym.value["authentication"]["anonymous"]["enabled"], "false");
}

TEST_F(PolicyCollectorsTest, MalformedAndUnreadableFilesAreErrorsWithTheReason) {
  tree_.write("/bad.json", "{\"icc\": fal");
  Fact j = collect("file", {{"path", "/bad.json"}, {"format", "json"}});
  EXPECT_EQ(j.state, FactState::kError);
  EXPECT_NE(j.reason.find("malformed JSON"), std::string::npos) << j.reason;
  tree_.write("/bad.yaml", "a: [1, 2\nb: c\n");
  Fact y = collect("file", {{"path", "/bad.yaml"}, {"format", "yaml"}});
  EXPECT_EQ(y.state, FactState::kError);
  EXPECT_NE(y.reason.find("malformed YAML"), std::string::npos) << y.reason;
  tree_.write("/bad.ini", "[server\nport=1\n");
  Fact i = collect("file", {{"path", "/bad.ini"}, {"format", "ini"}});
  EXPECT_EQ(i.state, FactState::kError);
  EXPECT_NE(i.reason.find("line 1: unterminated section"), std::string::npos) << i.reason;
  tree_.write("/bad.defs", "PASS_MAX_DAYS 90\nUMASK\n");
  Fact kv = collect("file", {{"path", "/bad.defs"}, {"format", "keyvalue"}});
  EXPECT_EQ(kv.state, FactState::kError);
  EXPECT_NE(kv.reason.find("line 2"), std::string::npos) << kv.reason;
  tree_.write("/bin.conf", std::string("a = b\0c", 7));
  EXPECT_EQ(collect("file", {{"path", "/bin.conf"}, {"format", "sysctl"}}).state,
            FactState::kError);
  // A directory where a file should be: unreadable as a file.
  tree_.mkdir("/etc/login.defs");
  Fact d = collect("file", {{"path", "/etc/login.defs"}, {"format", "keyvalue"}});
  EXPECT_EQ(d.state, FactState::kError);
  EXPECT_NE(d.reason.find("directory"), std::string::npos);
  // No read permission: ERROR as root (cannot happen by mode), WARN-able kUnavailable otherwise.
  tree_.write("/secret.conf", "a b\n", 0000);
  Fact s = collect("file", {{"path", "/secret.conf"}, {"format", "keyvalue"}});
  EXPECT_EQ(s.state, geteuid() == 0 ? FactState::kOk : FactState::kUnavailable);
  // Oversized.
  HostOptions small = tree_.offline();
  small.max_file_bytes = 10;
  tree_.write("/big.conf", std::string(100, 'a'));
  Fact big = collect("file", {{"path", "/big.conf"}}, small);
  EXPECT_EQ(big.state, FactState::kError);
}

TEST_F(PolicyCollectorsTest, SshdIncludesFirstValueWinsAndMatchBlocksIgnored) {
  tree_.write("/etc/ssh/sshd_config",
              "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nMaxAuthTries 6\n"
              "Match User bob\n  PasswordAuthentication yes\n");
  tree_.write("/etc/ssh/sshd_config.d/10-hard.conf", "permitrootlogin no\n");
  tree_.write("/etc/ssh/sshd_config.d/20-more.conf",
              "MaxAuthTries 3\nPermitRootLogin prohibit-password\n");
  Fact f = collect("file", {{"path", "/etc/ssh/sshd_config"}, {"format", "sshd"}});
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["permitrootlogin"], "no");
  EXPECT_EQ(f.value["maxauthtries"], "3");
  EXPECT_FALSE(f.value.contains("passwordauthentication"));
  tree_.write("/etc/ssh/sshd_config.d/30-bad.conf", std::string("X\0", 2));
  EXPECT_EQ(collect("file", {{"path", "/etc/ssh/sshd_config"}, {"format", "sshd"}}).state,
            FactState::kError);
}

TEST_F(PolicyCollectorsTest, SysctlRunningThenConfigured) {
  // Offline without proc/sys: configured value, later files win, sysctl.conf last.
  tree_.write("/usr/lib/sysctl.d/50-default.conf",
              "net.ipv4.ip_forward = 1\nkernel.kptr_restrict = 0\n");
  tree_.write("/etc/sysctl.d/50-default.conf", "kernel.kptr_restrict = 1\n");  // replaces usr/lib's
  tree_.write("/etc/sysctl.d/99-fw.conf", "net.ipv4.ip_forward = 0\n");
  Fact fwd = collect("sysctl", {{"key", "net.ipv4.ip_forward"}});
  ASSERT_EQ(fwd.state, FactState::kOk) << fwd.reason;
  EXPECT_EQ(fwd.value, "0");
  EXPECT_NE(fwd.source.find("99-fw.conf"), std::string::npos);
  EXPECT_EQ(collect("sysctl", {{"key", "kernel.kptr_restrict"}}).value, "1");
  EXPECT_EQ(collect("sysctl", {{"key", "kernel.dmesg_restrict"}}).state, FactState::kMissing);
  tree_.write("/etc/sysctl.conf", "garbage line\n");
  EXPECT_EQ(collect("sysctl", {{"key", "net.ipv4.ip_forward"}}).state, FactState::kError);
  // A proc/sys tree under the root is the running value.
  tree_.write("/proc/sys/net/ipv4/ip_forward", "1\n");
  Fact run = collect("sysctl", {{"key", "net.ipv4.ip_forward"}});
  EXPECT_EQ(run.value, "1");
  // Live: a key every Linux has.
  Fact live = collect("sysctl", {{"key", "kernel.ostype"}}, HostOptions{});
  EXPECT_EQ(live.state, FactState::kOk);
  EXPECT_EQ(live.value, "Linux");
}

TEST_F(PolicyCollectorsTest, ProcessesFromProc) {
  EXPECT_EQ(collect("process", {{"name", "kubelet"}}).state, FactState::kUnavailable);  // no proc
  tree_.write("/proc/1/cmdline", std::string("/sbin/init\0", 11));
  static const char kArgs[] = "/usr/bin/kubelet\0--anonymous-auth=false\0--port\00010250";
  tree_.write("/proc/812/cmdline", std::string(kArgs, sizeof kArgs));
  Fact f = collect("process", {{"name", "kubelet"}});
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["running"], true);
  EXPECT_EQ(f.value["flags"]["anonymous-auth"], "false");
  EXPECT_EQ(f.value["flags"]["port"], "10250");
  EXPECT_EQ(collect("process", {{"name", "etcd"}}).value["running"], false);
  // Live: this test process is running.
  Fact self = collect("process", {{"name", "hivesec_tests"}}, HostOptions{});
  EXPECT_EQ(self.value["running"], true);
}

TEST_F(PolicyCollectorsTest, AuditRulesFromFiles) {
  EXPECT_EQ(collect("audit_rules", json::object()).state, FactState::kMissing);
  tree_.write("/etc/audit/rules.d/10-id.rules",
              "# identity\n-w /etc/passwd   -p wa -k identity\n\n");
  tree_.write("/etc/audit/rules.d/20-time.rules",
              "-a always,exit -F arch=b64 -S adjtimex,settimeofday -k t\n");
  Fact f = collect("audit_rules", json::object());
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  ASSERT_EQ(f.value.size(), 2u);
  EXPECT_EQ(f.value[0], "-w /etc/passwd -p wa -k identity");
  tree_.mkdir("/etc/audit/audit.rules");  // unreadable as a file
  EXPECT_EQ(collect("audit_rules", json::object()).state, FactState::kError);
}

std::string gzip(const std::string& s) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(s.size() + 128, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST_F(PolicyCollectorsTest, KernelConfigAndRelease) {
  EXPECT_EQ(collect("kernel_config", json::object()).state, FactState::kUnavailable);
  tree_.write("/proc/sys/kernel/osrelease", "6.1.0-20-amd64\n");
  tree_.write("/boot/config-6.1.0-20-amd64",
              "CONFIG_STRICT_KERNEL_RWX=y\n# CONFIG_SECURITY_YAMA is not set\nCONFIG_X=\"str\"\n");
  tree_.write("/boot/vmlinuz-6.1.0-20-amd64", "k");
  tree_.write("/boot/vmlinuz-6.1.0-9-amd64", "k");
  Fact cfg = collect("kernel_config", json::object());
  ASSERT_EQ(cfg.state, FactState::kOk) << cfg.reason;
  EXPECT_EQ(cfg.value["CONFIG_STRICT_KERNEL_RWX"], "y");
  EXPECT_EQ(cfg.value["CONFIG_SECURITY_YAMA"], "n");
  EXPECT_EQ(cfg.value["CONFIG_X"], "str");
  EXPECT_EQ(collect("kernel_config", {{"option", "CONFIG_NOPE"}}).state, FactState::kMissing);
  Fact rel = collect("kernel_release", json::object());
  EXPECT_EQ(rel.value["running"], "6.1.0-20-amd64");
  EXPECT_EQ(rel.value["newest"], "6.1.0-20-amd64");  // 20 > 9 in version order
  EXPECT_EQ(rel.value["outdated"], false);
  tree_.write("/boot/vmlinuz-6.1.0-21-amd64", "k");
  EXPECT_EQ(collect("kernel_release", json::object()).value["outdated"], true);
  // proc/config.gz, and a corrupt one.
  TempTree t2;
  t2.write("/proc/config.gz", gzip("CONFIG_SECCOMP=y\n"));
  Fact gz = collect("kernel_config", {{"option", "CONFIG_SECCOMP"}}, t2.offline());
  EXPECT_EQ(gz.value, "y") << gz.reason;
  t2.write("/proc/config.gz", gzip("CONFIG_SECCOMP=y\n").substr(0, 12));
  EXPECT_EQ(collect("kernel_config", json::object(), t2.offline()).state, FactState::kError);
  t2.write("/proc/config.gz", "not gzip at all");
  EXPECT_EQ(collect("kernel_config", json::object(), t2.offline()).state, FactState::kError);
}

TEST_F(PolicyCollectorsTest, SystemdUnits) {
  tree_.write("/lib/systemd/system/avahi-daemon.service", "[Unit]\n");
  tree_.write("/lib/systemd/system/telnet.socket", "[Unit]\n");
  tree_.write("/lib/systemd/system/cups.service", "[Unit]\n");
  tree_.symlink("/lib/systemd/system/avahi-daemon.service",
                "/etc/systemd/system/multi-user.target.wants/avahi-daemon.service");
  tree_.symlink("/lib/systemd/system/cups.service",
                "/etc/systemd/system/multi-user.target.wants/cups.service");
  tree_.symlink("/dev/null", "/etc/systemd/system/cups.service");
  Fact f = collect("systemd_units",
                   {{"units", json::array({"avahi-daemon", "telnet.socket", "cups", "snmpd"})}});
  ASSERT_EQ(f.state, FactState::kOk);
  EXPECT_EQ(f.value["installed"], json::array({"avahi-daemon.service", "telnet.socket"}));
  EXPECT_EQ(f.value["enabled"], json::array({"avahi-daemon.service"}));
  EXPECT_EQ(f.value["masked"], json::array({"cups.service"}));
}

TEST_F(PolicyCollectorsTest, Accounts) {
  tree_.write(
      "/etc/passwd",
      "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\nbob::1001:1001::/:/bin/sh\n+::::::\n");
  tree_.write("/etc/shadow", "root:$6$x:1:0:99999:7:::\ntoor::1:0:99999:7:::\n");
  EXPECT_EQ(collect("accounts", {{"view", "uid0"}}).value, json::array({"root", "toor"}));
  EXPECT_EQ(collect("accounts", {{"view", "empty_password"}}).value, json::array({"toor", "bob"}));
  EXPECT_EQ(collect("accounts", {{"view", "duplicate_uid"}}).value, json::array({"toor"}));
  EXPECT_EQ(collect("accounts", {{"view", "legacy_plus"}}).value.size(), 1u);
  tree_.write("/etc/shadow", "root:$6$x:1\n");  // too few fields
  Fact bad = collect("accounts", {{"view", "empty_password"}});
  EXPECT_EQ(bad.state, FactState::kError);
  EXPECT_NE(bad.reason.find("line 1"), std::string::npos);
}

TEST_F(PolicyCollectorsTest, FindFilesBoundedWalk) {
  tree_.write("/usr/bin/tool", "x", 0755);
  tree_.write("/usr/share/open", "x", 0666);
  tree_.mkdir("/usr/tmp-ok", 01777);
  tree_.mkdir("/usr/tmp-bad", 0777);
  Fact ww = collect("find_files",
                    {{"dirs", json::array({"/usr", "/nonexistent"})}, {"match", "world_writable"}});
  ASSERT_EQ(ww.state, FactState::kOk);
  std::vector<std::string> got = ww.value.get<std::vector<std::string>>();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"/usr/share/open", "/usr/tmp-bad"}));
  EXPECT_FALSE(ww.incomplete);
  Fact lim = collect(
      "find_files", {{"dirs", json::array({"/usr"})}, {"match", "world_writable"}, {"limit", "2"}});
  EXPECT_TRUE(lim.incomplete);
  if (geteuid() == 0) {
    ASSERT_EQ(::chown((tree_.root() + "/usr/bin/tool").c_str(), 5555, 0), 0);
    Fact un = collect("find_files", {{"dirs", json::array({"/usr"})}, {"match", "unowned"}});
    EXPECT_EQ(un.value, json::array({"/usr/bin/tool"}));
  }
}

TEST(PolicyCollectorUtilTest, VersionOrderAndFlags) {
  using collectors::version_less;
  EXPECT_TRUE(version_less("5.10.0-9", "5.10.0-10"));
  EXPECT_FALSE(version_less("6.1.0-20", "6.1.0-9"));
  EXPECT_TRUE(version_less("6.1", "6.1.1"));
  auto f = collectors::parse_flags({"--a=1", "-b", "x", "--c", "--d", "--"});
  EXPECT_EQ(f["a"], "1");
  EXPECT_EQ(f["b"], "x");
  EXPECT_EQ(f["c"], "true");
  EXPECT_EQ(f["d"], "true");
}

}  // namespace
}  // namespace hivesec::policy
