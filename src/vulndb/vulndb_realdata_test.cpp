// Imports the real advisory data of ../shared/vulndata (skipped when absent) and checks that
// every JSON entry of each zip is either imported or skipped with a reason.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "vulndb/vulndb.h"

namespace hivesec::vulndb {
namespace {

namespace fs = std::filesystem;

// ../shared/vulndata from the main checkout; ../../shared/vulndata from a worktree under wt/.
fs::path data_dir() {
  const fs::path src(HIVESEC_SOURCE_DIR);
  for (const auto& p :
       {src / ".." / "shared" / "vulndata", src / ".." / ".." / "shared" / "vulndata"}) {
    if (fs::exists(p / "Go" / "all.zip")) return p;
  }
  return src / ".." / "shared" / "vulndata";
}
const fs::path kData = data_dir();
const char* const kEcosystems[] = {"Go", "PyPI", "npm", "Debian"};

// `*.json` entries of a zip, counted by walking its headers.
int64_t json_entries(const fs::path& zip) {
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  int64_t n = -1;
  if (archive_read_open_filename(a, zip.c_str(), 1 << 16) == ARCHIVE_OK) {
    n = 0;
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      std::string name = archive_entry_pathname(e);
      if (name.size() > 5 && name.substr(name.size() - 5) == ".json") ++n;
    }
  }
  archive_read_free(a);
  return n;
}

bool contains_id(const std::vector<Advisory>& advs, const std::string& id) {
  return std::any_of(advs.begin(), advs.end(), [&](const Advisory& a) { return a.id == id; });
}

TEST(VulndbRealData, ImportsAllFourEcosystems) {
  for (const char* eco : kEcosystems) {
    if (!fs::exists(kData / eco / "all.zip")) GTEST_SKIP() << "no " << (kData / eco).string();
  }
  fs::path dir = fs::temp_directory_path() / ("hivesec_vulndb_real_" + std::to_string(getpid()));
  fs::remove_all(dir);
  std::string db_path = (dir / "vuln.db").string();
  ImportOptions options;
  options.max_reasons = 1'000'000;
  std::vector<std::string> paths;
  for (const char* eco : kEcosystems) paths.push_back((kData / eco / "all.zip").string());
  auto stats = import_paths(paths, db_path, options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  ASSERT_EQ(static_cast<int64_t>(stats->skipped_reasons.size()), stats->skipped);

  std::map<std::string, int64_t> skipped;
  for (const auto& s : stats->skipped_reasons) {
    for (const char* eco : kEcosystems) {
      if (s.where.find(std::string("/") + eco + "/all.zip:") != std::string::npos) ++skipped[eco];
    }
  }
  auto db = open_database_read_only(db_path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto status = (*db)->status();
  ASSERT_TRUE(status.ok());
  int64_t total_entries = 0;
  for (const char* eco : kEcosystems) {
    int64_t entries = json_entries(kData / eco / "all.zip");
    ASSERT_GT(entries, 0) << eco;
    total_entries += entries;
    auto it = std::find_if(status->ecosystems.begin(), status->ecosystems.end(),
                           [&](const EcosystemCount& c) { return c.ecosystem == eco; });
    ASSERT_NE(it, status->ecosystems.end()) << eco;
    EXPECT_EQ(it->advisories, entries - skipped[eco]) << eco;
  }
  EXPECT_EQ(status->advisories, total_entries - stats->skipped);
  EXPECT_EQ(stats->imported, total_entries - stats->skipped);

  // Known records, by id and by alias.
  struct Known {
    const char* alias;
    const char* id;
  };
  const Known known[] = {
      {"CVE-2020-36567", "GO-2020-0001"}, {"GHSA-6vm3-jj99-7229", "GO-2020-0001"},
      {"CVE-2005-4644", "PYSEC-2005-1"},  {"CVE-2022-23529", "GHSA-27h2-hvpr-p74q"},
      {"CVE-2014-3466", "DLA-0001-1"},
  };
  for (const auto& k : known) {
    auto found = (*db)->find(k.alias);
    ASSERT_TRUE(found.ok());
    EXPECT_TRUE(contains_id(*found, k.id)) << k.alias << " -> " << k.id;
  }
  auto jwt = (*db)->find("GHSA-27h2-hvpr-p74q");
  ASSERT_EQ(jwt->size(), 1u);
  EXPECT_TRUE((*jwt)[0].is_withdrawn());
  auto gin = (*db)->advisories_for("Go", "github.com/gin-gonic/gin");
  ASSERT_TRUE(gin.ok());
  EXPECT_TRUE(contains_id(*gin, "GO-2020-0001"));
  auto gnutls = (*db)->advisories_for("Debian:6", "gnutls26");
  ASSERT_TRUE(gnutls.ok());
  EXPECT_TRUE(contains_id(*gnutls, "DLA-0001-1"));
  auto trac = (*db)->advisories_for("PyPI", "Trac");
  ASSERT_TRUE(trac.ok());
  EXPECT_TRUE(contains_id(*trac, "PYSEC-2005-1"));
  auto stdlib = (*db)->advisories_for("Go", "stdlib");
  ASSERT_TRUE(stdlib.ok());
  EXPECT_GT(stdlib->size(), 50u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hivesec::vulndb
