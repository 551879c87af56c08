#include "scan/merge.h"

#include <gtest/gtest.h>

namespace hivesec::scan {
namespace {

model::Package pkg(std::string type, std::string name, std::string version, std::string location) {
  model::Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.location = std::move(location);
  return p;
}

std::vector<std::string> names(const model::ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages) out.push_back(p.name + "@" + p.version + "#" + p.layer);
  return out;
}

TEST(Merge, LaterCopyOfAFileReplacesTheEarlierOne) {
  LayerResult l0, l1;
  l0.analyzed_paths = {"var/lib/dpkg/status"};
  l0.output.packages = {pkg("deb", "a", "1", "var/lib/dpkg/status"),
                        pkg("deb", "b", "1", "var/lib/dpkg/status")};
  l1.analyzed_paths = {"var/lib/dpkg/status"};
  l1.output.packages = {pkg("deb", "a", "1", "var/lib/dpkg/status"),
                        pkg("deb", "c", "2", "var/lib/dpkg/status")};
  model::ScanResult r;
  merge_layers({l0, l1}, {"L0", "L1"}, r);
  // b was removed by the second layer; a keeps the layer that first added it.
  EXPECT_EQ(names(r), (std::vector<std::string>{"a@1#L0", "c@2#L1"}));
}

model::Finding finding(std::string id, std::string path) {
  model::Finding f;
  f.kind = model::FindingKind::kSensitiveFile;
  f.rule_id = std::move(id);
  f.evidence.path = std::move(path);
  return f;
}

TEST(Merge, FindingsFollowTheirFileThroughLayers) {
  LayerResult l0, l1, l2;
  l0.analyzed_paths = {"root/.ssh/id_rsa", "app/.env", "etc/shadow"};
  l0.output.findings = {finding("private-key", "root/.ssh/id_rsa"), finding("env-file", "app/.env"),
                        finding("weak-password", "etc/shadow")};
  // Layer 1 deletes the key and rewrites .env without a finding.
  l1.whiteouts = {"root/.ssh/id_rsa"};
  l1.analyzed_paths = {"app/.env"};
  // Layer 2 adds a finding on a new file; etc/shadow is untouched since layer 0.
  l2.analyzed_paths = {"home/u/.aws/credentials"};
  l2.output.findings = {finding("aws-credentials", "home/u/.aws/credentials")};
  model::ScanResult r;
  merge_layers({l0, l1, l2}, {"L0", "L1", "L2"}, r);
  std::vector<std::string> got;
  for (const auto& f : r.findings) got.push_back(f.rule_id + "@" + f.evidence.path + "#" + f.evidence.layer);
  EXPECT_EQ(got, (std::vector<std::string>{"weak-password@etc/shadow#L0",
                                           "aws-credentials@home/u/.aws/credentials#L2"}));
}

TEST(Merge, WhiteoutsAndOpaqueDirectories) {
  LayerResult l0, l1, l2;
  l0.analyzed_paths = {"app/a/package.json", "app/b/package.json", "opt/x/package.json"};
  l0.output.packages = {pkg("npm", "a", "1", "app/a/package.json"),
                        pkg("npm", "b", "1", "app/b/package.json"),
                        pkg("npm", "x", "1", "opt/x/package.json")};
  l1.whiteouts = {"app/a"};
  l2.opaque_dirs = {"opt"};
  l2.analyzed_paths = {"opt/y/package.json"};
  l2.output.packages = {pkg("npm", "y", "3", "opt/y/package.json")};
  model::ScanResult r;
  merge_layers({l0, l1, l2}, {"L0", "L1", "L2"}, r);
  EXPECT_EQ(names(r), (std::vector<std::string>{"b@1#L0", "y@3#L2"}));
}

TEST(Merge, OsPurlsOwnershipAndLicenses) {
  LayerResult l0;
  analyze::OsCandidate os;
  os.os.family = "debian";
  os.os.version = "12";
  os.os.source = "usr/lib/os-release";
  os.priority = 100;
  l0.output.os = {os};
  auto deb = pkg("deb", "python3-six", "1.16.0-4", "var/lib/dpkg/status");
  deb.arch = "all";
  l0.output.packages = {deb, pkg("pypi", "six", "1.16.0",
                                 "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA")};
  // dpkg lists the path through the /lib -> usr/lib link.
  l0.output.package_files = {{"deb",
                              "python3-six",
                              "var/lib/dpkg/info/python3-six.list",
                              {"lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"}}};
  l0.output.package_licenses = {{"deb", "python3-six", {"MIT"}}};
  l0.symlinks = {{"lib", "usr/lib"}};
  model::ScanResult r;
  merge_layers({l0}, {"L0"}, r);
  EXPECT_EQ(r.os.family, "debian");
  ASSERT_EQ(r.packages.size(), 2u);
  const auto& d = r.packages[0];
  EXPECT_EQ(d.purl, "pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12");
  EXPECT_EQ(d.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(d.files.size(), 1u);
  EXPECT_EQ(r.packages[1].owner, d.purl);
}

TEST(Merge, LockfileEntriesOfInstalledPackagesAreReportedOnce) {
  LayerResult l0;
  l0.output.packages = {pkg("npm", "ms", "2.1.3", "app/node_modules/ms/package.json"),
                        pkg("npm", "ms", "2.1.3", "app/package-lock.json"),
                        pkg("npm", "debug", "4.0.0", "app/package-lock.json"),
                        pkg("npm", "ms", "2.1.3", "other/package-lock.json")};
  model::ScanResult r;
  merge_layers({l0}, {"L0"}, r);
  std::vector<std::string> got;
  for (const auto& p : r.packages) got.push_back(p.name + " " + p.location);
  EXPECT_EQ(got, (std::vector<std::string>{"debug app/package-lock.json",
                                           "ms app/node_modules/ms/package.json",
                                           "ms other/package-lock.json"}));
}

TEST(Merge, RpmPurlCarriesEpoch) {
  model::Package p = pkg("rpm", "bash", "1:5.1-2.el9", "var/lib/rpm/rpmdb.sqlite");
  p.arch = "x86_64";
  model::OsInfo os{"rhel", "Red Hat Enterprise Linux 9", "9.3", "", ""};
  EXPECT_EQ(os_package_purl(p, os),
            "pkg:rpm/redhat/bash@5.1-2.el9?arch=x86_64&distro=rhel-9.3&epoch=1");
}

}  // namespace
}  // namespace hivesec::scan
