#include "suppress/ignore_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "suppress/dates.h"
#include "suppress/testing/findings.h"

namespace hivesec::suppress {
namespace {

using testing::secret;
using testing::vuln;

const std::string kTestdata = std::string(HIVESEC_SOURCE_DIR) + "/src/suppress/testdata/";

IgnoreEntry one_entry(std::string_view line) {
  auto f = parse_ignore_file(line, "t");
  EXPECT_TRUE(f.ok()) << line << ": " << (f.ok() ? "" : f.error().message);
  EXPECT_EQ(f.ok() ? f->entries.size() : 0u, 1u) << line;
  return f.ok() && !f->entries.empty() ? f->entries[0] : IgnoreEntry{};
}

TEST(SuppressIgnoreFile, ParsesTheSampleFile) {
  auto f = load_ignore_file(kTestdata + "hivesecignore");
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->entries.size(), 5u);
  const IgnoreEntry& e = f->entries[0];
  EXPECT_EQ(e.id, "CVE-2019-10744");
  EXPECT_EQ(e.expires, "2099-12-31");
  ASSERT_TRUE(e.package.has_value());
  EXPECT_EQ(e.package->type, "npm");
  EXPECT_EQ(e.package->name, "lodash");
  EXPECT_EQ(e.comment, "lodash template not used");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.where(), kTestdata + "hivesecignore:3");
  EXPECT_EQ(f->entries[1].id, "ghsa-xxxx-yyyy-zzzz");
  EXPECT_EQ(f->entries[3].package_name, "openssl");
  ASSERT_TRUE(f->entries[3].path.has_value());
  EXPECT_EQ(f->entries[3].path->pattern(), "usr/lib/**");
  EXPECT_EQ(f->entries[4].line, 7);
}

TEST(SuppressIgnoreFile, BomCrlfAndCommentsOnly) {
  auto f = parse_ignore_file("\xEF\xBB\xBF# c\r\n\r\n   \t\r\nCVE-1 # x\r\nCVE-2\r\n", "t");
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->entries.size(), 2u);
  EXPECT_EQ(f->entries[0].id, "CVE-1");
  EXPECT_EQ(f->entries[0].comment, "x");
  EXPECT_EQ(f->entries[1].id, "CVE-2");
  EXPECT_EQ(f->entries[1].line, 5);
  auto empty = parse_ignore_file("", "t");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(SuppressIgnoreFile, IdMatchesRuleAliasAndAdvisoryCaseInsensitively) {
  auto f = vuln("GHSA-jf85-cpcp-j695", "pkg:npm/lodash@4.17.20", "lodash", "4.17.20",
                {"CVE-2019-10744"});
  f.vuln->advisories = {"GHSA-jf85-cpcp-j695", "DSA-9999-1"};
  EXPECT_TRUE(one_entry("cve-2019-10744").matches(f));
  EXPECT_TRUE(one_entry("ghsa-JF85-cpcp-j695").matches(f));
  EXPECT_TRUE(one_entry("dsa-9999-1").matches(f));
  EXPECT_FALSE(one_entry("CVE-2019-1074").matches(f));
  EXPECT_FALSE(one_entry("CVE-2019-107444").matches(f));
}

TEST(SuppressIgnoreFile, Expiry) {
  IgnoreEntry e = one_entry("CVE-1 exp:2024-01-31");
  int64_t last_day = parse_date("2024-01-31").value();
  EXPECT_FALSE(e.expired(last_day - 1));
  EXPECT_FALSE(e.expired(last_day));
  EXPECT_TRUE(e.expired(last_day + 1));
  EXPECT_FALSE(one_entry("CVE-1").expired(last_day + 100000));
}

TEST(SuppressIgnoreFile, PackageScopeByPurl) {
  auto f = vuln("CVE-1", "pkg:npm/lodash@4.17.20", "lodash", "4.17.20");
  EXPECT_TRUE(one_entry("CVE-1 pkg:npm/lodash").matches(f));
  EXPECT_TRUE(one_entry("CVE-1 pkg:npm/lodash@4.17.20").matches(f));
  EXPECT_TRUE(one_entry("CVE-1 pkg:npm/Lodash").matches(f));  // npm names are case-insensitive
  EXPECT_TRUE(one_entry("CVE-1 pkg:pkg:npm/lodash").matches(f));
  EXPECT_FALSE(one_entry("CVE-1 pkg:npm/lodash@4.17.21").matches(f));
  EXPECT_FALSE(one_entry("CVE-1 pkg:pypi/lodash").matches(f));
  EXPECT_FALSE(one_entry("CVE-1 pkg:npm/underscore").matches(f));

  auto deb = vuln("CVE-1", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
                  "libssl3", "3.0.11-1~deb12u2");
  EXPECT_TRUE(one_entry("CVE-1 pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=arm64").matches(deb))
      << "qualifiers are ignored";
  EXPECT_TRUE(one_entry("CVE-1 pkg:deb/debian/libssl3@3.0.11-1%7Edeb12u2").matches(deb));
  EXPECT_FALSE(one_entry("CVE-1 pkg:deb/ubuntu/libssl3").matches(deb));

  auto py = vuln("CVE-1", "pkg:pypi/jinja2@3.1.2", "Jinja2", "3.1.2");
  EXPECT_TRUE(one_entry("CVE-1 pkg:pypi/Jinja2").matches(py));
  auto dotted = vuln("CVE-1", "pkg:pypi/zope-interface@6.0", "zope.interface", "6.0");
  EXPECT_TRUE(one_entry("CVE-1 pkg:pypi/zope.interface").matches(dotted));

  auto no_pkg = secret("CVE-1", "a/b");
  EXPECT_FALSE(one_entry("CVE-1 pkg:npm/lodash").matches(no_pkg));
}

