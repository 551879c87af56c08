// Real-server tests of the registry source: Debian's docker-registry on loopback in anonymous,
// htpasswd and bearer-token modes (tests/integration/lib/registry_fixture.sh). Skipped when
// docker-registry or skopeo are not installed.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/hash.h"
#include "image/docker_archive.h"
#include "image/remote_sources.h"
#include "image/source.h"
#include "image/testing/shell_fixture.h"

namespace hivesec::image {
namespace {

namespace fs = std::filesystem;

std::string fixture_script() {
  return std::string(HIVESEC_SOURCE_DIR) + "/tests/integration/lib/registry_fixture.sh";
}

class RegistryIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/hivesec-registry-test-XXXXXX";
    if (!mkdtemp(tmpl)) {
      skip_reason_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    switch (testing::start_shell_fixture(fixture_script(), dir_, env_)) {
      case testing::FixtureState::kSkipped:
        skip_reason_ = "docker-registry/skopeo not installed";
        break;
      case testing::FixtureState::kFailed:
        skip_reason_ = "";
        setup_failed_ = true;
        break;
      case testing::FixtureState::kReady:
        break;
    }
  }

  static void TearDownTestSuite() { testing::stop_shell_fixture(fixture_script(), dir_); }

  void SetUp() override {
    ASSERT_FALSE(setup_failed_) << "registry fixture failed, see " << dir_ << "/fixture.log";
    if (env_.empty()) GTEST_SKIP() << skip_reason_;
  }

  static std::string env(const std::string& key) { return env_[key]; }

  // Reads every layer to the end (the verifying stream checks digest and size).
  static Status read_layers(const ImageSource& src) {
    std::string buf(64 << 10, '\0');
    for (size_t i = 0; i < src.meta().layers.size(); ++i) {
      HIVESEC_TRY(auto stream, src.open_layer(i));
      while (true) {
        HIVESEC_TRY(size_t n, stream->read(buf.data(), buf.size()));
        if (n == 0) break;
      }
    }
    return ok_status();
  }

  static inline std::string dir_;
  static inline std::string skip_reason_;
  static inline bool setup_failed_ = false;
  static inline std::map<std::string, std::string> env_;
};

std::vector<std::string> diff_ids(const ImageMeta& m) {
  std::vector<std::string> out;
  for (const auto& l : m.layers) out.push_back(l.diff_id);
  return out;
}

TEST_F(RegistryIntegrationTest, AnonymousPullMatchesDockerArchive) {
  auto src = open_registry_image(env("ANON") + "/test/single:1.0", SourceOptions{});
  ASSERT_TRUE(src.ok()) << src.error().message;
  const ImageMeta& m = (*src)->meta();
  EXPECT_EQ(m.source, "registry");
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.platform.architecture, "amd64");
  EXPECT_EQ(m.config.labels.at("arch"), "amd64");
  ASSERT_EQ(m.repo_tags.size(), 1u);
  EXPECT_EQ(m.repo_tags[0], env("ANON") + "/test/single:1.0");
  ASSERT_EQ(m.repo_digests.size(), 1u);
  EXPECT_EQ(m.repo_digests[0], env("ANON") + "/test/single@" + m.manifest_digest);
  for (const auto& l : m.layers) {
    EXPECT_TRUE(validate_digest(l.digest).ok());
    EXPECT_GT(l.size, 0);
  }
  Status read = read_layers(**src);
  EXPECT_TRUE(read.ok()) << read.error().message;

  auto archive = open_docker_archive(env("ARCHIVE"));
  ASSERT_TRUE(archive.ok()) << archive.error().message;
  EXPECT_EQ(diff_ids((*archive)->meta()), diff_ids(m));
  EXPECT_FALSE(diff_ids(m)[0].empty());

  // By digest: the same image; an unknown digest is kNotFound.
  auto by_digest =
      open_registry_image(env("ANON") + "/test/single@" + m.manifest_digest, SourceOptions{});
  ASSERT_TRUE(by_digest.ok()) << by_digest.error().message;
  EXPECT_EQ((*by_digest)->meta().image_id, m.image_id);
  auto missing_digest = open_registry_image(
      env("ANON") + "/test/single@sha256:" + std::string(64, '0'), SourceOptions{});
  ASSERT_FALSE(missing_digest.ok());
  EXPECT_EQ(missing_digest.error().code, Errc::kNotFound);
}

