#include "vulndb/vulndb.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "vulndb/osv.h"
#include "vulndb/schema.h"
#include "vulndb/store.h"
#include "vulndb/testing/update_fixtures.h"

namespace hivesec::vulndb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kValid = R"({
  "schema_version": "1.6.0", "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T00:00:00Z",
  "published": "2024-01-01T00:00:00Z", "aliases": ["CVE-2024-0001"],
  "database_specific": {"severity": "HIGH"},
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [
    {"package": {"ecosystem": "npm", "name": "left-pad", "purl": "pkg:npm/left-pad"},
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"},
                                                 {"last_affected": "2.1.0"}, {"limit": "3"}]}],
     "versions": ["1.0.0", "1.1.0"], "ecosystem_specific": {"severity": "moderate"}},
    {"package": {"ecosystem": "PyPI", "name": "Zope.Interface"},
     "ranges": [{"type": "GIT", "repo": "https://example.com/r", "events": [{"introduced": "0"}]}]}
  ]})";

constexpr const char* kWithdrawn =
    R"({"id": "GHSA-wwww-wwww-wwww", "modified": "2024-02-01T00:00:00Z",
  "withdrawn": "2024-02-01T00:00:00Z", "aliases": ["CVE-2024-0002"],
  "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})";

constexpr const char* kDebian = R"({"id": "DSA-5000-1", "modified": "2023-01-01T00:00:00Z",
  "aliases": ["CVE-2024-0001", "CVE-2024-0003"],
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                            {"fixed": "3.0.11-1~deb12u1"}]}]}]})";

TEST(VulndbParse, ValidRecordKeepsEveryMatcherField) {
  auto adv = detail::parse_osv(kValid);
  ASSERT_TRUE(adv.ok()) << adv.error().message;
  EXPECT_EQ(adv->id, "GHSA-aaaa-bbbb-cccc");
  EXPECT_EQ(adv->modified, "2024-01-02T00:00:00Z");
  EXPECT_EQ(adv->published, "2024-01-01T00:00:00Z");
  EXPECT_FALSE(adv->is_withdrawn());
  EXPECT_EQ(adv->aliases, std::vector<std::string>{"CVE-2024-0001"});
  EXPECT_EQ(adv->database_severity, "HIGH");
  ASSERT_EQ(adv->severity.size(), 1u);
  EXPECT_EQ(adv->severity[0].type, "CVSS_V3");
  ASSERT_EQ(adv->affected.size(), 2u);
  const auto& a = adv->affected[0];
  EXPECT_EQ(a.ecosystem, "npm");
  EXPECT_EQ(a.name, "left-pad");
  EXPECT_EQ(a.purl, "pkg:npm/left-pad");
  EXPECT_EQ(a.specific_severity, "moderate");
  EXPECT_EQ(a.versions, (std::vector<std::string>{"1.0.0", "1.1.0"}));
  ASSERT_EQ(a.ranges.size(), 2u);
  EXPECT_EQ(a.ranges[0].type, "SEMVER");
  ASSERT_EQ(a.ranges[1].events.size(), 3u);
  EXPECT_EQ(a.ranges[1].events[1].kind, EventKind::kLastAffected);
  EXPECT_EQ(a.ranges[1].events[1].value, "2.1.0");
  EXPECT_EQ(a.ranges[1].events[2].kind, EventKind::kLimit);
  EXPECT_EQ(adv->affected[1].ranges[0].repo, "https://example.com/r");
}

