// Tests of the engine client: socket discovery (real files, DOCKER_HOST forms) and requests
// against a real `podman system service` on a private socket
// (tests/integration/lib/engine_fixture.sh). The engine part is skipped without podman.
#include "engine/engine.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <map>
#include <string>

#include "image/testing/shell_fixture.h"

namespace hivesec::engine {
namespace {

TEST(EngineDiscoveryTest, DockerHostForms) {
  char tmpl[] = "/tmp/hivesec-engine-disc-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string sock = std::string(tmpl) + "/e.sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  auto e = find_engine("unix://" + sock);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->socket, sock);
  EXPECT_EQ(e->base_url, "http://localhost");

  auto missing = find_engine("unix://" + std::string(tmpl) + "/absent.sock");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);

  auto tcp = find_engine("tcp://127.0.0.1:2375/");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->base_url, "http://127.0.0.1:2375");
  EXPECT_TRUE(tcp->socket.empty());

  for (const char* bad : {"ssh://host", "unix://relative.sock", "tcp://", "tcp://a/b"}) {
    auto r = find_engine(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << bad;
  }

  // $DOCKER_HOST is used when no explicit host is given.
  const char* old = getenv("DOCKER_HOST");
  std::string saved = old ? old : "";
  setenv("DOCKER_HOST", ("unix://" + sock).c_str(), 1);
  auto env = find_engine();
  if (old)
    setenv("DOCKER_HOST", saved.c_str(), 1);
  else
    unsetenv("DOCKER_HOST");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->socket, sock);

  // A socket nobody listens on: a clear kNetwork error, no hang.
  ::close(fd);
  Client c(*e, ClientOptions{2, 5, 1 << 20});
  auto r = c.get_json("/version");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kNetwork);
  EXPECT_NE(r.error().message.find(sock), std::string::npos) << r.error().message;
  unlink(sock.c_str());
  rmdir(tmpl);
}

std::string fixture_script() {
  return std::string(HIVESEC_SOURCE_DIR) + "/tests/integration/lib/engine_fixture.sh";
}

class EngineClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/hivesec-engine-client-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    setup_failed_ = image::testing::start_shell_fixture(fixture_script(), dir_, env_) ==
                    image::testing::FixtureState::kFailed;
  }
  static void TearDownTestSuite() { image::testing::stop_shell_fixture(fixture_script(), dir_); }
  void SetUp() override {
    ASSERT_FALSE(setup_failed_) << "engine fixture failed, see " << dir_ << "/fixture.log";
    if (env_.empty()) GTEST_SKIP() << "podman/skopeo not installed";
  }
  Client client(ClientOptions o = {}) const {
    auto c = Client::connect("unix://" + env_.at("SOCKET"), o);
    EXPECT_TRUE(c.ok());
    return std::move(c).value();
  }
  static inline std::string dir_;
  static inline bool setup_failed_ = false;
  static inline std::map<std::string, std::string> env_;
};

TEST_F(EngineClientTest, GetJsonReadsVersionAndImages) {
  Client c = client();
  auto v = c.get_json("/version");
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_TRUE(v->contains("Version"));
  auto images = c.get_json("/images/json");
  ASSERT_TRUE(images.ok()) << images.error().message;
  ASSERT_TRUE(images->is_array());
  bool found = false;
  for (const auto& i : *images) {
    for (const auto& t : i.value("RepoTags", nlohmann::json::array()))
      found = found || t == "localhost/test/single:1.0";
  }
  EXPECT_TRUE(found) << images->dump();
  auto ping = c.get_text("/_ping");
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(*ping, "OK");
  auto p = c.ping();
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->headers["server"].rfind("Libpod/", 0), 0u) << p->headers["server"];
  EXPECT_FALSE(p->headers["api-version"].empty());
}

TEST_F(EngineClientTest, ErrorsAreTyped) {
  Client c = client();
  auto nf = c.get_json("/containers/no-such-container-xyz/json");
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().code, Errc::kNotFound);
  EXPECT_NE(nf.error().message.find("no-such-container-xyz"), std::string::npos);

  auto tiny = client(ClientOptions{5, 30, 8});  // any real reply is over 8 bytes
  auto lim = tiny.get_json("/version");
  ASSERT_FALSE(lim.ok());
  EXPECT_EQ(lim.error().code, Errc::kLimit);

  auto rel = c.get_json("version");
  ASSERT_FALSE(rel.ok());
  EXPECT_EQ(rel.error().code, Errc::kInvalidArgument);
}

TEST_F(EngineClientTest, PostCreatesStopsAndDeleteRemovesContainers) {
  Client c = client();
  auto created = c.post("/containers/create?name=hivesec-engine-client-test",
                        R"({"Image":"localhost/test/single:1.0","Cmd":["/nothing"]})");
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_EQ(created->status, 201) << created->body;
  auto j = nlohmann::json::parse(created->body, nullptr, false);
  ASSERT_TRUE(j.is_object() && j.contains("Id")) << created->body;
  std::string id = j["Id"].get<std::string>();

  auto inspect = c.get_json("/containers/" + id + "/json");
  ASSERT_TRUE(inspect.ok()) << inspect.error().message;
  EXPECT_EQ(
      (*inspect)["Name"].get<std::string>().find("hivesec-engine-client-test") != std::string::npos,
      true);
  // Stopping a container that never started: Docker answers 304 Not Modified, Podman 204.
  auto stop = c.post("/containers/" + id + "/stop");
  ASSERT_TRUE(stop.ok()) << stop.error().message;
  EXPECT_TRUE(stop->status == 304 || stop->status == 204) << stop->status << " " << stop->body;
  auto removed = c.del("/containers/" + id + "?force=1");
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_TRUE(removed->status == 204 || removed->status == 200) << removed->status;
  auto gone = c.get_json("/containers/" + id + "/json");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
  auto missing = c.post("/containers/no-such-container-xyz/kill");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(error_message(missing->body).find("no-such-container-xyz"), std::string::npos);
}

}  // namespace
}  // namespace hivesec::engine
