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
