// OCI layout directory and oci-archive sources, and resolve_oci_image through them.
#include <gtest/gtest.h>

#include <filesystem>

#include "image/oci_archive.h"
#include "image/oci_dir.h"
#include "image/oci_image.h"
#include "image/testing_images.h"

namespace hivesec::image {
namespace {

using testing::as_tar_items;
using testing::make_tar;
using testing::oci_layout_files;
using testing::simple_index;
using testing::TarItem;
using testing::TempDir;
using testing::TestImage;
using Files = std::map<std::string, std::string>;

const std::vector<std::vector<TarItem>> kFiles = {
    {{"etc/os-release", "ID=test\n"}},
    {{"app/data.bin", std::string(50000, 'd')}, {"app/run", "x"}},
};

enum class Layout { kDir, kArchive };

// Writes `files` as a layout and returns the ref to open.
std::string write_layout(const TempDir& dir, Layout layout, const Files& files) {
  if (layout == Layout::kDir) {
    for (const auto& [name, data] : files) dir.write("layout/" + name, data);
    return dir.path("layout");
  }
  return dir.write("layout.tar", make_tar(as_tar_items(files)));
}

Result<std::unique_ptr<ImageSource>> open(const std::string& ref,
                                          std::optional<Platform> platform = std::nullopt) {
  SourceRegistry reg;
  EXPECT_TRUE(register_builtin_sources(reg).ok());
  SourceOptions opts;
  opts.platform = platform;
  return open_image(reg, ref, opts);
}

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

class OciLayoutTest : public ::testing::TestWithParam<Layout> {};

TEST_P(OciLayoutTest, SingleImage) {
  TempDir dir;
  TestImage img = TestImage::build(kFiles, "gzip");
  std::string ref =
      write_layout(dir, GetParam(), oci_layout_files({&img}, simple_index({img.descriptor()})));
  auto src = open(ref);
  ASSERT_TRUE(src.ok()) << src.error().message;
  const ImageMeta& m = (*src)->meta();
  EXPECT_EQ(m.source, GetParam() == Layout::kDir ? "oci-dir" : "oci-archive");
  EXPECT_EQ(m.name, ref);
  EXPECT_EQ(m.manifest_digest, img.manifest.digest());
  EXPECT_EQ(m.image_id, img.config.digest());
  EXPECT_EQ(m.config.labels.at("org.example"), "yes");
  ASSERT_EQ(m.layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(m.layers[i].digest, img.layers[i].digest());
    EXPECT_EQ(m.layers[i].diff_id, sha256_digest(img.layer_tars[i]));
    EXPECT_EQ(m.layers[i].size, static_cast<int64_t>(img.layers[i].data.size()));
    EXPECT_EQ(m.layers[i].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
    EXPECT_EQ(read_layer(**src, i), img.layers[i].data);
  }
}

TEST_P(OciLayoutTest, PlatformSelectionThroughNestedIndex) {
  TempDir dir;
  TestImage amd = TestImage::build({kFiles[0]}, "zstd", "amd64");
  TestImage arm = TestImage::build({kFiles[1]}, "zstd", "arm64", "v8");
  TestImage att = TestImage::build({kFiles[0]}, "", "unknown");
  nlohmann::json arm_desc = arm.descriptor("", "arm64");
  arm_desc["platform"]["variant"] = "v8";
  nlohmann::json att_desc = att.descriptor();
  att_desc["platform"] = {{"os", "unknown"}, {"architecture", "unknown"}};
  nlohmann::json nested = simple_index({amd.descriptor("", "amd64"), arm_desc, att_desc});
  std::string nested_text = nested.dump();
  nlohmann::json top =
      simple_index({{{"mediaType", "application/vnd.oci.image.index.v1+json"},
                     {"digest", sha256_digest(nested_text)},
                     {"size", nested_text.size()},
                     {"annotations", {{"org.opencontainers.image.ref.name", "multi"}}}}});
  Files files = oci_layout_files({&amd, &arm, &att}, top);
  files["blobs/sha256/" + sha256_hex(nested_text)] = nested_text;
  std::string ref = write_layout(dir, GetParam(), files);

  struct Case {
    std::optional<std::string> platform;
    std::string want_arch;  // "" = kNotFound
  } cases[] = {
      {std::nullopt, "amd64"},  {"linux/arm64", "arm64"}, {"linux/arm64/v8", "arm64"},
      {"linux/amd64", "amd64"}, {"linux/s390x", ""},      {"linux/arm64/v7", ""},
  };
  for (const auto& c : cases) {
    std::optional<Platform> p;
    if (c.platform) p = *parse_platform(*c.platform);
    auto src = open(ref + ":multi", p);
    if (c.want_arch.empty()) {
      ASSERT_FALSE(src.ok());
      EXPECT_EQ(src.error().code, Errc::kNotFound);
      EXPECT_NE(src.error().message.find("available: linux/amd64, linux/arm64/v8)"),
                std::string::npos)
          << src.error().message;
      continue;
    }
    ASSERT_TRUE(src.ok()) << src.error().message;
    EXPECT_EQ((*src)->meta().platform.architecture, c.want_arch);
    const TestImage& img = c.want_arch == "amd64" ? amd : arm;
    EXPECT_EQ((*src)->meta().manifest_digest, img.manifest.digest());
    EXPECT_EQ(read_layer(**src, 0), img.layers[0].data);
  }
}

TEST_P(OciLayoutTest, SelectsByRefName) {
  TempDir dir;
  TestImage a = TestImage::build({kFiles[0]}, "gzip", "amd64");
  TestImage b = TestImage::build({kFiles[1]}, "gzip", "arm64");
  std::string ref = write_layout(
      dir, GetParam(),
      oci_layout_files({&a, &b}, simple_index({a.descriptor("one"), b.descriptor("two")})));
  auto two = open(ref + ":two");
  ASSERT_TRUE(two.ok()) << two.error().message;
  EXPECT_EQ((*two)->meta().image_id, b.config.digest());
  EXPECT_EQ((*two)->meta().repo_tags, std::vector<std::string>{"two"});
  auto ambiguous = open(ref);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().code, Errc::kInvalidArgument);
  auto missing = open(ref + ":three");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_NE(missing.error().message.find("one, two"), std::string::npos);
}

TEST_P(OciLayoutTest, CorruptAndMissingBlobs) {
  TestImage img = TestImage::build(kFiles, "gzip");
  auto blob = [](const testing::Blob& b) { return "blobs/sha256/" + b.digest().substr(7); };
  Files good = oci_layout_files({&img}, simple_index({img.descriptor()}));
  struct Case {
    std::string name;
    std::function<void(Files&)> mutate;
    Errc open_code;   // kInternal = opens fine
    Errc layer_code;  // error reading layer 1 (kInternal = fine)
  } cases[] = {
      {"manifest tampered", [&](Files& f) { f[blob(img.manifest)] += " "; }, Errc::kCorrupt,
       Errc::kInternal},
      {"config tampered", [&](Files& f) { f[blob(img.config)][2] = 'X'; }, Errc::kCorrupt,
       Errc::kInternal},
      {"layer tampered", [&](Files& f) { f[blob(img.layers[1])][40] ^= 1; }, Errc::kInternal,
       Errc::kCorrupt},
      {"layer truncated", [&](Files& f) { f[blob(img.layers[1])].resize(100); }, Errc::kInternal,
       Errc::kCorrupt},
      {"layer missing", [&](Files& f) { f.erase(blob(img.layers[1])); }, Errc::kInternal,
       Errc::kNotFound},
      {"config missing", [&](Files& f) { f.erase(blob(img.config)); }, Errc::kNotFound,
       Errc::kInternal},
      {"index garbage", [&](Files& f) { f["index.json"] = "{\"manifests\": 3}"; }, Errc::kCorrupt,
       Errc::kInternal},
      {"schema1",
       [&](Files& f) {
         std::string m = R"({"schemaVersion":1,"name":"x","fsLayers":[]})";
         f["blobs/sha256/" + sha256_hex(m)] = m;
         f["index.json"] =
             simple_index({{{"digest", sha256_digest(m)}, {"size", m.size()}}}).dump();
       },
       Errc::kUnsupported, Errc::kInternal},
      {"bad digest in index",
       [&](Files& f) {
         f["index.json"] = simple_index({{{"digest", "sha256:../../etc/passwd"}}}).dump();
       },
       Errc::kCorrupt, Errc::kInternal},
  };
  for (const auto& c : cases) {
    TempDir dir;
    Files files = good;
    c.mutate(files);
    auto src = open(write_layout(dir, GetParam(), files));
    if (c.open_code != Errc::kInternal) {
      ASSERT_FALSE(src.ok()) << c.name;
      EXPECT_EQ(src.error().code, c.open_code) << c.name << ": " << src.error().message;
      continue;
    }
    ASSERT_TRUE(src.ok()) << c.name << ": " << src.error().message;
    EXPECT_EQ(read_layer(**src, 0), img.layers[0].data) << c.name;
    Error err{Errc::kInternal, ""};
    read_layer(**src, 1, &err);
    EXPECT_EQ(err.code, c.layer_code) << c.name << ": " << err.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, OciLayoutTest, ::testing::Values(Layout::kDir, Layout::kArchive),
                         [](const auto& info) {
                           return info.param == Layout::kDir ? "Dir" : "Archive";
                         });

TEST(OciDirTest, RefusesSymlinkedBlobs) {
  TempDir dir;
  TestImage img = TestImage::build(kFiles, "gzip");
  std::string ref =
      write_layout(dir, Layout::kDir, oci_layout_files({&img}, simple_index({img.descriptor()})));
  std::string layer = ref + "/blobs/sha256/" + img.layers[0].digest().substr(7);
  std::filesystem::rename(layer, dir.path("outside"));
  std::filesystem::create_symlink(dir.path("outside"), layer);
  auto src = open(ref);
  ASSERT_TRUE(src.ok()) << src.error().message;
  Error err;
  read_layer(**src, 0, &err);
  EXPECT_EQ(err.code, Errc::kCorrupt) << err.message;
  EXPECT_NE(err.message.find("symlink"), std::string::npos) << err.message;
}

TEST(OciArchiveTest, TruncatedAndCompressedArchives) {
  TempDir dir;
  TestImage img = TestImage::build(kFiles, "gzip");
  auto items = as_tar_items(oci_layout_files({&img}, simple_index({img.descriptor()})));
  std::string tar = make_tar(items);
  auto truncated =
      oci_archive_source_kind().open(dir.write("t.tar", tar.substr(0, tar.size() / 2)), {});
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, Errc::kCorrupt) << truncated.error().message;
  auto gz = oci_archive_source_kind().open(dir.write("t.tar.gz", make_tar(items, "gzip")), {});
  ASSERT_FALSE(gz.ok());
  EXPECT_EQ(gz.error().code, Errc::kUnsupported);
  EXPECT_NE(gz.error().message.find("gunzip"), std::string::npos) << gz.error().message;
}

}  // namespace
}  // namespace hivesec::image
