// update() against real mirrors: local directories and the loopback HTTP mirror of
// tests/integration/lib/osv_mirror.py (skipped without python3).
#include "vulndb/update.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "image/http_client.h"
#include "vulndb/mirror.h"
#include "vulndb/rebuild.h"
#include "vulndb/testing/update_fixtures.h"
#include "vulndb/zip_records.h"

namespace hivesec::vulndb {
namespace {

namespace fs = std::filesystem;
using testing::osv_record;
using testing::read_file;
using testing::write_file;
using testing::write_zip;
using Ids = std::vector<std::string>;

class VulndbUpdate : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hivesec_update_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    mirror_ = dir_ / "mirror";
    db_ = (dir_ / "db" / "vuln.db").string();
    // Version 1 of the npm zip.
    write_zip(mirror_ / "npm" / "all.zip", {{"A-1.json", osv_record("A-1", "npm", "left-pad")},
                                            {"A-2.json", osv_record("A-2", "npm", "lodash")},
                                            {"A-3.json", osv_record("A-3", "npm", "minimist")},
                                            {"A-4.json", osv_record("A-4", "npm", "axios")}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  UpdateOptions options(std::vector<std::string> ecosystems = {"npm"}) const {
    UpdateOptions o;
    o.db_path = db_;
    o.mirror = mirror_.string();
    o.ecosystems = std::move(ecosystems);
    return o;
  }

  UpdateReport run(const UpdateOptions& o) {
    auto r = update(o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? std::move(r).value() : UpdateReport{};
  }

  std::unique_ptr<Database> open() {
    auto db = open_database_read_only(db_);
    EXPECT_TRUE(db.ok()) << db.error().message;
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // Names of the files beside the database other than the database itself.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(fs::path(db_).parent_path())) {
      if (e.path().filename() != "vuln.db") out.push_back(e.path().filename().string());
    }
    return out;
  }

  fs::path dir_, mirror_;
  std::string db_;
};

TEST_F(VulndbUpdate, FirstUpdateImportsAndRemembersTheSource) {
  auto r = run(options());
  ASSERT_EQ(r.ecosystems.size(), 1u);
  const auto& u = r.ecosystems[0];
  EXPECT_EQ(u.outcome, UpdateOutcome::kUpdated) << u.error;
  EXPECT_EQ(u.added, (Ids{"A-1", "A-2", "A-3", "A-4"}));
  EXPECT_TRUE(u.modified.empty());
  EXPECT_TRUE(u.removed.empty());
  EXPECT_EQ(u.records, 4);
  EXPECT_EQ(u.bytes, fs::file_size(mirror_ / "npm" / "all.zip"));
  EXPECT_TRUE(r.db_rebuilt);
  EXPECT_EQ(r.advisories_total, 4);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.changed_ids(), (Ids{"A-1", "A-2", "A-3", "A-4"}));
  EXPECT_TRUE(leftovers().empty()) << leftovers()[0];

  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->advisories_for("npm", "lodash")->size(), 1u);
  auto s = db->status();
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->fetches.size(), 1u);
  const auto& f = s->fetches[0];
  EXPECT_EQ(f.ecosystem, "npm");
  EXPECT_EQ(f.source, (mirror_ / "npm" / "all.zip").string());
  EXPECT_EQ(f.etag, u.etag);
  EXPECT_FALSE(f.etag.empty());
  EXPECT_NE(f.last_modified.find("GMT"), std::string::npos) << f.last_modified;
  EXPECT_EQ(f.fetched.size(), 20u) << f.fetched;
  EXPECT_EQ(f.checked, f.fetched);
  EXPECT_EQ(f.records, 4);
  ASSERT_EQ(s->ecosystems.size(), 1u);
  EXPECT_EQ(s->ecosystems[0].ecosystem, "npm");
}

