#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "analyze/builtins.h"

namespace hivesec::analyze {
namespace {

AnalysisOutput run(std::string_view path, std::string_view content, bool expect_ok = true) {
  auto a = make_dpkg_analyzer();
  FileInfo f{path};
  EXPECT_TRUE(a->required(f)) << path;
  AnalysisOutput out;
  auto st = a->analyze(f, content, out);
  EXPECT_EQ(st.ok(), expect_ok) << path;
  return out;
}

constexpr std::string_view kStatus =
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries.\n"
    " .\n"
    " More text.\n"
    "\n"
    "Package: bsdutils\r\n"
    "Status: install ok installed\r\n"
    "Architecture: amd64\r\n"
    "Source: util-linux (2.38.1-5)\r\n"
    "Version: 1:2.38.1-5+b1\r\n"
    "\r\n"
    "Package: removed-pkg\n"
    "Status: deinstall ok config-files\n"
    "Version: 1.0\n"
    "\n"
    "Package: gone\n"
    "Status: purge ok not-installed\n"
    "\n"
    "Package: zero-epoch\n"
    "Status: install ok half-configured\n"
    "Version: 0:3.1\n"
    "Conffiles:\n"
    " /etc/foo 0123456789abcdef\n";

TEST(DpkgAnalyzer, ParsesStatusLikeDpkgQuery) {
  auto out = run("var/lib/dpkg/status", kStatus);
  ASSERT_EQ(out.packages.size(), 4u);
  struct Want {
    const char *name, *version, *arch, *source, *source_version, *status;
  };
  const Want want[] = {
      {"libc6", "2.36-9+deb12u4", "amd64", "glibc", "2.36-9+deb12u4", ""},
      {"bsdutils", "1:2.38.1-5+b1", "amd64", "util-linux", "2.38.1-5", ""},
      {"removed-pkg", "1.0", "", "removed-pkg", "1.0", "config-files"},
      {"zero-epoch", "3.1", "", "zero-epoch", "3.1", "half-configured"},
  };
  for (size_t i = 0; i < 4; ++i) {
    const auto& p = out.packages[i];
    EXPECT_EQ(p.type, "deb");
    EXPECT_EQ(p.name, want[i].name);
    EXPECT_EQ(p.version, want[i].version);
    EXPECT_EQ(p.arch, want[i].arch);
    EXPECT_EQ(p.source_name, want[i].source);
    EXPECT_EQ(p.source_version, want[i].source_version);
    EXPECT_EQ(p.location, "var/lib/dpkg/status");
    EXPECT_TRUE(p.purl.empty());
    EXPECT_TRUE(p.namespace_.empty());
    auto it = p.metadata.find("status");
    EXPECT_EQ(it == p.metadata.end() ? "" : it->second, want[i].status) << p.name;
  }
  EXPECT_EQ(out.packages[0].metadata.at("maintainer"),
            "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
}

TEST(DpkgAnalyzer, DistrolessStatusDir) {
  auto out = run("var/lib/dpkg/status.d/tzdata",
                 "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n");
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].name, "tzdata");
  EXPECT_EQ(out.packages[0].version, "2024a-0+deb12u1");

  auto md5 = run("var/lib/dpkg/status.d/tzdata.md5sums",
                 "0123456789abcdef0123456789abcdef  usr/share/zoneinfo/UTC\n"
                 "fedcba9876543210fedcba9876543210  usr/share/doc/tzdata/copyright\n"
                 "badline\n");
  ASSERT_EQ(md5.package_files.size(), 1u);
  EXPECT_EQ(md5.package_files[0].package, "tzdata");
  EXPECT_EQ(md5.package_files[0].files,
            (std::vector<std::string>{"usr/share/zoneinfo/UTC", "usr/share/doc/tzdata/copyright"}));
  EXPECT_EQ(md5.notes.size(), 1u);
}

TEST(DpkgAnalyzer, InfoListDropsRootAndParentDirectories) {
  auto out = run("var/lib/dpkg/info/libc6:amd64.list",
                 "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n"
                 "/usr/lib/x86_64-linux-gnu/libc.so.6\n/usr/share/doc/libc6\n"
                 "/usr/share/doc/libc6/copyright\n/etc/empty-dir\n/../../etc/shadow\n");
  ASSERT_EQ(out.package_files.size(), 1u);
  const auto& pf = out.package_files[0];
  EXPECT_EQ(pf.type, "deb");
  EXPECT_EQ(pf.package, "libc6:amd64");
  EXPECT_EQ(pf.location, "var/lib/dpkg/info/libc6:amd64.list");
  EXPECT_EQ(pf.files, (std::vector<std::string>{"usr/lib/x86_64-linux-gnu/libc.so.6",
                                                "usr/share/doc/libc6/copyright", "etc/empty-dir"}));
  EXPECT_EQ(out.notes.size(), 1u);  // the escaping path
}

TEST(DpkgAnalyzer, CopyrightLicenses) {
  struct Case {
    std::string content;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
       "Upstream-Name: foo\n\nFiles: *\nCopyright: 2020 X\nLicense: GPL-2+\n\n"
       "Files: lib/*\nLicense: LGPL-2.1+ or MIT\n\nLicense: GPL-2+\n On Debian systems...\n",
       {"GPL-2+", "LGPL-2.1+ or MIT"}},
      {"This package was debianized by X.\n\nOn Debian systems, the complete text of the GNU "
       "General\nPublic License can be found in `/usr/share/common-licenses/GPL-3'.\n"
       "See also /usr/share/common-licenses/Apache-2.0.\n",
       {"GPL-3", "Apache-2.0"}},
      {"Just some words, no license reference.\n", {}},
  };
  for (const auto& c : cases) {
    auto out = run("usr/share/doc/foo/copyright", c.content);
    if (c.want.empty()) {
      EXPECT_TRUE(out.package_licenses.empty());
      continue;
    }
    ASSERT_EQ(out.package_licenses.size(), 1u);
    EXPECT_EQ(out.package_licenses[0].package, "foo");
    EXPECT_EQ(out.package_licenses[0].type, "deb");
    EXPECT_EQ(out.package_licenses[0].licenses, c.want);
  }
}

