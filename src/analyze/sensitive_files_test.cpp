#include <gtest/gtest.h>

#include "analyze/builtins.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::run_analyzer;

class SensitiveFiles : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(a_, nullptr) << "bundled rules/sensitive-files.yaml broken"; }
  bool required(std::string_view path) const {
    FileInfo f;
    f.path = path;
    return a_->required(f);
  }
  std::string rule_of(std::string_view path, std::string_view content) const {
    auto r = run_analyzer(*a_, path, content);
    EXPECT_TRUE(r.status.ok());
    if (r.out.findings.empty()) return "";
    EXPECT_EQ(r.out.findings.size(), 1u);
    const auto& f = r.out.findings[0];
    EXPECT_EQ(f.kind, model::FindingKind::kSensitiveFile);
    EXPECT_EQ(f.evidence.path, path);
    EXPECT_TRUE(f.evidence.match.empty()) << "never quotes the content";
    EXPECT_FALSE(f.remediation.empty());
    return f.rule_id;
  }
  std::unique_ptr<Analyzer> a_ = make_sensitive_files_analyzer();
};

TEST_F(SensitiveFiles, SelectsByPathSuffixOnComponentBoundaries) {
  EXPECT_EQ(a_->scanner(), "file");
  EXPECT_TRUE(required("root/.ssh/id_rsa"));
  EXPECT_TRUE(required("home/alice/.aws/credentials"));
  EXPECT_TRUE(required(".env"));
  EXPECT_TRUE(required("srv/app/.env"));
  EXPECT_TRUE(required("etc/ssl/private/server.key"));
  EXPECT_FALSE(required("root/.ssh/id_rsa.pub"));
  EXPECT_FALSE(required("root/.ssh/not_id_rsa"));      // not a component boundary
  EXPECT_FALSE(required("srv/app/my.env"));            // ".env" must be the whole name
  EXPECT_FALSE(required("usr/share/doc/aws/credentials"));
  EXPECT_FALSE(required("usr/bin/ls"));
}

TEST_F(SensitiveFiles, ContentConfirmsWhereTheRuleSaysSo) {
  const std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
  EXPECT_EQ(rule_of("root/.ssh/id_ed25519", key), "ssh-private-key");
  EXPECT_EQ(rule_of("root/.ssh/id_ed25519", "placeholder"), "");
  EXPECT_EQ(rule_of("etc/ssl/private/server.key",
                    "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n"),
            "private-key-file");
  EXPECT_EQ(rule_of("etc/ssl/certs/server.pem", "-----BEGIN CERTIFICATE-----\n"), "");
  EXPECT_EQ(rule_of("root/.aws/credentials", "[default]\naws_secret_access_key = x\n"),
            "aws-credentials");
  EXPECT_EQ(rule_of("root/.docker/config.json", R"({"auths": {"r.example": {"auth": "eDp5"}}})"),
            "docker-config-auths");
  EXPECT_EQ(rule_of("root/.docker/config.json", R"({"credsStore": "pass"})"), "");
  EXPECT_EQ(rule_of("home/u/.npmrc", "//registry.npmjs.org/:_authToken=npm_x\n"), "npmrc-token");
  EXPECT_EQ(rule_of("root/.bash_history", "ls\n"), "shell-history");
  EXPECT_EQ(rule_of("src/app/.git/config", "[core]\n"), "git-metadata");
}

}  // namespace
}  // namespace hivesec::analyze