TEST_F(VulndbUpdate, UnchangedSourceIsNotModifiedAndNotRebuilt) {
  run(options());
  struct stat before {};
  ASSERT_EQ(::stat(db_.c_str(), &before), 0);
  auto r = run(options());
  ASSERT_EQ(r.ecosystems.size(), 1u);
  EXPECT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kNotModified) << r.ecosystems[0].error;
  EXPECT_FALSE(r.db_rebuilt);
  EXPECT_TRUE(r.changed_ids().empty());
  struct stat after {};
  ASSERT_EQ(::stat(db_.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not renamed over
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(VulndbUpdate, NewZipReplacesTheEcosystemsRecords) {
  run(options());
  // A record of another ecosystem must survive npm's update.
  write_zip(dir_ / "other" / "Go" / "all.zip", {{"G-1.json", osv_record("G-1", "Go", "x/net")}});
  ASSERT_TRUE(import_paths({(dir_ / "other" / "Go" / "all.zip").string()}, db_).ok());

  write_zip(mirror_ / "npm" / "all.zip",
            {{"A-1.json", osv_record("A-1", "npm", "left-pad")},                        // same
             {"A-2.json", osv_record("A-2", "npm", "lodash", "2025-05-05T00:00:00Z")},  // changed
             // A-3 removed upstream
             {"A-4.json", "{\"id\": \"A-4\", \"modified\": 7}"},  // now malformed: old copy kept
             {"A-5.json", osv_record("A-5", "npm", "express")},   // new
             {"dup.json", osv_record("A-5", "npm", "other")},     // duplicate id
             {"README.txt", "ignored"}});
  auto r = run(options());
  ASSERT_EQ(r.ecosystems.size(), 1u);
  const auto& u = r.ecosystems[0];
  ASSERT_EQ(u.outcome, UpdateOutcome::kUpdated) << u.error;
  EXPECT_EQ(u.added, Ids{"A-5"});
  EXPECT_EQ(u.modified, Ids{"A-2"});
  EXPECT_EQ(u.removed, Ids{"A-3"});
  EXPECT_EQ(u.unchanged, 1);
  EXPECT_EQ(u.records, 3);
  EXPECT_EQ(u.skipped, 2);
  ASSERT_EQ(u.skipped_reasons.size(), 2u);
  EXPECT_EQ(u.skipped_reasons[0].where, "npm/all.zip:A-4.json");
  EXPECT_NE(u.skipped_reasons[1].reason.find("duplicate id A-5"), std::string::npos);
  EXPECT_EQ(r.changed_ids(), (Ids{"A-2", "A-3", "A-5"}));
  EXPECT_EQ(r.advisories_total, 5);  // A-4 (kept), A-5, G-1

  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->find("A-3")->empty());
  EXPECT_TRUE(db->advisories_for("npm", "minimist")->empty());  // index rows went too
  ASSERT_EQ(db->find("A-2")->size(), 1u);
  EXPECT_EQ((*db->find("A-2"))[0].modified, "2025-05-05T00:00:00Z");
  EXPECT_EQ(db->find("A-4")->size(), 1u);
  EXPECT_EQ(db->advisories_for("npm", "express")->size(), 1u);
  EXPECT_TRUE(db->advisories_for("npm", "other")->empty());  // the first copy won
  EXPECT_EQ(db->find("G-1")->size(), 1u);
  auto s = db->status();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sources, (Ids{(mirror_ / "npm" / "all.zip").string()}));  // logged as an import
}

TEST_F(VulndbUpdate, BrokenDownloadsLeaveTheDatabaseByteIdentical) {
  run(options());
  const std::string before = read_file(db_);
  const std::string good = read_file(mirror_ / "npm" / "all.zip");
  struct Case {
    const char* name;
    std::string bytes;
    const char* expect;
  };
  const Case cases[] = {
      {"truncated", good.substr(0, good.size() - 40), "truncated"},
      {"garbage", std::string(good.size(), 'g'), "not a complete zip"},
      {"empty", "", "not a complete zip"},
  };
  for (const auto& c : cases) {
    write_file(mirror_ / "npm" / "all.zip", c.bytes);
    auto r = run(options());
    ASSERT_EQ(r.ecosystems.size(), 1u);
    const auto& u = r.ecosystems[0];
    EXPECT_EQ(u.outcome, UpdateOutcome::kFailed) << c.name;
    EXPECT_NE(u.error.find(c.expect), std::string::npos) << c.name << ": " << u.error;
    EXPECT_EQ(u.error.find('\n'), std::string::npos);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.db_rebuilt);
    EXPECT_TRUE(read_file(db_) == before) << c.name;
    EXPECT_TRUE(leftovers().empty()) << c.name << ": " << leftovers()[0];
  }
  // Over the size limit, and an ecosystem the mirror does not have.
  write_file(mirror_ / "npm" / "all.zip", good + "x");
  auto o = options({"npm", "Go"});
  o.max_download_bytes = 100;
  auto r = run(o);
  ASSERT_EQ(r.ecosystems.size(), 2u);
  EXPECT_NE(r.ecosystems[0].error.find("limit 100"), std::string::npos) << r.ecosystems[0].error;
  EXPECT_NE(r.ecosystems[1].error.find("no such file"), std::string::npos) << r.ecosystems[1].error;
  EXPECT_TRUE(read_file(db_) == before);
}

