#include "image/registry_ref.h"

#include <gtest/gtest.h>

namespace hivesec::image {
namespace {

const std::string kDigest =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct RefCase {
  std::string in;
  std::string domain, host, repository, tag, digest;
};

TEST(RegistryRefTest, ParsesLikeDocker) {
  const RefCase cases[] = {
      {"debian", "docker.io", "registry-1.docker.io", "library/debian", "latest", ""},
      {"debian:12", "docker.io", "registry-1.docker.io", "library/debian", "12", ""},
      {"library/debian", "docker.io", "registry-1.docker.io", "library/debian", "latest", ""},
      {"docker.io/library/debian:12", "docker.io", "registry-1.docker.io", "library/debian", "12",
       ""},
      {"index.docker.io/debian", "docker.io", "registry-1.docker.io", "library/debian", "latest",
       ""},
      {"user/app:v1.2-rc_3", "docker.io", "registry-1.docker.io", "user/app", "v1.2-rc_3", ""},
      {"localhost:5000/app/x:1.0", "localhost:5000", "localhost:5000", "app/x", "1.0", ""},
      {"localhost/x", "localhost", "localhost", "x", "latest", ""},
      {"127.0.0.1:5000/x@" + kDigest, "127.0.0.1:5000", "127.0.0.1:5000", "x", "", kDigest},
      {"host.example/x:tag@" + kDigest, "host.example", "host.example", "x", "tag", kDigest},
      {"[::1]:5000/a/b", "[::1]:5000", "[::1]:5000", "a/b", "latest", ""},
      {"Registry.Example.com/a.b/c__d/e--f:Tag", "Registry.Example.com", "Registry.Example.com",
       "a.b/c__d/e--f", "Tag", ""},
      {"ghcr.io/org/deep/path/img", "ghcr.io", "ghcr.io", "org/deep/path/img", "latest", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    auto r = parse_registry_ref(c.in);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->domain, c.domain);
    EXPECT_EQ(r->host, c.host);
    EXPECT_EQ(r->repository, c.repository);
    EXPECT_EQ(r->tag, c.tag);
    EXPECT_EQ(r->digest, c.digest);
  }
}

TEST(RegistryRefTest, DigestWinsOverTag) {
  auto r = parse_registry_ref("host.example/x:tag@" + kDigest);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reference(), kDigest);
  auto t = parse_registry_ref("host.example/x:tag");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->reference(), "tag");
}

TEST(RegistryRefTest, RejectsMalformed) {
  const std::string cases[] = {
      "",
      "Debian",                    // uppercase repository
      "docker.io/Library/debian",  // uppercase path component
      "debian:",                   // empty tag
      "debian:-bad",               // tag must start with a word char
      "debian:" + std::string(129, 'a'),
      "debian@sha256:abc",  // short digest
      "debian@md5:0123456789abcdef0123456789abcdef",
      "a//b",
      "a/b/",
      "-a/b",
      "a_-b",  // mixed separator
      "a...b",
      "host:port/x",  // non-numeric port
      "-host.example/x",
      "[::1/x",
      "x:tag with space",
      std::string(600, 'a'),
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c);
    auto r = parse_registry_ref(c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_NE(r.error().message.find("invalid image reference"), std::string::npos);
  }
}

TEST(RegistryRefTest, Names) {
  auto r = parse_registry_ref("debian:12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->full_name(), "docker.io/library/debian");
  EXPECT_EQ(r->familiar_name(), "debian");
  auto u = parse_registry_ref("user/app");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->familiar_name(), "user/app");
  auto l = parse_registry_ref("localhost:5000/app/x");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->familiar_name(), "localhost:5000/app/x");
}

TEST(RegistryRefTest, Loopback) {
  const std::pair<std::string, bool> cases[] = {
      {"localhost", true},        {"localhost:5000", true}, {"127.0.0.1:5000", true},
      {"127.1.2.3", true},        {"[::1]:5000", true},     {"128.0.0.1", false},
      {"127.example.com", false}, {"docker.io", false},     {"localhost.evil.com", false},
  };
  for (const auto& [d, want] : cases) {
    EXPECT_EQ(is_loopback_domain(d), want) << d;
  }
}

TEST(RegistryRefTest, LooksLikeRef) {
  EXPECT_TRUE(looks_like_registry_ref("debian:12"));
  EXPECT_TRUE(looks_like_registry_ref("127.0.0.1:5000/x"));
  EXPECT_FALSE(looks_like_registry_ref("/tmp/image.tar"));
  EXPECT_FALSE(looks_like_registry_ref("./image.tar"));
  EXPECT_FALSE(looks_like_registry_ref("Image.TAR"));
}

}  // namespace
}  // namespace hivesec::image