TEST_F(RegistryIntegrationTest, NotFoundAndNetworkErrors) {
  for (std::string ref : {"/test/single:nope", "/nothing/here:1"}) {
    auto r = open_registry_image(env("ANON") + ref, SourceOptions{});
    ASSERT_FALSE(r.ok()) << ref;
    EXPECT_EQ(r.error().code, Errc::kNotFound) << r.error().message;
    EXPECT_NE(r.error().message.find("(404)"), std::string::npos) << r.error().message;
  }
  // Nothing listens on port 1.
  auto down = open_registry_image("127.0.0.1:1/x:1", SourceOptions{});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, Errc::kNetwork) << down.error().message;
  auto bad = open_registry_image("127.0.0.1:1/X:1", SourceOptions{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

TEST_F(RegistryIntegrationTest, PlatformSelection) {
  const std::string ref = env("ANON") + "/test/multi:1";
  auto def = open_registry_image(ref, SourceOptions{});
  ASSERT_TRUE(def.ok()) << def.error().message;
  EXPECT_EQ((*def)->meta().platform.architecture, "amd64");
  EXPECT_EQ((*def)->meta().config.labels.at("arch"), "amd64");

  SourceOptions arm;
  arm.platform = parse_platform("linux/arm64").value();
  auto a = open_registry_image(ref, arm);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ((*a)->meta().platform.architecture, "arm64");
  EXPECT_EQ((*a)->meta().config.labels.at("arch"), "arm64");
  EXPECT_NE((*a)->meta().image_id, (*def)->meta().image_id);
  // The tag names the index: both report its digest.
  EXPECT_EQ((*a)->meta().repo_digests, (*def)->meta().repo_digests);
  Status read = read_layers(**a);
  EXPECT_TRUE(read.ok()) << read.error().message;

  SourceOptions s390;
  s390.platform = parse_platform("linux/s390x").value();
  auto none = open_registry_image(ref, s390);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::kNotFound);
  EXPECT_NE(none.error().message.find("arm64"), std::string::npos) << none.error().message;
}

TEST_F(RegistryIntegrationTest, BasicAuth) {
  const std::string ref = env("BASIC") + "/test/single:1.0";
  SourceOptions good;
  good.username = "alice";
  good.password = "s3cret";
  auto ok = open_registry_image(ref, good);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  Status read = read_layers(**ok);
  EXPECT_TRUE(read.ok()) << read.error().message;

  SourceOptions wrong = good;
  wrong.password = "wrong";
  for (const SourceOptions& opts : {wrong, SourceOptions{}}) {
    auto r = open_registry_image(ref, opts);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kAuth);
    EXPECT_EQ(r.error().message, "registry " + env("BASIC") +
                                     ": authentication required for repository test/single (401)");
  }
}

TEST_F(RegistryIntegrationTest, BasicAuthFromDockerConfig) {
  const std::string cfg_dir = dir_ + "/docker-config";
  fs::create_directories(cfg_dir);
  std::ofstream(cfg_dir + "/config.json") << R"({"auths":{")" << env("BASIC") << R"(":{"auth":")"
                                          << "YWxpY2U6czNjcmV0"  // alice:s3cret
                                          << R"("}}})";
  const char* old = getenv("DOCKER_CONFIG");
  std::string saved = old ? old : "";
  setenv("DOCKER_CONFIG", cfg_dir.c_str(), 1);
  auto r = open_registry_image(env("BASIC") + "/test/single:1.0", SourceOptions{});
  if (old) {
    setenv("DOCKER_CONFIG", saved.c_str(), 1);
  } else {
    unsetenv("DOCKER_CONFIG");
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST_F(RegistryIntegrationTest, BearerTokenAuth) {
  SourceOptions good;
  good.username = "bob";
  good.password = "t0ken-pw";
  // Blobs are redirected to another host that refuses an Authorization header.
  auto ok = open_registry_image(env("TOKEN") + "/test/single:1.0", good);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  Status read = read_layers(**ok);
  EXPECT_TRUE(read.ok()) << read.error().message;
  auto other = open_registry_image(env("TOKEN") + "/other/repo:1.0", good);
  ASSERT_TRUE(other.ok()) << other.error().message;

  SourceOptions wrong = good;
  wrong.password = "nope";
  for (const SourceOptions& opts : {wrong, SourceOptions{}}) {
    auto r = open_registry_image(env("TOKEN") + "/test/single:1.0", opts);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kAuth);
    EXPECT_NE(r.error().message.find("authentication failed for repository test/single"),
              std::string::npos)
        << r.error().message;
  }
}

TEST_F(RegistryIntegrationTest, CorruptBlobIsDetected) {
  auto src = open_registry_image(env("CORRUPT") + "/test/single:1.0", SourceOptions{});
  ASSERT_TRUE(src.ok()) << src.error().message;
  const LayerInfo& layer = (*src)->meta().layers.at(1);
  std::string hex = layer.digest.substr(7);
  std::string path = env("CORRUPT_DIR") + "/storage/docker/registry/v2/blobs/sha256/" +
                     hex.substr(0, 2) + "/" + hex + "/data";
  ASSERT_TRUE(fs::exists(path)) << path;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << std::string(static_cast<size_t>(layer.size), 'Z');
  auto stream = (*src)->open_layer(1);
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  std::string buf(4096, '\0');
  Result<size_t> n = size_t{0};
  do {
    n = (*stream)->read(buf.data(), buf.size());
  } while (n.ok() && *n > 0);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, Errc::kCorrupt) << n.error().message;
}

TEST_F(RegistryIntegrationTest, DetectionThroughOpenImage) {
  SourceRegistry reg;
  ASSERT_TRUE(register_builtin_sources(reg).ok());
  ASSERT_NE(reg.find("registry"), nullptr);
  auto r = open_image(reg, env("ANON") + "/test/single:1.0", SourceOptions{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)->meta().source, "registry");
  auto prefixed = open_image(reg, "registry:" + env("ANON") + "/test/single:1.0", SourceOptions{});
  ASSERT_TRUE(prefixed.ok()) << prefixed.error().message;
}

}  // namespace
}  // namespace hivesec::image