TEST_F(VulndbUpdate, AFailingEcosystemDoesNotBlockTheOthers) {
  write_zip(mirror_ / "Go" / "all.zip", {{"G-1.json", osv_record("G-1", "Go", "x/net")}});
  write_file(mirror_ / "PyPI" / "all.zip", "not a zip at all");
  auto r = run(options({"Go", "PyPI", "npm"}));
  ASSERT_EQ(r.ecosystems.size(), 3u);
  EXPECT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated);
  EXPECT_EQ(r.ecosystems[1].outcome, UpdateOutcome::kFailed);
  EXPECT_EQ(r.ecosystems[2].outcome, UpdateOutcome::kUpdated);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.advisories_total, 5);
  auto db = open();
  ASSERT_TRUE(db);
  auto s = db->status();
  ASSERT_EQ(s->fetches.size(), 2u);  // nothing remembered for the failed one
  EXPECT_EQ(s->fetches[0].ecosystem, "Go");
  EXPECT_EQ(s->fetches[1].ecosystem, "npm");
}

TEST_F(VulndbUpdate, DefaultEcosystemsComeFromTheDatabaseElseTheBuiltInList) {
  // Empty database: the built-in list (the mirror only has npm).
  auto r = run(options({}));
  Ids names;
  for (const auto& u : r.ecosystems) names.push_back(u.ecosystem);
  EXPECT_EQ(names, default_update_ecosystems());
  for (const auto& u : r.ecosystems) {
    EXPECT_EQ(u.outcome, u.ecosystem == "npm" ? UpdateOutcome::kUpdated : UpdateOutcome::kFailed)
        << u.ecosystem;
  }
  // Now the database holds npm (fetched) and Go (imported by hand): those two, sorted.
  write_zip(dir_ / "other" / "Go" / "all.zip", {{"G-1.json", osv_record("G-1", "Go", "x/net")}});
  ASSERT_TRUE(import_paths({(dir_ / "other" / "Go" / "all.zip").string()}, db_).ok());
  r = run(options({}));
  names.clear();
  for (const auto& u : r.ecosystems) names.push_back(u.ecosystem);
  EXPECT_EQ(names, (Ids{"Go", "npm"}));
}

TEST_F(VulndbUpdate, EcosystemNamesAreCheckedAndTheirCaseCorrected) {
  for (const char* bad : {"", "..", "a/b", "../npm", "x\ny"}) {
    auto e = update(options({bad}));
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().code, Errc::kInvalidArgument) << bad;
  }
  auto o = options();
  o.mirror = "ftp://example.com";
  EXPECT_EQ(update(o).error().code, Errc::kInvalidArgument);
  o.mirror = (dir_ / "absent").string();
  EXPECT_EQ(update(o).error().code, Errc::kNotFound);
  EXPECT_FALSE(fs::exists(db_));

  auto r = run(options({"NPM", " npm ", "pypi"}));
  ASSERT_EQ(r.ecosystems.size(), 2u);
  EXPECT_EQ(r.ecosystems[0].ecosystem, "npm");
  EXPECT_EQ(r.ecosystems[1].ecosystem, "PyPI");
}

TEST_F(VulndbUpdate, LeftoversOfDeadProcessesAreRemoved) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // `child` no longer runs
  const fs::path d = fs::path(db_).parent_path();
  const std::string dead = std::to_string(child);
  for (const auto& name :
       Ids{"vuln.db.fetch-" + dead + "-0.tmp", "vuln.db.import-" + dead + ".tmp",
           "vuln.db.import-" + dead + ".tmp-journal", "vuln.db.fetch-1-0.tmp",
           "vuln.db.fetch-" + dead + "-x.tmp", "other.db.fetch-" + dead + "-0.tmp"}) {
    write_file(d / name, "partial");
  }
  EXPECT_EQ(detail::remove_stale_temp_files(db_), 3);
  auto left = leftovers();
  std::sort(left.begin(), left.end());
  // pid 1 runs; the other two do not follow the naming of this database.
  Ids expected{"other.db.fetch-" + dead + "-0.tmp", "vuln.db.fetch-" + dead + "-x.tmp",
               "vuln.db.fetch-1-0.tmp"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected);
}

// ---- Over HTTP, against the loopback mirror ----

class VulndbUpdateHttp : public VulndbUpdate {
 protected:
  void SetUp() override {
    VulndbUpdate::SetUp();
    server_ = std::make_unique<testing::MirrorServer>(mirror_, dir_);
    if (!server_->ok()) GTEST_SKIP() << "python3 or osv_mirror.py missing";
  }
  void TearDown() override {
    server_.reset();
    VulndbUpdate::TearDown();
  }

  void set_mode(const std::string& mode) {
    image::HttpRequest req;
    req.url = server_->url() + "/_control/mode/" + mode;
    auto resp = image::http_get(req, 1024);
    ASSERT_TRUE(resp.ok() && resp->status == 200) << mode;
  }