TEST(SuppressIgnoreFile, PackageScopeByName) {
  auto f = vuln("CVE-1", "pkg:deb/debian/libssl3@3.0.11-1", "libssl3", "3.0.11-1");
  f.vuln->matched_name = "openssl";  // the source package
  EXPECT_TRUE(one_entry("CVE-1 pkg:libssl3").matches(f));
  EXPECT_TRUE(one_entry("CVE-1 pkg:openssl").matches(f));
  EXPECT_TRUE(one_entry("CVE-1 pkg:debian/libssl3").matches(f));
  EXPECT_FALSE(one_entry("CVE-1 pkg:libssl").matches(f));

  auto scoped = vuln("CVE-2", "pkg:npm/%40babel/core@7.0.0", "@babel/core", "7.0.0");
  EXPECT_TRUE(one_entry("CVE-2 pkg:@babel/core").matches(scoped));
  EXPECT_TRUE(one_entry("CVE-2 pkg:core").matches(scoped));

  auto go =
      vuln("CVE-3", "pkg:golang/github.com/spf13/cobra@v1.8.0", "github.com/spf13/cobra", "v1.8.0");
  IgnoreEntry e = one_entry("CVE-3 pkg:github.com/spf13/cobra");
  EXPECT_FALSE(e.package.has_value()) << "github.com is not a purl type";
  EXPECT_TRUE(e.matches(go));
}

TEST(SuppressIgnoreFile, PathScopeAndNonVulnFindings) {
  auto s = secret("aws-access-key-id", "tests/fixtures/prod.env");
  EXPECT_TRUE(one_entry("aws-access-key-id path:tests/fixtures/*.env").matches(s));
  EXPECT_TRUE(one_entry("AWS-ACCESS-KEY-ID path:*.env").matches(s));
  EXPECT_FALSE(one_entry("aws-access-key-id path:src/**").matches(s));
  EXPECT_FALSE(one_entry("github-pat path:tests/**").matches(s));
  auto no_path = secret("aws-access-key-id", "");
  EXPECT_FALSE(one_entry("aws-access-key-id path:**").matches(no_path));

  auto f = vuln("CVE-1", "pkg:npm/lodash@4.17.20", "lodash", "4.17.20");
  f.evidence.path = "app/node_modules/lodash/package.json";
  EXPECT_TRUE(one_entry("CVE-1 pkg:npm/lodash path:app/**").matches(f));
  EXPECT_FALSE(one_entry("CVE-1 pkg:npm/lodash path:other/**").matches(f))
      << "every scope must match";
  EXPECT_FALSE(one_entry("CVE-1 pkg:npm/other path:app/**").matches(f));
}

TEST(SuppressIgnoreFile, MalformedLinesNameFileAndLine) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (auto c : {
           Case{"CVE-1 exp:2024-13-01", "t:2: invalid date '2024-13-01'"},
           Case{"CVE-1 exp:31.12.2024", "t:2: invalid date"},
           Case{"CVE-1 foo:bar", "t:2: unknown field 'foo:'"},
           Case{"CVE-1 CVE-2", "t:2: unexpected 'CVE-2'"},
           Case{"exp:2024-01-01 CVE-1", "t:2: entry starts with 'exp:2024-01-01'"},
           Case{"CVE-1 pkg:npm/lo%zzdash", "t:2: pkg: invalid percent-encoding"},
           Case{"CVE-1 path:[abc", "t:2: path: unclosed '['"},
           Case{"CVE-1 exp:2024-01-01 exp:2024-02-01", "t:2: exp: given twice"},
           Case{"CVE-1 pkg:a pkg:b", "t:2: pkg: given twice"},
           Case{"CVE-1 path:a path:b", "t:2: path: given twice"},
           Case{"CVE-1 pkg:", "t:2: 'pkg:' needs a value"},
           Case{"CVE-1\x01 pkg:x", "t:2: control character"},
       }) {
    std::string text = std::string("# header\n") + c.text + "\nCVE-9\n";
    auto f = parse_ignore_file(text, "t");
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(f.error().message.rfind(c.want, 0), 0u) << f.error().message;
    EXPECT_EQ(f.error().message.find('\n'), std::string::npos);
  }
  std::string long_line = "CVE-1 path:" + std::string(kMaxIgnoreLineLength, 'a');
  auto f = parse_ignore_file(long_line, "t");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("t:1: line longer than"), std::string::npos);
}

TEST(SuppressIgnoreFile, LoadErrorsNameTheFile) {
  auto missing = load_ignore_file("/nonexistent/dir/.hivesecignore");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/dir/.hivesecignore"), std::string::npos);

  auto dir = load_ignore_file(kTestdata);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, Errc::kIo);

  auto tmp = std::filesystem::temp_directory_path() / "hivesec-suppress-big-ignore";
  {
    std::ofstream out(tmp, std::ios::binary);
    std::string block(1 << 20, '#');
    for (int i = 0; i < 17; ++i) out << block;
  }
  auto big = load_ignore_file(tmp.string());
  std::filesystem::remove(tmp);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, Errc::kLimit);
  EXPECT_NE(big.error().message.find(tmp.string()), std::string::npos);
}

}  // namespace
}  // namespace hivesec::suppress
