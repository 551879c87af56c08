// PackageDigests on real formats: dpkg md5sums, apk's installed database, and the rpm databases
// of tests/data/rpm (written by rpm itself, with sha256 file digests).
#include "analyze/package_digests.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/hash.h"

namespace hivesec::analyze {
namespace {

using V = PackageDigests::Verdict;

std::string hex(std::string_view raw) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

std::string md5_hex(std::string_view s) {
  return hex(PackageDigests::digest(PackageDigests::Algo::kMd5, s));
}

std::string base64(std::string_view raw) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    uint32_t v = (uint8_t(raw[i]) << 16) | (uint8_t(raw[i + 1]) << 8) | uint8_t(raw[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += t[(v >> k) & 63];
  }
  if (raw.size() - i == 1) {
    uint32_t v = uint8_t(raw[i]) << 16;
    out += {t[(v >> 18) & 63], t[(v >> 12) & 63], '=', '='};
  } else if (raw.size() - i == 2) {
    uint32_t v = (uint8_t(raw[i]) << 16) | (uint8_t(raw[i + 1]) << 8);
    out += {t[(v >> 18) & 63], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

TEST(PackageDigests, RecognizesDatabases) {
  for (const char* p :
       {"var/lib/dpkg/info/coreutils.md5sums", "var/lib/dpkg/info/libc6:amd64.md5sums",
        "var/lib/dpkg/status.d/base.md5sums", "lib/apk/db/installed", "var/lib/rpm/rpmdb.sqlite",
        "var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db"}) {
    EXPECT_TRUE(PackageDigests::is_database(p)) << p;
  }
  for (const char* p : {"var/lib/dpkg/info/coreutils.list", "var/lib/dpkg/info/x/y.md5sums",
                        "opt/var/lib/dpkg/info/a.md5sums", "var/lib/dpkg/status",
                        "var/lib/rpm/rpmdb.sqlite-shm", "lib/apk/db/installed.old"}) {
    EXPECT_FALSE(PackageDigests::is_database(p)) << p;
  }
}

TEST(PackageDigests, DpkgMd5sums) {
  std::set<std::string, std::less<>> always{"xmrig"};
  PackageDigests d(&always);
  std::string ls = "\x7f"
                   "ELF ls",
              cat =
                  "\x7f"
                  "ELF cat",
              miner =
                  "\x7f"
                  "ELF miner";
  ASSERT_TRUE(d.add("var/lib/dpkg/info/coreutils.md5sums",
                    md5_hex(ls) + "  usr/bin/ls\n" + md5_hex(cat) + "  bin/cat\n" + md5_hex("x") +
                        " *usr/bin/star name\n")
                  .ok());
  ASSERT_TRUE(
      d.add("var/lib/dpkg/info/xmrig:amd64.md5sums", md5_hex(miner) + "  usr/bin/xmrig\n").ok());
  EXPECT_FALSE(d.complete());  // more md5sums files may follow
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(d.sources(), "dpkg md5sums");

  EXPECT_EQ(d.check("usr/bin/ls", ls), V::kVerified);
  EXPECT_EQ(d.check("usr/bin/ls", ls + "\n# appended"), V::kModified);
  EXPECT_EQ(d.check("usr/bin/star name", "x"), V::kVerified);
  // Merged /usr: the package lists bin/cat, the image has it at usr/bin/cat (and the reverse).
  EXPECT_EQ(d.check("usr/bin/cat", cat), V::kVerified);
  EXPECT_EQ(d.check("bin/ls", ls), V::kVerified);
  EXPECT_EQ(d.check("usr/local/bin/ls", ls), V::kNoEntry);
  EXPECT_EQ(d.check("usr/bin/cp", ls), V::kNoEntry) << "content alone never verifies";
  // An always-scanned package's file is never verified, even unmodified.
  EXPECT_EQ(d.check("usr/bin/xmrig", miner), V::kAlwaysScan);
  EXPECT_TRUE(d.has_entry("usr/bin/cat"));
  EXPECT_FALSE(d.has_entry("usr/bin/cp"));

  // Malformed lines are reported; the good ones stay.
  PackageDigests e(nullptr);
  Status st =
      e.add("var/lib/dpkg/info/p.md5sums",
            "zz  usr/bin/a\n" + md5_hex(ls) + "  usr/bin/ls\n" + md5_hex(ls) + "usr/bin/b\n");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::kCorrupt);
  EXPECT_NE(st.error().message.find("2 malformed"), std::string::npos) << st.error().message;
  EXPECT_EQ(e.check("usr/bin/ls", ls), V::kVerified);
  // Hostile paths are dropped.
  PackageDigests h(nullptr);
  EXPECT_TRUE(h.add("var/lib/dpkg/info/p.md5sums", md5_hex(ls) + "  ../../etc/passwd\n").ok());
  EXPECT_EQ(h.size(), 0u);
}

TEST(PackageDigests, EntriesAreBounded) {
  std::string line = md5_hex("x") + "  usr/share/p/f";
  std::string big;
  for (size_t i = 0; i <= PackageDigests::kMaxEntries; ++i) big += line + std::to_string(i) + "\n";
  PackageDigests d(nullptr);
  Status st = d.add("var/lib/dpkg/info/p.md5sums", big);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::kLimit);
  EXPECT_EQ(d.size(), PackageDigests::kMaxEntries);
  EXPECT_EQ(d.check("usr/share/p/f0", "x"), V::kVerified);
  EXPECT_EQ(d.check("usr/share/p/f" + std::to_string(PackageDigests::kMaxEntries), "x"),
            V::kNoEntry);
  // Said once, not once per later database file.
  EXPECT_TRUE(d.add("var/lib/dpkg/info/q.md5sums", line + "q\n").ok());
}

TEST(PackageDigests, ApkInstalled) {
  std::string busybox =
                  "\x7f"
                  "ELF busybox",
              ssl =
                  "\x7f"
                  "ELF openssl";
  std::string db = "C:Q1abc=\nP:busybox\nV:1.36.1-r5\nF:bin\nR:busybox\nZ:Q1" +
                   base64(PackageDigests::digest(PackageDigests::Algo::kSha1, busybox)) +
                   "\nF:etc\nM:0:0:755\n\nP:openssl\nV:3.1.4-r0\nF:usr/bin\nR:openssl\nZ:Q1" +
                   base64(PackageDigests::digest(PackageDigests::Algo::kSha1, ssl)) +
                   "\nR:c_rehash\nZ:Q1notbase64!!\n";
  PackageDigests d(nullptr);
  Status st = d.add("lib/apk/db/installed", db);
  ASSERT_FALSE(st.ok());  // the one bad checksum
  EXPECT_NE(st.error().message.find("1 malformed"), std::string::npos);
  EXPECT_TRUE(d.complete());
  EXPECT_EQ(d.sources(), "apk");
  EXPECT_EQ(d.check("bin/busybox", busybox), V::kVerified);
  EXPECT_EQ(d.check("usr/bin/busybox", busybox), V::kVerified);  // merged-/usr twin
  EXPECT_EQ(d.check("usr/bin/openssl", ssl), V::kVerified);
  EXPECT_EQ(d.check("usr/bin/openssl", busybox), V::kModified);
  EXPECT_EQ(d.check("usr/bin/c_rehash", "x"), V::kNoEntry);

  std::set<std::string, std::less<>> always{"openssl"};
  PackageDigests a(&always);
  (void)a.add("lib/apk/db/installed", db);
  EXPECT_EQ(a.check("usr/bin/openssl", ssl), V::kAlwaysScan);
  EXPECT_EQ(a.check("bin/busybox", busybox), V::kVerified);
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HIVESEC_SOURCE_DIR) + "/tests/data/rpm/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PackageDigests, RpmDatabases) {
  // tests/data/rpm/make_fixtures.sh: usr/share/<pkg>/readme.txt is "hello\n", data.bin
  // "data\n", etc/<pkg>.conf "conf\n".
  for (auto [file, path] : {std::pair{"rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"},
                            std::pair{"Packages", "var/lib/rpm/Packages"},
                            std::pair{"Packages.db", "usr/lib/sysimage/rpm/Packages.db"}}) {
    std::string db = fixture(file);
    ASSERT_FALSE(db.empty()) << file;
    std::set<std::string, std::less<>> always{"other-fixture"};
    PackageDigests d(&always);
    ASSERT_TRUE(d.add(path, db).ok()) << file;
    EXPECT_TRUE(d.complete());
    EXPECT_EQ(d.sources(), "rpm");
    EXPECT_EQ(d.size(), 6u) << file;  // 3 regular files per package; the directory has none
    EXPECT_EQ(d.check("usr/share/hello-fixture/readme.txt", "hello\n"), V::kVerified) << file;
    EXPECT_EQ(d.check("usr/share/hello-fixture/data.bin", "data\n"), V::kVerified) << file;
    EXPECT_EQ(d.check("etc/hello-fixture.conf", "conf changed\n"), V::kModified) << file;
    EXPECT_EQ(d.check("usr/share/other-fixture/readme.txt", "hello\n"), V::kAlwaysScan) << file;
    EXPECT_EQ(d.check("usr/share/hello-fixture", ""), V::kNoEntry) << file;
  }
  PackageDigests bad(nullptr);
  EXPECT_FALSE(bad.add("var/lib/rpm/rpmdb.sqlite", "not a database").ok());
  EXPECT_FALSE(bad.complete());
}

}  // namespace
}  // namespace hivesec::analyze
