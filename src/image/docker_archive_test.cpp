#include "image/docker_archive.h"

#include <gtest/gtest.h>

#include "image/testing_images.h"

namespace hivesec::image {
namespace {

using testing::make_tar;
using testing::TarItem;
using testing::TempDir;
using testing::TestImage;

std::string read_layer(const ImageSource& src, size_t i, Error* err = nullptr) {
  auto s = src.open_layer(i);
  if (!s.ok()) {
    if (err) *err = s.error();
    return "";
  }
  auto data = read_all(**s, 1 << 24);
  if (!data.ok()) {
    if (err) *err = data.error();
    return "";
  }
  return *data;
}

const std::vector<std::vector<TarItem>> kFiles = {
    {{"etc/os-release", "ID=test\n"}, {"bin/sh", "#!fake"}},
    {{"usr/lib/app/big.txt", std::string(70000, 'z')}},
};

// Legacy `docker save`: <id>/layer.tar (uncompressed) and <hex>.json.
std::string legacy_archive(const TestImage& img, const std::string& tag = "foo:1") {
  std::vector<TarItem> items;
  nlohmann::json layers = nlohmann::json::array();
  for (size_t i = 0; i < img.layer_tars.size(); ++i) {
    std::string id = sha256_hex("id" + std::to_string(i));
    items.push_back({id, "", '5'});
    items.push_back({id + "/layer.tar", img.layer_tars[i]});
    items.push_back({id + "/VERSION", "1.0"});
    layers.push_back(id + "/layer.tar");
  }
  std::string cfg_name = img.config.digest().substr(7) + ".json";
  items.push_back({cfg_name, img.config.data});
  nlohmann::json m =
      nlohmann::json::array({{{"Config", cfg_name}, {"RepoTags", {tag}}, {"Layers", layers}}});
  items.push_back({"manifest.json", m.dump()});
  return make_tar(items);
}

TEST(DockerArchiveTest, LegacyLayoutUncompressed) {
  TempDir dir;
  TestImage img = TestImage::build(kFiles, "");
  std::string path = dir.write("img.tar", legacy_archive(img));
  auto src = open_docker_archive(path);
  ASSERT_TRUE(src.ok()) << src.error().message;
  const ImageMeta& m = (*src)->meta();
  EXPECT_EQ(m.source, "docker-archive");
  EXPECT_EQ(m.name, path);
  EXPECT_EQ(m.image_id, img.config.digest());
  EXPECT_EQ(m.manifest_digest, "");
  EXPECT_EQ(m.repo_tags, std::vector<std::string>{"foo:1"});
  EXPECT_EQ(m.platform.str(), "linux/amd64");
  EXPECT_EQ(m.config.user, "nobody");
  ASSERT_EQ(m.layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(m.layers[i].diff_id, sha256_digest(img.layer_tars[i]));
    EXPECT_EQ(m.layers[i].digest, m.layers[i].diff_id);
    EXPECT_EQ(m.layers[i].size, static_cast<int64_t>(img.layer_tars[i].size()));
    EXPECT_EQ(read_layer(**src, i), img.layer_tars[i]);
  }
  EXPECT_FALSE((*src)->open_layer(2).ok());
}

// Docker 25+: blobs/sha256/<hex>, layers possibly compressed.
std::string blobs_archive(const TestImage& img, bool with_oci_layout = false) {
  std::vector<TarItem> items;
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : img.layers) {
    std::string name = "blobs/sha256/" + l.digest().substr(7);
    items.push_back({name, l.data});
    layers.push_back(name);
  }
  std::string cfg = "blobs/sha256/" + img.config.digest().substr(7);
  items.push_back({cfg, img.config.data});
  nlohmann::json m = nlohmann::json::array(
      {{{"Config", cfg}, {"RepoTags", {"docker.io/library/alpine:3"}}, {"Layers", layers}}});
  items.push_back({"manifest.json", m.dump()});
  if (with_oci_layout) items.push_back({"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"});
  return make_tar(items);
}

TEST(DockerArchiveTest, BlobsLayoutCompressed) {
  for (std::string comp : {"gzip", "zstd", ""}) {
    TempDir dir;
    TestImage img = TestImage::build(kFiles, comp);
    std::string path = dir.write("img.tar", blobs_archive(img));
    auto src = open_docker_archive(path, "alpine:3");
    ASSERT_TRUE(src.ok()) << comp << ": " << src.error().message;
    const ImageMeta& m = (*src)->meta();
    ASSERT_EQ(m.layers.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(m.layers[i].digest, img.layers[i].digest()) << comp;
      EXPECT_EQ(m.layers[i].diff_id, sha256_digest(img.layer_tars[i]));
      EXPECT_EQ(read_layer(**src, i), img.layers[i].data) << comp;
    }
    if (comp == "gzip") {
      EXPECT_EQ(m.layers[0].media_type, "application/vnd.docker.image.rootfs.diff.tar.gzip");
    }
  }
}

TEST(DockerArchiveTest, SelectsImageByTag) {
  TempDir dir;
  TestImage a = TestImage::build({kFiles[0]}, "", "amd64");
  TestImage b = TestImage::build({kFiles[1]}, "", "arm64");
  std::vector<TarItem> items;
  nlohmann::json m = nlohmann::json::array();
  for (const TestImage* img : {&a, &b}) {
    std::string layer = "blobs/sha256/" + img->layers[0].digest().substr(7);
    std::string cfg = "blobs/sha256/" + img->config.digest().substr(7);
    items.push_back({layer, img->layers[0].data});
    items.push_back({cfg, img->config.data});
    m.push_back({{"Config", cfg},
                 {"RepoTags", {img == &a ? "localhost/one:1" : "two:2"}},
                 {"Layers", {layer}}});
  }
  items.push_back({"manifest.json", m.dump()});
  std::string path = dir.write("multi.tar", make_tar(items));

  SourceRegistry reg;
  ASSERT_TRUE(register_builtin_sources(reg).ok());
  struct Case {
    std::string ref;
    std::string arch;  // "" = error
  } cases[] = {
      {path, "amd64"},
      {path + ":two:2", "arm64"},
      {path + ":one:1", "amd64"},
      {"docker-archive:" + path + ":docker.io/library/two:2", "arm64"},
      {path + ":three", ""},
  };
  for (const auto& c : cases) {
    auto src = open_image(reg, c.ref, {});
    if (c.arch.empty()) {
      ASSERT_FALSE(src.ok());
      EXPECT_EQ(src.error().code, Errc::kNotFound);
      EXPECT_NE(src.error().message.find("localhost/one:1, two:2"), std::string::npos)
          << src.error().message;
      continue;
    }
    ASSERT_TRUE(src.ok()) << c.ref << ": " << src.error().message;
    EXPECT_EQ((*src)->meta().platform.architecture, c.arch) << c.ref;
  }
}

TEST(DockerArchiveTest, DetectsOnlyDockerArchives) {
  TempDir dir;
  TestImage img = TestImage::build(kFiles, "gzip");
  SourceKind k = docker_archive_source_kind();
  EXPECT_TRUE(k.detect(dir.write("a.tar", blobs_archive(img))));
  EXPECT_TRUE(k.detect(dir.path("a.tar") + ":alpine:3"));
  EXPECT_FALSE(k.detect(dir.write("b.tar", blobs_archive(img, true))));
  EXPECT_FALSE(k.detect(dir.write("c.tar", make_tar({{"x", "y"}}))));
  EXPECT_FALSE(k.detect(dir.write("d.txt", "hello")));
  EXPECT_FALSE(k.detect(dir.path("missing.tar")));
  EXPECT_FALSE(k.detect(dir.path()));
}

TEST(DockerArchiveTest, CorruptionAndMissingPieces) {
  TestImage img = TestImage::build(kFiles, "gzip");
  TestImage plain = TestImage::build(kFiles, "");
  TempDir dir;

  // Tampered compressed layer: stored under its original digest name.
  {
    TestImage bad = img;
    std::string good_name = bad.layers[1].digest();
    std::vector<TarItem> items = {
        {"blobs/sha256/" + good_name.substr(7), make_tar({{"evil", "x"}}, "gzip")},
        {"blobs/sha256/" + bad.layers[0].digest().substr(7), bad.layers[0].data},
        {"blobs/sha256/" + bad.config.digest().substr(7), bad.config.data},
        {"manifest.json",
         nlohmann::json::array({{{"Config", "blobs/sha256/" + bad.config.digest().substr(7)},
                                 {"Layers",
                                  {"blobs/sha256/" + bad.layers[0].digest().substr(7),
                                   "blobs/sha256/" + good_name.substr(7)}}}})
             .dump()}};
    auto src = open_docker_archive(dir.write("tampered.tar", make_tar(items)));
    ASSERT_TRUE(src.ok()) << src.error().message;
    EXPECT_EQ(read_layer(**src, 0), bad.layers[0].data);
    Error err;
    read_layer(**src, 1, &err);
    EXPECT_EQ(err.code, Errc::kCorrupt);
    EXPECT_NE(err.message.find("digest mismatch"), std::string::npos) << err.message;
  }
  // Tampered uncompressed layer: must match the config's diff_id.
  {
    TestImage bad = plain;
    bad.layer_tars[0] = make_tar({{"etc/os-release", "ID=evil\n"}, {"bin/sh", "#!fake"}});
    auto src = open_docker_archive(dir.write("tampered2.tar", legacy_archive(bad)));
    ASSERT_TRUE(src.ok()) << src.error().message;
    Error err;
    read_layer(**src, 0, &err);
    EXPECT_EQ(err.code, Errc::kCorrupt) << err.message;
    EXPECT_EQ(read_layer(**src, 1), plain.layer_tars[1]);
  }
  // Config whose content does not match its digest name.
  {
    TestImage bad = plain;
    std::string name = bad.config.digest().substr(7) + ".json";
    std::string archive = legacy_archive(bad);
    bad.config.data.replace(bad.config.data.find("nobody"), 6, "root!!");
    std::vector<TarItem> items = {
        {name, bad.config.data},
        {"manifest.json",
         nlohmann::json::array({{{"Config", name}, {"Layers", nlohmann::json::array()}}}).dump()}};
    auto src = open_docker_archive(dir.write("badcfg.tar", make_tar(items)));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.error().code, Errc::kCorrupt) << src.error().message;
  }
  struct Case {
    std::string name;
    std::string data;
    Errc code;
  } cases[] = {
      {"missing layer",
       make_tar({{"c.json", plain.config.data},
                 {"manifest.json", R"([{"Config":"c.json","Layers":["x/layer.tar","y"]}])"}}),
       Errc::kNotFound},
      {"missing config", make_tar({{"manifest.json", R"([{"Config":"c.json","Layers":[]}])"}}),
       Errc::kNotFound},
      {"layer count mismatch",
       make_tar({{"c.json", plain.config.data},
                 {"l", plain.layer_tars[0]},
                 {"manifest.json", R"([{"Config":"c.json","Layers":["l"]}])"}}),
       Errc::kCorrupt},
      {"no manifest", make_tar({{"a", "b"}}), Errc::kNotFound},
      {"bad manifest", make_tar({{"manifest.json", "{"}}), Errc::kCorrupt},
      {"empty manifest", make_tar({{"manifest.json", "[]"}}), Errc::kCorrupt},
      {"escaping layer path",
       make_tar({{"c.json", plain.config.data},
                 {"manifest.json", R"([{"Config":"c.json","Layers":["../../etc/passwd"]}])"}}),
       Errc::kCorrupt},
      {"truncated", legacy_archive(plain).substr(0, 3000), Errc::kCorrupt},
      {"gzip outer", make_tar({{"manifest.json", "[]"}}, "gzip"), Errc::kUnsupported},
  };
  for (const auto& c : cases) {
    auto src = open_docker_archive(dir.write("case.tar", c.data));
    ASSERT_FALSE(src.ok()) << c.name;
    EXPECT_EQ(src.error().code, c.code) << c.name << ": " << src.error().message;
  }
  auto missing = open_docker_archive(dir.path("nope.tar"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace hivesec::image
