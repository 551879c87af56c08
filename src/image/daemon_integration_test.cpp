// Real-engine tests of the engine source against `podman system service` on a private socket
// (tests/integration/lib/engine_fixture.sh). Skipped when podman/skopeo are not installed.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "image/docker_archive.h"
#include "image/remote_sources.h"
#include "image/source.h"
#include "image/testing/shell_fixture.h"

namespace hivesec::image {
namespace {

namespace fs = std::filesystem;

std::string fixture_script() {
  return std::string(HIVESEC_SOURCE_DIR) + "/tests/integration/lib/engine_fixture.sh";
}

class EngineIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/hivesec-engine-test-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    setup_failed_ = testing::start_shell_fixture(fixture_script(), dir_, env_) ==
                    testing::FixtureState::kFailed;
  }

  static void TearDownTestSuite() { testing::stop_shell_fixture(fixture_script(), dir_); }

  void SetUp() override {
    ASSERT_FALSE(setup_failed_) << "engine fixture failed, see " << dir_ << "/fixture.log";
    if (env_.empty()) GTEST_SKIP() << "podman/skopeo not installed";
  }

  SourceOptions options() const {
    SourceOptions o;
    o.docker_host = "unix://" + env_.at("SOCKET");
    o.temp_dir = dir_ + "/spool";
    return o;
  }

  static inline std::string dir_;
  static inline bool setup_failed_ = false;
  static inline std::map<std::string, std::string> env_;
};

TEST_F(EngineIntegrationTest, ExportsImageAndLeavesNothingBehind) {
  auto src = open_engine_image("localhost/test/single:1.0", options());
  ASSERT_TRUE(src.ok()) << src.error().message;
  const ImageMeta& m = (*src)->meta();
  EXPECT_EQ(m.source, "daemon");
  ASSERT_EQ(m.repo_tags.size(), 1u);
  EXPECT_EQ(m.repo_tags[0], "localhost/test/single:1.0");
  EXPECT_EQ(m.repo_digests.size(), 1u);
  ASSERT_EQ(m.layers.size(), 2u);
  auto archive = open_docker_archive(env_.at("ARCHIVE"));
  ASSERT_TRUE(archive.ok()) << archive.error().message;
  ASSERT_EQ((*archive)->meta().layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(m.layers[i].diff_id, (*archive)->meta().layers[i].diff_id);
  }
  EXPECT_EQ(m.image_id, (*archive)->meta().image_id);
  // Layers stream from the spooled export.
  std::string buf(65536, '\0');
  for (size_t i = 0; i < m.layers.size(); ++i) {
    auto s = (*src)->open_layer(i);
    ASSERT_TRUE(s.ok()) << s.error().message;
    while (true) {
      auto n = (*s)->read(buf.data(), buf.size());
      ASSERT_TRUE(n.ok()) << n.error().message;
      if (*n == 0) break;
    }
  }
  // The spool file is anonymous: the temp dir is empty even while the source is open.
  EXPECT_TRUE(fs::is_empty(dir_ + "/spool"));
}

TEST_F(EngineIntegrationTest, ShortNameAndMissingImage) {
  auto short_name = open_engine_image("test/single:1.0", options());
  ASSERT_TRUE(short_name.ok()) << short_name.error().message;

  auto missing = open_engine_image("nothing/here:1", options());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().message,
            "image nothing/here:1 not found in the engine at " + env_.at("SOCKET"));
}

TEST_F(EngineIntegrationTest, FindsSocketThroughDockerHost) {
  const char* old = getenv("DOCKER_HOST");
  std::string saved = old ? old : "";
  setenv("DOCKER_HOST", ("unix://" + env_.at("SOCKET")).c_str(), 1);
  SourceOptions o;
  o.temp_dir = dir_ + "/spool2";
  auto src = open_engine_image("localhost/test/single:1.0", o);
  bool detected = detect_engine_image("localhost/test/single:1.0");
  bool detected_missing = detect_engine_image("nothing/here:1");
  SourceRegistry reg;
  ASSERT_TRUE(register_builtin_sources(reg).ok());
  auto via_open = open_image(reg, "podman:localhost/test/single:1.0", o);
  setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock", 1);
  auto no_engine = open_engine_image("x:1", o);
  if (old) {
    setenv("DOCKER_HOST", saved.c_str(), 1);
  } else {
    unsetenv("DOCKER_HOST");
  }
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_TRUE(detected);
  EXPECT_FALSE(detected_missing);
  ASSERT_TRUE(via_open.ok()) << via_open.error().message;
  EXPECT_EQ((*via_open)->meta().source, "daemon");
  ASSERT_FALSE(no_engine.ok());
  EXPECT_EQ(no_engine.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace hivesec::image
