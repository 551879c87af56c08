#include <gtest/gtest.h>

#include <string>

#include "analyze/builtins.h"

namespace hivesec::analyze {
namespace {

struct OsCase {
  std::string path;
  std::string content;
  std::string family, version, codename;
  int priority;
};

class OsReleaseTest : public ::testing::TestWithParam<OsCase> {};

TEST_P(OsReleaseTest, Detects) {
  const auto& c = GetParam();
  auto a = make_os_release_analyzer();
  FileInfo f{c.path};
  ASSERT_TRUE(a->required(f)) << c.path;
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(f, c.content, out).ok());
  ASSERT_EQ(out.os.size(), 1u);
  EXPECT_EQ(out.os[0].os.family, c.family);
  EXPECT_EQ(out.os[0].os.version, c.version);
  EXPECT_EQ(out.os[0].os.codename, c.codename);
  EXPECT_EQ(out.os[0].priority, c.priority);
  EXPECT_FALSE(out.os[0].os.source.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Files, OsReleaseTest,
    ::testing::Values(
        OsCase{"etc/os-release",
               "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
               "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\n"
               "ID=debian\n",
               "debian", "12", "bookworm", 100},
        OsCase{"usr/lib/os-release",
               "NAME=\"Ubuntu\"\r\nVERSION_ID=\"22.04\"\r\nID=ubuntu\r\nID_LIKE=debian\r\n"
               "UBUNTU_CODENAME=jammy\r\n",
               "ubuntu", "22.04", "jammy", 100},
        OsCase{"etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n", "alpine",
               "3.19.1", "", 100},
        OsCase{"etc/os-release", "NAME=\"Amazon Linux\"\nID=\"amzn\"\nVERSION_ID=\"2023\"\n",
               "amazon", "2023", "", 100},
        OsCase{"etc/os-release", "ID='opensuse-leap'\nVERSION_ID='15.5'\n", "opensuse-leap", "15.5",
               "", 100},
        OsCase{"etc/os-release", "# comment\nID=debian\nVERSION=\"9 (stretch)\"\nVERSION_ID=9\n",
               "debian", "9", "stretch", 100},
        OsCase{"etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n", "wolfi", "20230201", "", 100},
        OsCase{"etc/os-release", "ID=photon\nVERSION_ID=5.0\n", "photon", "5.0", "", 100},
        OsCase{"etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n", "rocky", "9.3",
               "Blue Onyx", 50},
        OsCase{"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009",
               "Core", 50},
        OsCase{"etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)\n", "rhel",
               "8.9", "Ootpa", 50},
        OsCase{"etc/system-release", "Amazon Linux release 2 (Karoo)\n", "amazon", "2", "Karoo",
               50},
        OsCase{"etc/almalinux-release", "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n",
               "almalinux", "9.3", "Shamrock Pampas Cat", 50},
        OsCase{"etc/debian_version", "12.5\n", "debian", "12.5", "", 50},
        OsCase{"etc/debian_version", "trixie/sid\n", "debian", "", "trixie", 40},
        OsCase{"etc/alpine-release", "3.18.4\n", "alpine", "3.18.4", "", 50},
        OsCase{"etc/SuSE-release",
               "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 5\n", "sles",
               "12.5", "", 50},
        OsCase{"etc/SuSE-release", "openSUSE 42.3 (x86_64)\nVERSION = 42.3\nCODENAME = Malachite\n",
               "opensuse-leap", "42.3", "Malachite", 50},
        OsCase{"etc/lsb-release",
               "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\n"
               "DISTRIB_DESCRIPTION=\"Ubuntu 20.04.6 LTS\"\n",
               "ubuntu", "20.04", "focal", 50},
        OsCase{"var/lib/dpkg/status.d/libc6", "Package: libc6\n", "distroless", "", "", 10}));

TEST(OsReleaseAnalyzer, IgnoresOtherPaths) {
  auto a = make_os_release_analyzer();
  for (const char* p : {"etc/os-release.bak", "usr/etc/os-release", "etc/passwd",
                        "var/lib/dpkg/status.d/x/y", "var/lib/dpkg/status"}) {
    EXPECT_FALSE(a->required(FileInfo{p})) << p;
  }
  FileInfo dir{"var/lib/dpkg/status.d", FileType::kDirectory};
  EXPECT_TRUE(a->required(dir));
  FileInfo link{"etc/os-release", FileType::kSymlink};
  EXPECT_FALSE(a->required(link));
}

TEST(OsReleaseAnalyzer, MalformedGivesErrorsNotCrashes) {
  auto a = make_os_release_analyzer();
  struct Bad {
    const char* path;
    std::string content;
  };
  const Bad cases[] = {
      {"etc/os-release", ""},
      {"etc/os-release", "NAME=foo\nVERSION_ID=1\n"},  // no ID
      {"etc/os-release", std::string("ID=deb\0ian\n", 11)},
      {"etc/redhat-release", "Something Else release 1\n"},
      {"etc/lsb-release", "garbage"},
      {"etc/alpine-release", "\n\n"},
  };
  for (const auto& c : cases) {
    AnalysisOutput out;
    EXPECT_FALSE(a->analyze(FileInfo{c.path}, c.content, out).ok()) << c.path;
    EXPECT_TRUE(out.os.empty());
  }
  // A huge unterminated quoted value is bounded.
  AnalysisOutput out;
  std::string huge = "ID=debian\nPRETTY_NAME=\"" + std::string(1 << 20, 'x') + "\n";
  ASSERT_TRUE(a->analyze(FileInfo{"etc/os-release"}, huge, out).ok());
  ASSERT_EQ(out.os.size(), 1u);
  EXPECT_LE(out.os[0].os.name.size(), 1024u);
}

}  // namespace
}  // namespace hivesec::analyze

namespace hivesec::analyze {
namespace {

TEST(OsPackageBuiltins, AreRegistered) {
  Registry r;
  ASSERT_TRUE(register_builtins(r).ok());
  for (const char* name : {"os", "dpkg", "apk", "rpm"}) {
    const Analyzer* a = r.find(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_GE(a->version(), 1);
  }
}

}  // namespace
}  // namespace hivesec::analyze
