#include "model/purl.h"

#include <gtest/gtest.h>

namespace hivesec::model {
namespace {

TEST(Purl, Table) {
  EXPECT_EQ(make_purl("deb", "debian", "libc6", "2.36-9+deb12u4",
                      {{"arch", "amd64"}, {"distro", "debian-12"}}),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
  EXPECT_EQ(make_purl("npm", "@babel", "core", "7.0.0"), "pkg:npm/%40babel/core@7.0.0");
  EXPECT_EQ(make_purl("golang", "github.com/spf13", "cobra", "v1.8.0"),
            "pkg:golang/github.com/spf13/cobra@v1.8.0");
  EXPECT_EQ(make_purl("pypi", "", "requests", "2.31.0", {{"empty", ""}}),
            "pkg:pypi/requests@2.31.0");
}

}  // namespace
}  // namespace hivesec::model

namespace hivesec::model {
namespace {

TEST(ParsePurl, Parts) {
  struct Case {
    const char* in;
    const char* type;
    const char* ns;
    const char* name;
    const char* version;
    const char* subpath;
  };
  for (auto c : {
           Case{"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64", "deb", "debian", "libc6",
                "2.36-9+deb12u4", ""},
           Case{"pkg:npm/%40babel/core@7.0.0", "npm", "@babel", "core", "7.0.0", ""},
           Case{"pkg:npm/@babel/core", "npm", "@babel", "core", "", ""},
           Case{"pkg:npm/@babel/core@7.1.0", "npm", "@babel", "core", "7.1.0", ""},
           Case{"pkg:golang/github.com/spf13/cobra@v1.8.0", "golang", "github.com/spf13", "cobra",
                "v1.8.0", ""},
           Case{"PKG:NPM/lodash", "npm", "", "lodash", "", ""},
           Case{"pkg://maven/org.apache//commons-io@2.6", "maven", "org.apache", "commons-io",
                "2.6", ""},
           Case{"pkg:golang/google.golang.org/genproto#/googleapis/api/./annotations/", "golang",
                "google.golang.org", "genproto", "", "googleapis/api/annotations"},
           Case{"pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian",
                "oci", "", "debian", "sha256:244fd47e07d10", ""},
           Case{"pkg:pypi/django@1.11.1/", "pypi", "", "django", "1.11.1", ""},
           Case{"pkg:generic/a%20b@1%25", "generic", "", "a b", "1%", ""},
       }) {
    auto r = parse_purl(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error().message;
    EXPECT_EQ(r->type, c.type) << c.in;
    EXPECT_EQ(r->namespace_, c.ns) << c.in;
    EXPECT_EQ(r->name, c.name) << c.in;
    EXPECT_EQ(r->version, c.version) << c.in;
    EXPECT_EQ(r->subpath, c.subpath) << c.in;
  }
}

TEST(ParsePurl, Qualifiers) {
  auto r =
      parse_purl("pkg:rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&distro=fedora-25&empty=&x=a%26b");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::map<std::string, std::string> want{{"arch", "i386"}, {"distro", "fedora-25"}, {"x", "a&b"}};
  EXPECT_EQ(r->qualifiers, want);
}

TEST(ParsePurl, RoundTripsThroughBuilder) {
  for (const char* in : {"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
                         "pkg:npm/%40babel/core@7.0.0", "pkg:golang/github.com/spf13/cobra@v1.8.0",
                         "pkg:maven/org.apache/commons-io@2.6#src/main"}) {
    auto r = parse_purl(in);
    ASSERT_TRUE(r.ok()) << in;
    EXPECT_EQ(r->to_string(), in);
  }
  std::string built = make_purl("npm", "@scope/x", "name with space", "1.0+b", {{"k", "v&w"}});
  auto r = parse_purl(built);
  ASSERT_TRUE(r.ok()) << built;
  EXPECT_EQ(r->namespace_, "@scope/x");
  EXPECT_EQ(r->name, "name with space");
  EXPECT_EQ(r->version, "1.0+b");
  EXPECT_EQ(r->qualifiers.at("k"), "v&w");
}

TEST(ParsePurl, RejectsMalformed) {
  for (const char* bad :
       {"", "npm/lodash", "pkg:", "pkg:npm", "pkg:npm/", "pkg:npm/@1.0", "pkg:1npm/x",
        "pkg:n%70m/x", "pkg:npm/lo%zzdash", "pkg:npm/lodash%4", "pkg:npm/a%2Fb", "pkg:npm/x?arch",
        "pkg:npm/x?1a=b", "pkg:npm/x?a=1&A=2", "http://npm/lodash", "pkg:npm/x?k%20=v"}) {
    auto r = parse_purl(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << bad;
  }
}

TEST(ParsePurl, ErrorsShowAShortenedPrintableInput) {
  std::string hostile = "pkg:npm/x%zz\n" + std::string(500, 'a');
  auto r = parse_purl(hostile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  EXPECT_LT(r.error().message.size(), 200u);
}

}  // namespace
}  // namespace hivesec::model
