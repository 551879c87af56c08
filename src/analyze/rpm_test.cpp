#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "analyze/builtins.h"
#include "analyze/rpm_db.h"

namespace hivesec::analyze {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HIVESEC_SOURCE_DIR) + "/tests/data/rpm/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct DbCase {
  const char* fixture;
  const char* path;
};

class RpmDbTest : public ::testing::TestWithParam<DbCase> {};

// tests/data/rpm/make_fixtures.sh builds the same two packages into each format.
TEST_P(RpmDbTest, ReadsFixturePackages) {
  const auto& c = GetParam();
  std::string db = fixture(c.fixture);
  ASSERT_FALSE(db.empty()) << c.fixture;
  auto a = make_rpm_analyzer();
  FileInfo f{c.path};
  ASSERT_TRUE(a->required(f));
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(f, db, out).ok());
  EXPECT_TRUE(out.notes.empty()) << out.notes[0];
  ASSERT_EQ(out.packages.size(), 2u);
  const model::Package* hello = nullptr;
  const model::Package* other = nullptr;
  for (const auto& p : out.packages) (p.name == "hello-fixture" ? hello : other) = &p;
  ASSERT_TRUE(hello && other);
  EXPECT_EQ(hello->type, "rpm");
  EXPECT_EQ(hello->version, "2:1.0-3.el9");
  EXPECT_EQ(hello->arch, "noarch");
  EXPECT_EQ(hello->source_name, "hello-fixture");
  EXPECT_EQ(hello->source_version, "2:1.0-3.el9");
  EXPECT_EQ(hello->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(hello->location, c.path);
  EXPECT_TRUE(hello->purl.empty());
  EXPECT_EQ(other->name, "other-fixture");
  EXPECT_EQ(other->version, "0.5-1");
  EXPECT_EQ(other->source_version, "0.5-1");
  EXPECT_EQ(other->licenses, std::vector<std::string>{"GPL-2.0-or-later"});
  ASSERT_EQ(out.package_files.size(), 2u);
  for (const auto& pf : out.package_files) {
    EXPECT_EQ(pf.type, "rpm");
    std::string n = pf.package;
    EXPECT_EQ(pf.files, (std::vector<std::string>{"etc/" + n + ".conf", "usr/share/" + n,
                                                  "usr/share/" + n + "/data.bin",
                                                  "usr/share/" + n + "/readme.txt"}));
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, RpmDbTest,
                         ::testing::Values(DbCase{"rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"},
                                           DbCase{"rpmdb.sqlite",
                                                  "usr/lib/sysimage/rpm/rpmdb.sqlite"},
                                           DbCase{"Packages", "var/lib/rpm/Packages"},
                                           DbCase{"Packages.db", "var/lib/rpm/Packages.db"}));

TEST(RpmAnalyzer, UnreadableDatabasesGiveExplicitNotes) {
  auto a = make_rpm_analyzer();
  std::string sqlite = fixture("rpmdb.sqlite");
  std::string bdb = fixture("Packages");
  std::string ndb = fixture("Packages.db");
  struct Case {
    const char* path;
    std::string content;
  };
  const Case cases[] = {
      {"var/lib/rpm/rpmdb.sqlite", "not a database at all"},
      {"var/lib/rpm/rpmdb.sqlite", sqlite.substr(0, 4096)},  // truncated
      {"var/lib/rpm/Packages", std::string(8192, '\xff')},
      {"var/lib/rpm/Packages", bdb.substr(0, 100)},
      {"var/lib/rpm/Packages.db", "RpmP"},
      {"var/lib/rpm/Packages.db", ndb.substr(0, 4096)},  // slots point past the end
      {"var/lib/rpm/Packages", ""},
  };
  for (const auto& c : cases) {
    AnalysisOutput out;
    ASSERT_TRUE(a->analyze(FileInfo{c.path}, c.content, out).ok());
    EXPECT_TRUE(out.packages.empty()) << c.path;
    ASSERT_FALSE(out.notes.empty()) << c.path;
    EXPECT_NE(out.notes[0].find("rpm: "), std::string::npos) << out.notes[0];
  }
}

TEST(RpmAnalyzer, ReadsWalModeSqlite) {
  // rpm leaves rpmdb.sqlite in WAL mode (header bytes 18 and 19 = 2).
  std::string db = fixture("rpmdb.sqlite");
  ASSERT_GT(db.size(), 100u);
  db[18] = db[19] = 2;
  auto a = make_rpm_analyzer();
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(FileInfo{"var/lib/rpm/rpmdb.sqlite"}, db, out).ok());
  EXPECT_EQ(out.packages.size(), 2u);
}

