#include "scan/layer_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hivesec::scan {
namespace {

LayerResult sample() {
  LayerResult r;
  r.diff_id = "sha256:abc";
  model::Package p;
  p.type = "deb";
  p.name = "bash";
  p.version = "5.2";
  p.licenses = {"GPL-3+"};
  p.files = {"bin/bash", "usr/share/doc/bash/copyright"};
  p.dev = true;
  p.metadata = {{"maintainer", "x"}};
  r.output.packages = {p, p};
  r.output.os = {{{"debian", "Debian 12", "12", "bookworm", "etc/os-release"}, -5}};
  r.output.package_files = {{"deb", "bash", "var/lib/dpkg/info/bash.list", {"bin/bash"}}};
  r.output.package_licenses = {{"deb", "bash", {"GPL-3+"}}};
  r.output.notes = {"n\xc3\xa9"};
  model::Finding f;
  f.kind = model::FindingKind::kSensitiveFile;
  f.rule_id = "private-key";
  f.severity = model::Severity::kHigh;
  f.evidence.path = "root/.ssh/id_rsa";
  f.evidence.match = "-----BEGIN OPENSSH PRIVATE KEY-----";
  r.output.findings = {f};
  r.analyzed_paths = {"a", std::string("b\0c", 3)};
  r.whiteouts = {"w"};
  r.opaque_dirs = {"o"};
  r.symlinks = {{"lib", "usr/lib"}};
  r.entries = 1'000'000;
  r.bytes = 5'000'000'000;
  return r;
}

TEST(LayerCodec, RoundTripIsExact) {
  LayerResult r = sample();
  auto back = decode_layer_result(encode_layer_result(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(nlohmann::json(*back), nlohmann::json(r));
  EXPECT_EQ(back->output.os.at(0).priority, -5);
  EXPECT_EQ(back->bytes, 5'000'000'000);
}

TEST(LayerCodec, EveryTruncationAndCorruptionIsRejectedSafely) {
  std::string enc = encode_layer_result(sample());
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(decode_layer_result(enc.substr(0, n)).ok()) << n;
  }
  for (size_t i = 4; i < enc.size(); ++i) {
    std::string bad = enc;
    bad[i] = static_cast<char>(0xff);
    (void)decode_layer_result(bad).ok();  // must not crash or over-allocate
  }
  EXPECT_FALSE(decode_layer_result(enc + "x").ok());
}

}  // namespace
}  // namespace hivesec::scan
