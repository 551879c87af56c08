#include <gtest/gtest.h>

#include "image/source.h"

namespace hivesec::image {
namespace {

class FakeSource : public ImageSource {
 public:
  explicit FakeSource(std::string name) { meta_.name = std::move(name); }
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> open_layer(size_t) const override {
    return make_error(Errc::kNotFound, "no layers");
  }

 private:
  ImageMeta meta_;
};

SourceKind fake_kind(const std::string& name, std::function<bool(const std::string&)> detect) {
  return SourceKind{
      name, std::move(detect),
      [name](const std::string& ref, const SourceOptions&) -> Result<std::unique_ptr<ImageSource>> {
        return std::unique_ptr<ImageSource>(std::make_unique<FakeSource>(name + "|" + ref));
      }};
}

TEST(SourceRegistryTest, PrefixDetectionAndErrors) {
  SourceRegistry reg;
  ASSERT_TRUE(
      reg.add(fake_kind("docker-archive", [](const std::string& r) { return r.ends_with(".tar"); }))
          .ok());
  ASSERT_TRUE(
      reg.add(fake_kind("registry",
                        [](const std::string& r) { return r.find('/') != std::string::npos; }))
          .ok());
  ASSERT_TRUE(reg.add(fake_kind("oci", [](const std::string&) { return false; })).ok());
  EXPECT_FALSE(reg.add(fake_kind("oci", nullptr)).ok());
  EXPECT_NE(reg.find("registry"), nullptr);
  EXPECT_EQ(reg.find("nope"), nullptr);

  struct Case {
    std::string ref;
    std::string name;  // "" = error
  } cases[] = {
      {"oci:some/dir", "oci|some/dir"},
      {"docker-archive:x.tar:repo:tag", "docker-archive|x.tar:repo:tag"},
      {"img.tar", "docker-archive|img.tar"},
      {"localhost:5000/foo:1", "registry|localhost:5000/foo:1"},
      {"plainname", ""},
      {"oci:", ""},
  };
  for (const auto& c : cases) {
    auto r = open_image(reg, c.ref, {});
    if (c.name.empty()) {
      ASSERT_FALSE(r.ok()) << c.ref;
      continue;
    }
    ASSERT_TRUE(r.ok()) << c.ref << ": " << r.error().message;
    EXPECT_EQ((*r)->meta().name, c.name);
  }
  auto r = open_image(reg, "plainname", {});
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_NE(r.error().message.find("docker-archive, registry, oci"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace hivesec::image