TEST(RpmAnalyzer, CorruptedBlobsAreCountedNotFatal) {
  // Flip bytes all over each fixture: never a crash, always packages or a note.
  auto a = make_rpm_analyzer();
  for (const auto& [name, path] : {std::pair{"Packages", "var/lib/rpm/Packages"},
                                   std::pair{"Packages.db", "var/lib/rpm/Packages.db"},
                                   std::pair{"rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"}}) {
    std::string db = fixture(name);
    for (size_t step : {97u, 513u, 4099u}) {
      std::string bad = db;
      for (size_t i = step; i < bad.size(); i += step) bad[i] = static_cast<char>(bad[i] ^ 0x5a);
      AnalysisOutput out;
      ASSERT_TRUE(a->analyze(FileInfo{path}, bad, out).ok());
      EXPECT_TRUE(!out.packages.empty() || !out.notes.empty()) << name << " " << step;
    }
  }
}

TEST(RpmHeader, RejectsMalformedBlobs) {
  auto be = [](uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
    return s;
  };
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t off, uint32_t count) {
    return be(tag) + be(type) + be(off) + be(count);
  };
  // A valid minimal header: NAME at 0.
  std::string good = be(1) + be(4) + entry(1000, 6, 0, 1) + std::string("abc\0", 4);
  ASSERT_TRUE(rpm::parse_header(good).ok());
  EXPECT_EQ(rpm::parse_header(good)->name, "abc");

  const std::string cases[] = {
      "",
      be(1),
      be(0) + be(0),                                                     // no entries
      be(0x10000) + be(0),                                               // too many entries
      be(1) + be(0x20000000) + entry(1000, 6, 0, 1),                     // data length too big
      be(2) + be(4) + entry(1000, 6, 0, 1),                              // index truncated
      be(1) + be(4) + entry(1000, 6, 0, 1) + "abcd",                     // unterminated NAME
      be(1) + be(4) + entry(1000, 4, 0, 1) + be(7),                      // NAME is an int
      be(1) + be(4) + entry(1001, 6, 0, 1) + std::string("1\0\0\0", 4),  // no NAME
      good.substr(0, good.size() - 1),                                   // truncated data
  };
  for (const auto& c : cases) EXPECT_FALSE(rpm::parse_header(c).ok()) << c.size();

  // Bad file index: a dirindex beyond the dirnames.
  std::string data = std::string("n\0", 2) + std::string("f\0", 2) + std::string("/d/\0", 4);
  data += std::string(8 - data.size() % 4 == 4 ? 0 : 4 - data.size() % 4, '\0');
  uint32_t idx_off = static_cast<uint32_t>(data.size());
  data += be(5);
  std::string blob = be(4) + be(static_cast<uint32_t>(data.size())) + entry(1000, 6, 0, 1) +
                     entry(1117, 8, 2, 1) + entry(1118, 8, 4, 1) + entry(1116, 4, idx_off, 1) +
                     data;
  auto r = rpm::parse_header(blob);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("dirindex"), std::string::npos);
}

TEST(RpmHeader, SplitsSourceRpmNames) {
  struct Case {
    const char *in, *name, *version, *release;
    bool ok;
  };
  const Case cases[] = {
      {"bash-5.1.8-6.el9.src.rpm", "bash", "5.1.8", "6.el9", true},
      {"python3-libs-3.9.18-1.el9.nosrc.rpm", "python3-libs", "3.9.18", "1.el9", true},
      {"noversion.src.rpm", "", "", "", false},
      {"a-1.src.rpm", "", "", "", false},
      {"bash-5.1.8-6.el9.rpm", "", "", "", false},
      {"", "", "", "", false},
  };
  for (const auto& c : cases) {
    std::string n, v, r;
    EXPECT_EQ(rpm::split_srpm(c.in, n, v, r), c.ok) << c.in;
    if (c.ok) {
      EXPECT_EQ(n, c.name);
      EXPECT_EQ(v, c.version);
      EXPECT_EQ(r, c.release);
    }
  }
}

}  // namespace
}  // namespace hivesec::analyze