  UpdateOptions http_options() const {
    auto o = options();
    o.mirror = server_->url() + "/";
    o.stall_timeout_s = 2;
    return o;
  }

  // The server log once it holds `needle` (the server logs a request after answering it), or
  // as it is after 5 s.
  std::string log_with(const std::string& needle) const {
    std::string l;
    for (int i = 0; i < 100; ++i) {
      l = read_file(server_->log_path());
      if (l.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return l;
  }

  std::unique_ptr<testing::MirrorServer> server_;
};

TEST_F(VulndbUpdateHttp, ConditionalRequestsGet304) {
  auto r = run(http_options());
  ASSERT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated) << r.ecosystems[0].error;
  EXPECT_EQ(r.ecosystems[0].source, server_->url() + "/npm/all.zip");
  const std::string etag = r.ecosystems[0].etag;
  EXPECT_EQ(etag.size(), 34u) << etag;  // quoted 32 hex digits
  EXPECT_FALSE(r.ecosystems[0].last_modified.empty());

  r = run(http_options());
  ASSERT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kNotModified) << r.ecosystems[0].error;
  EXPECT_EQ(r.ecosystems[0].etag, etag);
  std::string l = log_with("\"status\": 304");
  EXPECT_NE(l.find("\"if_none_match\": \"\\\"" + etag.substr(1, 32) + "\\\"\""), std::string::npos)
      << l;
  EXPECT_NE(l.find("\"status\": 304"), std::string::npos) << l;

  // Another mirror base: the stored validators are not sent there.
  auto o = http_options();
  o.mirror = "http://localhost:" + server_->url().substr(server_->url().rfind(':') + 1);
  r = run(o);
  EXPECT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated) << r.ecosystems[0].error;
  EXPECT_EQ(r.ecosystems[0].unchanged, 4);
}

TEST_F(VulndbUpdateHttp, HostileServersFailOneLineAndLeaveTheDatabaseAlone) {
  run(http_options());
  // New content upstream, so a healthy server would answer 200.
  write_zip(mirror_ / "npm" / "all.zip", {{"A-9.json", osv_record("A-9", "npm", "left-pad")}});
  const std::string before = read_file(db_);
  struct Case {
    const char* mode;
    const char* expect;
  };
  const Case cases[] = {
      {"500", "HTTP 500"},
      {"truncate", "transfer"},
      {"wrong-length", "not a complete zip"},
      {"garbage", "not a complete zip"},
      {"hang", "npm/all.zip"},
      {"redirect-loop", "redirect"},
  };
  for (const auto& c : cases) {
    set_mode(c.mode);
    auto start = std::chrono::steady_clock::now();
    auto r = run(http_options());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(r.ecosystems.size(), 1u);
    const auto& u = r.ecosystems[0];
    EXPECT_EQ(u.outcome, UpdateOutcome::kFailed) << c.mode;
    EXPECT_NE(u.error.find(c.expect), std::string::npos) << c.mode << ": " << u.error;
    EXPECT_LT(secs, 15) << c.mode;
    EXPECT_TRUE(read_file(db_) == before) << c.mode;
    EXPECT_TRUE(leftovers().empty()) << c.mode << ": " << leftovers()[0];
  }
  set_mode("normal");
  auto o = http_options();
  o.max_download_bytes = 64;
  auto r = run(o);
  EXPECT_NE(r.ecosystems[0].error.find("announces"), std::string::npos) << r.ecosystems[0].error;
  EXPECT_TRUE(read_file(db_) == before);

  r = run(http_options());
  ASSERT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated) << r.ecosystems[0].error;
  EXPECT_EQ(r.ecosystems[0].added, Ids{"A-9"});
  EXPECT_EQ(r.ecosystems[0].removed, (Ids{"A-1", "A-2", "A-3", "A-4"}));
}

TEST_F(VulndbUpdateHttp, Unconditional304AndServersWithoutValidators) {
  set_mode("always-304");
  auto r = run(http_options());
  EXPECT_NE(r.ecosystems[0].error.find("not conditional"), std::string::npos)
      << r.ecosystems[0].error;
  EXPECT_FALSE(fs::exists(db_));
  set_mode("no-validators");
  r = run(http_options());
  EXPECT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated) << r.ecosystems[0].error;
  r = run(http_options());  // nothing to replay: fetched again, nothing changes
  EXPECT_EQ(r.ecosystems[0].outcome, UpdateOutcome::kUpdated) << r.ecosystems[0].error;
  EXPECT_EQ(r.ecosystems[0].unchanged, 4);
  EXPECT_TRUE(r.changed_ids().empty());
}

}  // namespace
}  // namespace hivesec::vulndb
