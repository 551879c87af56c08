#include "image/registry_auth.h"

#include <gtest/gtest.h>

#include <vector>

namespace hivesec::image {
namespace {

TEST(RegistryAuthTest, ParsesChallenges) {
  auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",)"
      R"(scope="repository:samalba/my-app:pull,push")");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->scheme, "bearer");
  EXPECT_EQ(c->params["realm"], "https://auth.docker.io/token");
  EXPECT_EQ(c->params["service"], "registry.docker.io");
  EXPECT_EQ(c->params["scope"], "repository:samalba/my-app:pull,push");

  auto b = parse_www_authenticate(R"(Basic realm="Registry Realm")");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->scheme, "basic");
  EXPECT_EQ(b->params["realm"], "Registry Realm");

  auto t = parse_www_authenticate(R"(bearer Realm=http://x/token , service="a\"b", scope=s)");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->params["realm"], "http://x/token");
  EXPECT_EQ(t->params["service"], "a\"b");
  EXPECT_EQ(t->params["scope"], "s");

  auto bare = parse_www_authenticate("Bearer");
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->params.empty());
}

TEST(RegistryAuthTest, RejectsMalformedChallenges) {
  const std::string cases[] = {
      "",
      "   ",
      R"(Bearer realm="unterminated)",
      "Bearer realm",
      "Bearer =x",
      R"(Bearer realm="a" service="b")",
      std::string(9000, 'a'),
  };
  for (const auto& c : cases) {
    auto r = parse_www_authenticate(c);
    EXPECT_FALSE(r.ok()) << c;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    }
  }
}

TEST(RegistryAuthTest, Base64RoundTrip) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)}) {
    auto d = base64_decode(base64_encode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_FALSE(base64_decode("abc").ok());
  EXPECT_FALSE(base64_decode("a*b=").ok());
}

RegistryRef ref(const std::string& s) { return parse_registry_ref(s).value(); }

TEST(RegistryAuthTest, DockerConfigLookup) {
  const std::string config = R"({
    "auths": {
      "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="},
      "127.0.0.1:5000": {"auth": "dXNlcjpwYTpzcw=="},
      "http://reg.example:8443/v2/": {"auth": "cmVnOnJlZ3Bhc3M="},
      "other.example": {"username": "u2", "password": "p2"},
      "empty.example": {}
    },
    "credsStore": "desktop"
  })";
  struct Case {
    std::string ref;
    bool found;
    std::string user, pass;
  };
  const Case cases[] = {
      {"debian:12", true, "hub", "hubpass"},
      {"docker.io/user/app", true, "hub", "hubpass"},
      {"127.0.0.1:5000/x", true, "user", "pa:ss"},
      {"reg.example:8443/a/b", true, "reg", "regpass"},
      {"reg.example/a", false, "", ""},
      {"other.example/a", true, "u2", "p2"},
      {"empty.example/a", false, "", ""},
      {"unknown.example/a", false, "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ref);
    auto r = find_docker_config_credentials(config, ref(c.ref));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->has_value(), c.found);
    if (c.found) {
      EXPECT_EQ((*r)->username, c.user);
      EXPECT_EQ((*r)->password, c.pass);
    }
  }
}

TEST(RegistryAuthTest, DockerConfigMalformed) {
  EXPECT_FALSE(find_docker_config_credentials("{", ref("x")).ok());
  EXPECT_FALSE(find_docker_config_credentials("[]", ref("x")).ok());
  EXPECT_TRUE(find_docker_config_credentials("{}", ref("x")).ok());
  auto bad = find_docker_config_credentials(R"({"auths":{"h.example":{"auth":"%%%%"}}})",
                                            ref("h.example/x"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
  auto nocolon = find_docker_config_credentials(R"({"auths":{"h.example":{"auth":"dXNlcg=="}}})",
                                                ref("h.example/x"));
  EXPECT_FALSE(nocolon.ok());
}

}  // namespace
}  // namespace hivesec::image
