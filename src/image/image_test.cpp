#include "image/image.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/hash.h"

namespace hivesec::image {
namespace {

TEST(PlatformTest, ParseAndPrint) {
  struct Case {
    const char* in;
    bool ok;
    const char* str;
  } cases[] = {
      {"linux/amd64", true, "linux/amd64"}, {"linux/arm64/v8", true, "linux/arm64/v8"},
      {"amd64", true, "linux/amd64"},       {"", false, ""},
      {"linux//amd64", false, ""},          {"a/b/c/d", false, ""},
      {"linux/am d64", false, ""},          {"linux/", false, ""},
  };
  for (const auto& c : cases) {
    auto p = parse_platform(c.in);
    EXPECT_EQ(p.ok(), c.ok) << c.in;
    if (p.ok()) {
      EXPECT_EQ(p->str(), c.str);
    } else {
      EXPECT_EQ(p.error().code, Errc::kInvalidArgument);
    }
  }
}

std::string d(const char* s) { return sha256_digest(s); }

TEST(ImageConfigTest, ParsesFullConfig) {
  nlohmann::json cfg = {{"architecture", "arm64"},
                        {"os", "linux"},
                        {"variant", "v8"},
                        {"created", "2024-01-02T03:04:05Z"},
                        {"config",
                         {{"User", "app"},
                          {"Env", {"PATH=/usr/bin", "A=b"}},
                          {"Entrypoint", {"/entry"}},
                          {"Cmd", {"run", "--x"}},
                          {"WorkingDir", "/srv"},
                          {"ExposedPorts", {{"80/tcp", nlohmann::json::object()}}},
                          {"Labels", {{"maintainer", "me"}}},
                          {"Healthcheck", {{"Test", {"CMD-SHELL", "curl -f localhost"}}}},
                          {"Volumes", {{"/data", nlohmann::json::object()}}},
                          {"StopSignal", "SIGTERM"}}},
                        {"history",
                         {{{"created", "t1"}, {"created_by", "ADD x"}},
                          {{"created_by", "ENV A=b"}, {"empty_layer", true}}}},
                        {"rootfs", {{"type", "layers"}, {"diff_ids", {d("a"), d("b")}}}}};
  ImageMeta meta;
  ASSERT_TRUE(parse_image_config(cfg.dump(), meta).ok());
  EXPECT_EQ(meta.platform.str(), "linux/arm64/v8");
  EXPECT_EQ(meta.created, "2024-01-02T03:04:05Z");
  EXPECT_EQ(meta.config.user, "app");
  EXPECT_EQ(meta.config.env, (std::vector<std::string>{"PATH=/usr/bin", "A=b"}));
  EXPECT_EQ(meta.config.entrypoint, (std::vector<std::string>{"/entry"}));
  EXPECT_EQ(meta.config.cmd, (std::vector<std::string>{"run", "--x"}));
  EXPECT_EQ(meta.config.working_dir, "/srv");
  EXPECT_EQ(meta.config.exposed_ports, (std::vector<std::string>{"80/tcp"}));
  EXPECT_EQ(meta.config.labels.at("maintainer"), "me");
  EXPECT_EQ(meta.config.healthcheck, "curl -f localhost");
  EXPECT_EQ(meta.config.volumes, (std::vector<std::string>{"/data"}));
  EXPECT_EQ(meta.config.stop_signal, "SIGTERM");
  ASSERT_EQ(meta.history.size(), 2u);
  EXPECT_EQ(meta.history[0].created_by, "ADD x");
  EXPECT_TRUE(meta.history[1].empty_layer);
  ASSERT_EQ(meta.layers.size(), 2u);
  EXPECT_EQ(meta.layers[1].diff_id, d("b"));

  nlohmann::json out = meta;
  EXPECT_EQ(out["platform"], "linux/arm64/v8");
  EXPECT_EQ(out["config"]["working_dir"], "/srv");
  EXPECT_EQ(out["config"]["exposed_ports"][0], "80/tcp");
  EXPECT_EQ(out["layers"][1]["diff_id"], d("b"));
  EXPECT_EQ(out["layers"][1]["size"], -1);
  EXPECT_TRUE(out.contains("repo_tags"));
  EXPECT_TRUE(out.contains("manifest_digest"));
  EXPECT_TRUE(out["history"][1]["empty_layer"].get<bool>());
}

TEST(ImageConfigTest, NullConfigFieldsAreEmpty) {
  std::string cfg = R"({"architecture":"amd64","os":"linux","config":{"Cmd":null,"Env":null,
      "Labels":null,"ExposedPorts":null},"rootfs":{"type":"layers","diff_ids":[]}})";
  ImageMeta meta;
  ASSERT_TRUE(parse_image_config(cfg, meta).ok());
  EXPECT_TRUE(meta.config.cmd.empty());
  EXPECT_TRUE(meta.layers.empty());
}

TEST(ImageConfigTest, RejectsMalformed) {
  std::string good_ids = "[\"" + d("a") + "\"]";
  struct Case {
    std::string json;
    size_t layers;
    Errc code;
  } cases[] = {
      {"not json", 0, Errc::kCorrupt},
      {"[]", 0, Errc::kCorrupt},
      {R"({"os":"linux"})", 0, Errc::kCorrupt},  // no rootfs
      {R"({"rootfs":{"diff_ids":["sha256:xyz"]}})", 0, Errc::kCorrupt},
      {R"({"rootfs":{"diff_ids":"nope"}})", 0, Errc::kCorrupt},
      {R"({"config":{"Env":[1,2]},"rootfs":{"diff_ids":[]}})", 0, Errc::kCorrupt},
      {R"({"config":{"ExposedPorts":["80"]},"rootfs":{"diff_ids":[]}})", 0, Errc::kCorrupt},
      {R"({"history":{},"rootfs":{"diff_ids":[]}})", 0, Errc::kCorrupt},
      {R"({"rootfs":{"diff_ids":)" + good_ids + "}}", 2, Errc::kCorrupt},  // count mismatch
      {std::string(10000, '[') + std::string(10000, ']'), 0, Errc::kCorrupt},
  };
  for (const auto& c : cases) {
    ImageMeta meta;
    meta.layers.resize(c.layers);
    auto st = parse_image_config(c.json, meta);
    ASSERT_FALSE(st.ok()) << c.json.substr(0, 80);
    EXPECT_EQ(st.error().code, c.code) << st.error().message;
  }
}

}  // namespace
}  // namespace hivesec::image