TEST(VulndbParse, MalformedRecordsNameTheProblem) {
  struct Case {
    const char* json;
    const char* expect;  // substring of the message
  };
  const Case cases[] = {
      {"not json", "invalid JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"modified": "x"})", "id"},
      {R"({"id": 5, "modified": "x"})", "id"},
      {R"({"id": "a/b", "modified": "x"})", "invalid characters"},
      {R"({"id": "X-1"})", "modified"},
      {R"({"id": "X-1", "modified": "x", "aliases": "CVE-1"})", "aliases"},
      {R"({"id": "X-1", "modified": "x", "aliases": [1]})", "aliases"},
      {R"({"id": "X-1", "modified": "x", "affected": {}})", "affected"},
      {R"({"id": "X-1", "modified": "x", "affected": [{"package": {"name": "p"}}]})", "ecosystem"},
      {R"({"id": "X-1", "modified": "x", "affected": [{"ranges": [{"type": "SEMVER",
          "events": [{"broken": "1"}]}]}]})",
       "unknown event"},
      {R"({"id": "X-1", "modified": "x", "affected": [{"ranges": [{"type": "SEMVER",
          "events": [{"fixed": 1}]}]}]})",
       "not a string"},
      {R"({"id": "X-1", "modified": "x", "affected": [{"ranges": [{"events": []}]}]})",
       "missing type"},
      {R"({"id": "X-1", "modified": "x", "severity": [{"type": "CVSS_V3"}]})", "severity"},
  };
  for (const auto& c : cases) {
    auto adv = detail::parse_osv(c.json);
    ASSERT_FALSE(adv.ok()) << c.json;
    EXPECT_NE(adv.error().message.find(c.expect), std::string::npos)
        << c.json << " -> " << adv.error().message;
  }
  std::string deep(200, '[');
  EXPECT_EQ(detail::parse_osv(deep).error().code, Errc::kLimit);
}

TEST(VulndbParse, IndexNameNormalizesPypiOnly) {
  EXPECT_EQ(index_name("PyPI", "Zope.Interface"), "zope-interface");
  EXPECT_EQ(index_name("PyPI", "a__b-.c"), "a-b-c");
  EXPECT_EQ(index_name("npm", "Left_Pad"), "Left_Pad");
  EXPECT_EQ(index_name("Go", "github.com/A/B"), "github.com/A/B");
}

class VulndbStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hivesec_vulndb_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "db" / "vuln.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& rel, const std::string& text) {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  // A zip of (name, content) written with libarchive.
  std::string write_zip(const std::string& rel,
                        const std::vector<std::pair<std::string, std::string>>& entries) {
    fs::path p = dir_ / rel;
    testing::write_zip(p, entries);
    return p.string();
  }

  std::unique_ptr<Database> open() {
    auto db = open_database(db_);
    EXPECT_TRUE(db.ok()) << db.error().message;
    return db.ok() ? std::move(db).value() : nullptr;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(VulndbStore, ImportsDirectorySkippingMalformedWithReasons) {
  write("osv/a/GHSA-aaaa-bbbb-cccc.json", kValid);
  write("osv/b/GHSA-wwww-wwww-wwww.json", kWithdrawn);
  write("osv/DSA-5000-1.json", kDebian);
  write("osv/bad1.json", "{ not json");
  write("osv/bad2.json", R"({"id": "X-1"})");
  write("osv/readme.txt", "ignored");
  auto stats = import_paths({(dir_ / "osv").string()}, db_);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->imported, 3);
  EXPECT_EQ(stats->skipped, 2);
  ASSERT_EQ(stats->skipped_reasons.size(), 2u);
  EXPECT_NE(stats->skipped_reasons[0].where.find("bad1.json"), std::string::npos);
  EXPECT_NE(stats->skipped_reasons[0].reason.find("invalid JSON"), std::string::npos);
  EXPECT_NE(stats->skipped_reasons[1].reason.find("modified"), std::string::npos);
  EXPECT_EQ(stats->advisories_total, 3);

  auto db = open();
  ASSERT_TRUE(db);
  auto pad = db->advisories_for("npm", "left-pad");
  ASSERT_TRUE(pad.ok());
  ASSERT_EQ(pad->size(), 2u);
  EXPECT_EQ((*pad)[0].id, "GHSA-aaaa-bbbb-cccc");
  EXPECT_FALSE((*pad)[0].is_withdrawn());
  EXPECT_EQ((*pad)[1].id, "GHSA-wwww-wwww-wwww");
  EXPECT_TRUE((*pad)[1].is_withdrawn());
  // PyPI lookups use the normalized name either way.
  auto zope = db->advisories_for("PyPI", "zope_interface");
  ASSERT_TRUE(zope.ok());
  EXPECT_EQ(zope->size(), 1u);
  EXPECT_TRUE(db->advisories_for("Debian:11", "openssl")->empty());
  EXPECT_EQ(db->advisories_for("Debian:12", "openssl")->size(), 1u);
  EXPECT_TRUE(db->advisories_for("npm", "Left-Pad")->empty());

  auto status = db->status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->schema_version, current_schema_version());
  EXPECT_EQ(status->advisories, 3);
  ASSERT_EQ(status->ecosystems.size(), 2u);
  EXPECT_EQ(status->ecosystems[0].ecosystem, "Debian");
  EXPECT_EQ(status->ecosystems[1].ecosystem, "npm");
  EXPECT_EQ(status->ecosystems[1].advisories, 2);
  EXPECT_EQ(status->ecosystems[1].withdrawn, 1);
  // The newest record's date per ecosystem (the withdrawn one is the newer npm record).
  EXPECT_EQ(status->ecosystems[0].newest, "2023-01-01");
  EXPECT_EQ(status->ecosystems[1].newest, "2024-02-01");
  EXPECT_FALSE(status->last_import.empty());
  EXPECT_EQ(status->last_import_skipped, 2);
}

