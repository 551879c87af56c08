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

TEST(Purl, ParsesWhatMakePurlBuilds) {
  const std::map<std::string, std::string> q = {{"arch", "amd64"}, {"distro", "debian-12"}};
  std::string text = make_purl("deb", "debian", "libc6", "2.36-9+deb12u4", q);
  auto p = parse_purl(text);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->type, "deb");
  EXPECT_EQ(p->ns, "debian");
  EXPECT_EQ(p->name, "libc6");
  EXPECT_EQ(p->version, "2.36-9+deb12u4");
  EXPECT_EQ(p->qualifiers, q);
  EXPECT_EQ(make_purl(p->type, p->ns, p->name, p->version, p->qualifiers), text);
  EXPECT_EQ(p->base(), "pkg:deb/debian/libc6");
}

TEST(Purl, ScopesModulePathsAndSubpaths) {
  auto npm = parse_purl("pkg:npm/%40babel/core@7.0.0");
  ASSERT_TRUE(npm.ok());
  EXPECT_EQ(npm->ns, "@babel");
  EXPECT_EQ(npm->name, "core");
  EXPECT_EQ(npm->version, "7.0.0");
  auto go = parse_purl("PKG:Golang/github.com/spf13/cobra@v1.8.0#cmd/x/");
  ASSERT_TRUE(go.ok());
  EXPECT_EQ(go->type, "golang");
  EXPECT_EQ(go->ns, "github.com/spf13");
  EXPECT_EQ(go->name, "cobra");
  EXPECT_EQ(go->subpath, "cmd/x");
  auto noversion = parse_purl("pkg:pypi/requests");
  ASSERT_TRUE(noversion.ok());
  EXPECT_EQ(noversion->version, "");
  EXPECT_EQ(noversion->ns, "");
}

TEST(Purl, RejectsMalformed) {
  for (std::string_view bad : {"", "pkg:", "npm/lodash@1", "pkg:npm", "pkg:/lodash", "pkg:npm/",
                               "pkg:npm/lo%zzdash", "pkg:npm/lodash@1%2", "pkg:npm/x?novalue"}) {
    EXPECT_FALSE(parse_purl(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_purl("pkg:npm/" + std::string(5000, 'a')).ok());
}

}  // namespace
}  // namespace hivesec::model