TEST(DpkgAnalyzer, RequiredPaths) {
  auto a = make_dpkg_analyzer();
  for (const char* p : {"var/lib/dpkg/status", "var/lib/dpkg/status.d/libc6",
                        "var/lib/dpkg/info/bash.list", "usr/share/doc/bash/copyright"}) {
    EXPECT_TRUE(a->required(FileInfo{p})) << p;
  }
  for (const char* p :
       {"var/lib/dpkg/status-old", "var/lib/dpkg/info/bash.md5sums", "var/lib/dpkg/info/.list",
        "usr/share/doc/a/b/copyright", "var/lib/dpkg/status.d/sub/x", "usr/share/doc/copyright"}) {
    EXPECT_FALSE(a->required(FileInfo{p})) << p;
  }
  EXPECT_FALSE(a->required(FileInfo{"var/lib/dpkg/status", FileType::kSymlink}));
}

TEST(DpkgAnalyzer, MalformedInputGivesNotesOrErrors) {
  // Binary garbage: an error, not packages.
  auto garbage = run("var/lib/dpkg/status", std::string("\x00\x01\xff\xfe", 4), false);
  EXPECT_TRUE(garbage.packages.empty());
  // Truncated mid-stanza: what is there is kept.
  auto trunc = run("var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVers");
  ASSERT_EQ(trunc.packages.size(), 1u);
  EXPECT_FALSE(trunc.notes.empty());
  // A stanza without Package is reported.
  auto nameless = run("var/lib/dpkg/status", "Version: 1\nStatus: install ok installed\n");
  EXPECT_TRUE(nameless.packages.empty());
  EXPECT_EQ(nameless.notes.size(), 1u);
  // A huge field (and a huge continuation) stays bounded.
  std::string huge = "Package: " + std::string(1 << 20, 'p') +
                     "\nStatus: install ok installed\nVersion: 1\n" + "Source: s\n" +
                     std::string(200000, ' ') + "\n " + std::string(1 << 20, 'c') + "\n";
  auto big = run("var/lib/dpkg/status", huge);
  ASSERT_EQ(big.packages.size(), 1u);
  EXPECT_LE(big.packages[0].name.size(), 4096u);
  EXPECT_LE(big.packages[0].source_name.size(), 4096u);
  // Missing Status in the main status file: not installed (dpkg's default).
  auto nostatus = run("var/lib/dpkg/status", "Package: a\nVersion: 1\n");
  EXPECT_TRUE(nostatus.packages.empty());
}

// Differential: this host's dpkg database against dpkg-query itself.
TEST(DpkgAnalyzer, MatchesDpkgQueryOnThisHost) {
  std::ifstream in("/var/lib/dpkg/status", std::ios::binary);
  if (!in) GTEST_SKIP() << "no /var/lib/dpkg/status on this host";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string status = ss.str();

  std::set<std::pair<std::string, std::string>> want;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen("dpkg-query -W -f='${Package}\\t${Version}\\n' 2>/dev/null", "r"), pclose);
  if (!pipe) GTEST_SKIP() << "dpkg-query not runnable";
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe.get())) {
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    want.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  if (want.empty()) GTEST_SKIP() << "dpkg-query printed nothing";

  auto out = run("var/lib/dpkg/status", status);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& p : out.packages) got.emplace(p.name, p.version);
  EXPECT_EQ(got, want);
  EXPECT_GT(got.size(), 10u);
}

}  // namespace
}  // namespace hivesec::analyze