// Some sources write "0001-01-01T00:00:00Z" for unknown dates (the Go data in ../shared): such
// records do not make an ecosystem look old, and an ecosystem of only those has no date.
TEST_F(VulndbStore, NewestRecordIgnoresZeroDates) {
  write("z/GO-1.json", R"({"id": "GO-1", "modified": "0001-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "Go", "name": "example.com/a"}}]})");
  write("z/GO-2.json", R"({"id": "GO-2", "modified": "0001-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "Go", "name": "example.com/b"}}]})");
  write("z/PYSEC-1.json", R"({"id": "PYSEC-1", "modified": "2021-12-09T06:34:41.630526Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "a"}}]})");
  write("z/PYSEC-2.json", R"({"id": "PYSEC-2", "modified": "0001-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "b"}}]})");
  ASSERT_TRUE(import_paths({(dir_ / "z").string()}, db_).ok());
  auto db = open();
  ASSERT_TRUE(db);
  auto status = db->status();
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->ecosystems.size(), 2u);
  EXPECT_EQ(status->ecosystems[0].ecosystem, "Go");
  EXPECT_EQ(status->ecosystems[0].newest, "");
  EXPECT_EQ(status->ecosystems[1].newest, "2021-12-09");
}

TEST_F(VulndbStore, FindsByIdAndByAlias) {
  write("osv/1.json", kValid);
  write("osv/2.json", kDebian);
  write("osv/3.json", kWithdrawn);
  ASSERT_TRUE(import_paths({(dir_ / "osv").string()}, db_).ok());
  auto db = open();
  ASSERT_TRUE(db);
  auto by_id = db->find("DSA-5000-1");
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ((*by_id)[0].id, "DSA-5000-1");
  auto shared = db->find("CVE-2024-0001");  // named by two advisories
  ASSERT_TRUE(shared.ok());
  ASSERT_EQ(shared->size(), 2u);
  EXPECT_EQ((*shared)[0].id, "DSA-5000-1");
  EXPECT_EQ((*shared)[1].id, "GHSA-aaaa-bbbb-cccc");
  auto withdrawn = db->find("CVE-2024-0002");
  ASSERT_EQ(withdrawn->size(), 1u);
  EXPECT_TRUE((*withdrawn)[0].is_withdrawn());
  EXPECT_TRUE(db->find("CVE-1999-0000")->empty());
}

TEST_F(VulndbStore, ZipBucketLayoutAndReimportReplaces) {
  write_zip("bucket/npm/all.zip", {{"GHSA-aaaa-bbbb-cccc.json", kValid},
                                   {"GHSA-wwww-wwww-wwww.json", kWithdrawn},
                                   {"broken.json", "{\"id\": 3}"},
                                   {"notes.txt", "not a record"}});
  auto stats = import_paths({(dir_ / "bucket").string()}, db_);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->imported, 2);
  EXPECT_EQ(stats->skipped, 1);
  EXPECT_NE(stats->skipped_reasons[0].where.find("all.zip:broken.json"), std::string::npos);
  // The second import adds to the first; the same id replaces the older copy.
  std::string updated = kDebian;
  write("more/DSA-5000-1.json", updated);
  stats = import_paths({(dir_ / "more").string(), (dir_ / "bucket/npm/all.zip").string()}, db_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->advisories_total, 3);
  auto db = open();
  auto status = db->status();
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->ecosystems.size(), 2u);
  EXPECT_EQ(status->ecosystems[1].ecosystem, "npm");  // the bucket folder names the source
  EXPECT_EQ(status->ecosystems[1].advisories, 2);
  ASSERT_EQ(status->sources.size(), 2u);
  // --fresh drops what was there.
  stats = import_paths({(dir_ / "more").string()}, db_, ImportOptions{.fresh = true});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->advisories_total, 1);
}

TEST_F(VulndbStore, FailedImportLeavesPreviousDatabase) {
  write("osv/1.json", kValid);
  ASSERT_TRUE(import_paths({(dir_ / "osv").string()}, db_).ok());
  write("bad/all.zip", "PK\x03\x04 this is not really a zip archive at all");
  write("good/2.json", kDebian);
  auto stats = import_paths({(dir_ / "good").string(), (dir_ / "bad/all.zip").string()}, db_);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, Errc::kCorrupt);
  auto missing = import_paths({(dir_ / "nope").string()}, db_);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->status()->advisories, 1);
  EXPECT_TRUE(db->find("DSA-5000-1")->empty());
  for (const auto& e : fs::directory_iterator(dir_ / "db")) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
  }
}

TEST_F(VulndbStore, CorruptDatabaseIsReportedAndRebuilt) {
  fs::create_directories(fs::path(db_).parent_path());
  std::ofstream(db_, std::ios::binary) << std::string(8192, 'x');
  auto db = open_database(db_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, Errc::kCorrupt);
  EXPECT_NE(db.error().message.find("db import"), std::string::npos) << db.error().message;
  EXPECT_EQ(open_database_read_only(db_).error().code, Errc::kCorrupt);
  EXPECT_EQ(open_database((dir_ / "absent.db").string()).error().code, Errc::kNotFound);

  write("osv/1.json", kValid);
  auto stats = import_paths({(dir_ / "osv").string()}, db_);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_TRUE(stats->rebuilt_corrupt);
  auto ro = open_database_read_only(db_);
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  EXPECT_EQ((*ro)->status()->advisories, 1);
}

TEST_F(VulndbStore, MigratesVersion1Database) {
  fs::create_directories(fs::path(db_).parent_path());
  {
    auto db = detail::open_file(db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(detail::migrate(db->get(), 1).ok());
    EXPECT_EQ(*detail::read_schema_version(db->get()), 1);
    auto raw = detail::compress_record(kDebian);
    ASSERT_TRUE(raw.ok());
    auto ins =
        detail::Stmt::prepare(db->get(),
                              "INSERT INTO advisories(id, modified, aliases, source, raw) "
                              "VALUES('DSA-5000-1', 'x', '[\"CVE-2024-0003\"]', 'Debian', ?1)");
    ASSERT_TRUE(ins.ok());
    ASSERT_TRUE(ins->blob(1, *raw).run("insert").ok());
    ASSERT_TRUE(
        detail::exec(db->get(), "INSERT INTO affected VALUES('Debian:12', 'openssl', 'DSA-5000-1')")
            .ok());
  }
  // Read-only opening refuses an old schema; read-write opening upgrades it.
  EXPECT_EQ(open_database_read_only(db_).error().code, Errc::kUnsupported);
  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->status()->schema_version, current_schema_version());
  auto found = db->find("CVE-2024-0003");  // the alias table was back-filled
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, "DSA-5000-1");
  EXPECT_EQ(db->advisories_for("Debian:12", "openssl")->size(), 1u);
}

TEST_F(VulndbStore, NewerSchemaIsRefused) {
  fs::create_directories(fs::path(db_).parent_path());
  {
    auto db = detail::open_file(db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(detail::migrate(db->get()).ok());
    ASSERT_TRUE(
        detail::exec(db->get(), "UPDATE meta SET value='99' WHERE key='schema_version'").ok());
  }
  EXPECT_EQ(open_database(db_).error().code, Errc::kUnsupported);
  write("osv/1.json", kValid);
  EXPECT_EQ(import_paths({(dir_ / "osv").string()}, db_).error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace hivesec::vulndb
