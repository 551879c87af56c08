#include "sbom/reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "report/writer.h"
#include "sbom/component.h"

namespace hivesec::sbom {
namespace {

namespace fs = std::filesystem;

model::ScanResult must_read(std::string_view doc, std::string_view name = "test.json") {
  auto r = read_sbom_bytes(doc, name);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : model::ScanResult{};
}

const model::Package* find(const model::ScanResult& r, std::string_view type, std::string_view name,
                           std::string_view location = {}) {
  for (const auto& p : r.packages) {
    if (p.type == type && p.name == name && (location.empty() || p.location == location)) {
      return &p;
    }
  }
  return nullptr;
}

bool has_note(const model::ScanResult& r, std::string_view part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

// ---- helpers of component.h ----

TEST(SbomComponent, SplitDistro) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split_distro("debian-12"), (P{"debian", "12"}));
  EXPECT_EQ(split_distro("alpine-3.19.1"), (P{"alpine", "3.19.1"}));
  EXPECT_EQ(split_distro("opensuse-leap-15.5"), (P{"opensuse-leap", "15.5"}));
  EXPECT_EQ(split_distro("redhat-9.3"), (P{"rhel", "9.3"}));
  EXPECT_EQ(split_distro("ubuntu-22.04"), (P{"ubuntu", "22.04"}));
  EXPECT_EQ(split_distro("3.15.0"), (P{"", "3.15.0"}));
  EXPECT_EQ(split_distro("bookworm"), (P{"bookworm", ""}));
  EXPECT_EQ(split_distro(""), (P{"", ""}));
  EXPECT_EQ(split_distro("-"), (P{"-", ""}));
}

TEST(SbomComponent, SourceRpmAndSourceInfo) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split_source_rpm("bash-5.1.8-6.el9.src.rpm"), (P{"bash", "5.1.8-6.el9"}));
  EXPECT_EQ(split_source_rpm("python-urllib3-1.26.5-3.el9.src.rpm"),
            (P{"python-urllib3", "1.26.5-3.el9"}));
  EXPECT_FALSE(split_source_rpm("bash.src.rpm"));
  EXPECT_FALSE(split_source_rpm("-1-2.src.rpm"));
  EXPECT_FALSE(split_source_rpm("a--2"));
  EXPECT_EQ(parse_source_info("built from source package glibc 2.36-9"), (P{"glibc", "2.36-9"}));
  EXPECT_EQ(parse_source_info("built from source package requests"), (P{"requests", ""}));
  EXPECT_EQ(parse_source_info("built package from: libc-dev 0.7.2-r3"),
            (P{"libc-dev", "0.7.2-r3"}));
  EXPECT_FALSE(parse_source_info("acquired package info from DPKG DB: /var/lib/dpkg/status"));
}

TEST(SbomComponent, ToolTypes) {
  EXPECT_EQ(purl_type_for_tool_type("python"), "pypi");
  EXPECT_EQ(purl_type_for_tool_type("go-module"), "golang");
  EXPECT_EQ(purl_type_for_tool_type("gobinary"), "golang");
  EXPECT_EQ(purl_type_for_tool_type("java-archive"), "maven");
  EXPECT_EQ(purl_type_for_tool_type("Deb"), "deb");
  EXPECT_EQ(purl_type_for_tool_type("library"), "");
}

// ---- CycloneDX ----

// syft-style 1.4: tools as an array, distro and upstream in the purls, no OS component, a Go
// binary whose toolchain is only a property, nested components, entries without identity.
constexpr std::string_view kCycloneDx14 = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "metadata": {
    "tools": [{"vendor": "anchore", "name": "syft", "version": "0.90.0"}],
    "component": {"type": "container", "name": "registry.example/app:1.0",
                  "purl": "pkg:oci/app@sha256%3Aabc"}
  },
  "components": [
    {"type": "library", "name": "libc6", "version": "2.36-9+deb12u4",
     "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12",
     "licenses": [{"license": {"id": "LGPL-2.1-or-later"}}, {"license": {"name": "public-domain"}}],
     "properties": [{"name": "syft:package:foundBy", "value": "dpkg-db-cataloger"},
                    {"name": "syft:location:0:path", "value": "/var/lib/dpkg/status"},
                    {"name": "syft:location:0:layerID", "value": "sha256:1111"}]},
    {"type": "library", "name": "libgcc-s1", "version": "12.2.0-14",
     "purl": "pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&upstream=gcc-12%4012.2.0-14a&distro=debian-12"},
    {"type": "library", "name": "tzdata", "version": "2024a-0+deb12u1",
     "purl": "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12"},
    {"type": "library", "name": "@babel/core", "version": "7.0.0",
     "purl": "pkg:npm/%40babel/core@7.0.0",
     "properties": [{"name": "syft:location:0:path", "value": "/app/node_modules/@babel/core/package.json"}],
     "components": [
       {"type": "library", "name": "semver", "version": "5.7.2", "purl": "pkg:npm/semver@5.7.2",
        "components": [{"type": "library", "name": "deep", "version": "1.0.0",
                        "purl": "pkg:npm/deep@1.0.0"}]}
     ]},
    {"type": "library", "name": "github.com/opencontainers/runc", "version": "v1.1.5",
     "purl": "pkg:golang/github.com/opencontainers/runc@v1.1.5",
     "properties": [{"name": "syft:package:type", "value": "go-module"},
                    {"name": "syft:metadata:goCompiledVersion", "value": "go1.19.8"},
                    {"name": "syft:metadata:mainModule", "value": "github.com/opencontainers/runc"},
                    {"name": "syft:location:0:path", "value": "/usr/bin/runc"}]},
    {"type": "library", "name": "golang.org/x/sys", "version": "v0.6.0",
     "purl": "pkg:golang/golang.org/x/sys@v0.6.0",
     "properties": [{"name": "syft:metadata:goCompiledVersion", "value": "go1.19.8"},
                    {"name": "syft:location:0:path", "value": "/usr/bin/runc"}]},
    {"type": "library", "name": "Flask", "version": "2.0.1",
     "properties": [{"name": "syft:package:type", "value": "python"}]},
    {"type": "file", "name": "/etc/passwd"},
    {"type": "library", "name": "broken", "version": "1", "purl": "not a purl"}
  ]
})";

TEST(SbomCycloneDx, Reads14SyftStyle) {
  model::ScanResult r = must_read(kCycloneDx14, "app.cdx.json");
  EXPECT_EQ(r.asset.kind, model::AssetKind::kSbom);
  EXPECT_EQ(r.asset.name, "registry.example/app:1.0");
  EXPECT_EQ(r.asset.labels["sbom_format"], "cyclonedx-1.4");
  EXPECT_EQ(r.asset.labels["sbom_file"], "app.cdx.json");
  EXPECT_TRUE(r.asset.id.starts_with("sha256:") && r.asset.id.size() == 71) << r.asset.id;
  EXPECT_EQ(r.os.family, "debian");
  EXPECT_EQ(r.os.version, "12");
  EXPECT_EQ(r.os.source, "purl distro qualifier");

  const model::Package* libc = find(r, "deb", "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->namespace_, "debian");
  EXPECT_EQ(libc->version, "2.36-9+deb12u4");
  EXPECT_EQ(libc->arch, "amd64");
  EXPECT_EQ(libc->source_name, "glibc");
  EXPECT_EQ(libc->source_version, "2.36-9+deb12u4");
  EXPECT_EQ(libc->licenses, (std::vector<std::string>{"LGPL-2.1-or-later", "public-domain"}));
  EXPECT_EQ(libc->found_by, "dpkg-db-cataloger");
  EXPECT_EQ(libc->location, "var/lib/dpkg/status");
  EXPECT_EQ(libc->layer, "sha256:1111");
  // upstream "name@version" names both.
  const model::Package* gcc = find(r, "deb", "libgcc-s1");
  ASSERT_NE(gcc, nullptr);
  EXPECT_EQ(gcc->source_name, "gcc-12");
  EXPECT_EQ(gcc->source_version, "12.2.0-14a");
  // No upstream: the package is its own source.
  const model::Package* tz = find(r, "deb", "tzdata");
  ASSERT_NE(tz, nullptr);
  EXPECT_EQ(tz->source_name, "tzdata");
  EXPECT_EQ(tz->source_version, "2024a-0+deb12u1");

  const model::Package* babel = find(r, "npm", "@babel/core");
  ASSERT_NE(babel, nullptr);
  EXPECT_EQ(babel->namespace_, "");
  EXPECT_EQ(babel->location, "app/node_modules/@babel/core/package.json");
  EXPECT_NE(find(r, "npm", "semver"), nullptr) << "nested components are flattened";
  EXPECT_NE(find(r, "npm", "deep"), nullptr) << "nested components are flattened";

  const model::Package* runc = find(r, "golang", "runc");
  ASSERT_NE(runc, nullptr);
  EXPECT_EQ(runc->namespace_, "github.com/opencontainers");
  EXPECT_EQ(runc->metadata.at("go_version"), "go1.19.8");
  EXPECT_EQ(runc->metadata.at("main_module"), "github.com/opencontainers/runc");
  // No stdlib in the SBOM: one is added for the binary, as the gobinary analyzer would.
  const model::Package* stdlib = find(r, "golang", "stdlib");
  ASSERT_NE(stdlib, nullptr);
  EXPECT_EQ(stdlib->version, "1.19.8");
  EXPECT_EQ(stdlib->purl, "pkg:golang/stdlib@1.19.8");
  EXPECT_EQ(stdlib->location, "usr/bin/runc");
  EXPECT_EQ(stdlib->metadata.at("go_version"), "go1.19.8");
  EXPECT_EQ(std::count_if(r.packages.begin(), r.packages.end(),
                          [](const auto& p) { return p.name == "stdlib"; }),
            1);

  // No purl but a type, name and version: a purl is built.
  const model::Package* flask = find(r, "pypi", "Flask");
  ASSERT_NE(flask, nullptr);
  EXPECT_EQ(flask->purl, "pkg:pypi/flask@2.0.1");
  // "/etc/passwd" (no identity) and "broken" (bad purl, no type) are skipped and counted.
  EXPECT_EQ(find(r, "", "broken"), nullptr);
  EXPECT_TRUE(has_note(r, "2 SBOM entries skipped")) << ::testing::PrintToString(r.notes);
  EXPECT_EQ(r.packages.size(), 10u);
  EXPECT_TRUE(
      std::is_sorted(r.packages.begin(), r.packages.end(), [](const auto& a, const auto& b) {
        return std::tie(a.type, a.name, a.version) < std::tie(b.type, b.name, b.version);
      }));
}

// trivy-style 1.5: tools as an object, an OS component, apk purls with a bare distro version,
// source packages and layers in trivy properties, license expressions.
constexpr std::string_view kCycloneDx15 = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {
    "tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy"}]},
    "component": {"type": "container", "name": "alpine:3.19"}
  },
  "components": [
    {"type": "library", "name": "ssl_client", "version": "1.36.1-r15",
     "purl": "pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=3.19.1",
     "licenses": [{"expression": "GPL-2.0-only"}],
     "properties": [{"name": "aquasecurity:trivy:SrcName", "value": "busybox"},
                    {"name": "aquasecurity:trivy:SrcVersion", "value": "1.36.1-r15"},
                    {"name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:2222"},
                    {"name": "aquasecurity:trivy:PkgType", "value": "alpine"}]},
    {"type": "library", "name": "musl", "version": "1.2.4_git20230717-r4",
     "purl": "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1"},
    {"type": "library", "name": "express", "version": "4.17.1",
     "purl": "pkg:npm/express@4.17.1",
     "licenses": [{"expression": "MIT"}],
     "properties": [{"name": "aquasecurity:trivy:FilePath", "value": "app/node_modules/express/package.json"}]},
    {"bom-ref": "os", "type": "operating-system", "name": "alpine", "version": "3.19.1"},
    {"type": "operating-system", "name": "debian", "version": "12"}
  ]
})";

TEST(SbomCycloneDx, Reads15TrivyStyle) {
  model::ScanResult r = must_read(kCycloneDx15);
  EXPECT_EQ(r.asset.name, "alpine:3.19");
  EXPECT_EQ(r.os.family, "alpine");
  EXPECT_EQ(r.os.version, "3.19.1");
  EXPECT_TRUE(has_note(r, "more than one operating-system")) << ::testing::PrintToString(r.notes);
  ASSERT_EQ(r.packages.size(), 3u);
  const model::Package* ssl = find(r, "apk", "ssl_client");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(ssl->namespace_, "alpine");
  EXPECT_EQ(ssl->arch, "x86_64");
  EXPECT_EQ(ssl->source_name, "busybox");
  EXPECT_EQ(ssl->source_version, "1.36.1-r15");
  EXPECT_EQ(ssl->layer, "sha256:2222");
  EXPECT_EQ(ssl->licenses, std::vector<std::string>{"GPL-2.0-only"});
  const model::Package* express = find(r, "npm", "express");
  ASSERT_NE(express, nullptr);
  EXPECT_EQ(express->location, "app/node_modules/express/package.json");
}

// 1.6: rpm epoch and source rpm in the purl, maven group, evidence occurrences, descriptions.
constexpr std::string_view kCycloneDx16 = R"json({
  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [
    {"type": "operating-system", "name": "redhat", "version": "9.3",
     "description": "Red Hat Enterprise Linux 9.3 (Plow)"},
    {"type": "library", "name": "openssl-libs", "version": "3.0.7-24.el9",
     "purl": "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3"},
    {"type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core",
     "version": "2.17.1", "description": "The Apache Log4j Implementation",
     "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
     "evidence": {"occurrences": [{"location": "/opt/app/lib/log4j-core-2.17.1.jar"}]}}
  ]
})json";

TEST(SbomCycloneDx, Reads16) {
  model::ScanResult r = must_read(kCycloneDx16, "/tmp/x.json");
  EXPECT_EQ(r.asset.name, "/tmp/x.json") << "no metadata.component: the file names the asset";
  EXPECT_EQ(r.asset.labels["sbom_format"], "cyclonedx-1.6");
  EXPECT_EQ(r.os.family, "rhel");
  EXPECT_EQ(r.os.version, "9.3");
  EXPECT_EQ(r.os.name, "Red Hat Enterprise Linux 9.3 (Plow)");
  const model::Package* ssl = find(r, "rpm", "openssl-libs");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(ssl->namespace_, "redhat");
  EXPECT_EQ(ssl->version, "1:3.0.7-24.el9") << "the epoch qualifier is folded back";
  EXPECT_EQ(ssl->source_name, "openssl");
  EXPECT_EQ(ssl->source_version, "1:3.0.7-24.el9");
  const model::Package* log4j = find(r, "maven", "log4j-core");
  ASSERT_NE(log4j, nullptr);
  EXPECT_EQ(log4j->namespace_, "org.apache.logging.log4j");
  EXPECT_EQ(log4j->location, "opt/app/lib/log4j-core-2.17.1.jar");
  EXPECT_EQ(log4j->metadata.at("description"), "The Apache Log4j Implementation");
  EXPECT_TRUE(r.notes.empty()) << ::testing::PrintToString(r.notes);
}

TEST(SbomCycloneDx, SpecVersions) {
  auto doc = [](std::string_view v) {
    return std::string(R"({"bomFormat":"CycloneDX","specVersion":")") + std::string(v) +
           R"(","components":[{"type":"library","name":"a","version":"1","purl":"pkg:npm/a@1"}]})";
  };
  for (std::string_view v : {"1.2", "1.3", "1.4", "1.5", "1.6"}) {
    model::ScanResult r = must_read(doc(v));
    EXPECT_EQ(r.packages.size(), 1u) << v;
    EXPECT_TRUE(r.notes.empty()) << v;
  }
  model::ScanResult newer = must_read(doc("1.7"));
  EXPECT_EQ(newer.packages.size(), 1u);
  EXPECT_TRUE(has_note(newer, "newer than 1.6"));
  for (std::string_view v : {"1.1", "1.0"}) {
    auto r = read_sbom_bytes(doc(v), "old.json");
    ASSERT_FALSE(r.ok()) << v;
    EXPECT_EQ(r.error().code, Errc::kUnsupported) << v;
  }
  auto bad = read_sbom_bytes(doc("x"), "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

TEST(SbomCycloneDx, DepthIsBounded) {
  auto nested = [](int levels) {
    std::string s = R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[)";
    for (int i = 0; i < levels; ++i) {
      s += R"({"type":"library","name":"n)" + std::to_string(i) +
           R"(","version":"1","purl":"pkg:npm/n)" + std::to_string(i) + R"(@1","components":[)";
    }
    for (int i = 0; i < levels; ++i) s += "]}";
    return s + "]}";
  };
  model::ScanResult ok = must_read(nested(kMaxComponentDepth + 1));
  EXPECT_EQ(ok.packages.size(), static_cast<size_t>(kMaxComponentDepth + 1));
  for (int levels : {kMaxComponentDepth + 2, 5000}) {
    auto r = read_sbom_bytes(nested(levels), "deep.json");
    ASSERT_FALSE(r.ok()) << levels;
    EXPECT_EQ(r.error().code, Errc::kLimit) << levels;
    EXPECT_TRUE(r.error().message.starts_with("deep.json: ")) << r.error().message;
  }
}

// ---- SPDX ----

// trivy-style SPDX 2.3 JSON: a described container, an OS package, sourceInfo, an extracted
// license, a package without a purl.
constexpr std::string_view kSpdxJson = R"({
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "debian:12",
  "documentNamespace": "http://example.com/debian-12",
  "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: trivy-0.58.0"]},
  "packages": [
    {"SPDXID": "SPDXRef-ContainerImage-1", "name": "debian:12", "primaryPackagePurpose": "CONTAINER",
     "downloadLocation": "NONE",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:oci/debian@sha256%3Aabc"}]},
    {"SPDXID": "SPDXRef-OperatingSystem-1", "name": "debian", "versionInfo": "12.5",
     "primaryPackagePurpose": "OPERATING_SYSTEM", "downloadLocation": "NONE"},
    {"SPDXID": "SPDXRef-Package-1", "name": "libc6", "versionInfo": "2.36-9+deb12u4",
     "downloadLocation": "NONE", "primaryPackagePurpose": "LIBRARY",
     "sourceInfo": "built package from: glibc 2.36-9+deb12u4",
     "licenseDeclared": "LGPL-2.1-or-later AND (GPL-2.0-only OR MIT) AND LicenseRef-pd",
     "licenseConcluded": "NOASSERTION",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5"}],
     "annotations": [{"annotationDate": "2024-01-01T00:00:00Z", "annotationType": "OTHER",
                      "annotator": "Tool: trivy-0.58.0", "comment": "LayerDiffID: sha256:3333"}]},
    {"SPDXID": "SPDXRef-Package-2", "name": "mystery", "versionInfo": "1.0", "downloadLocation": "NONE"}
  ],
  "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-pd", "name": "public-domain",
                                  "extractedText": "public-domain"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
     "relatedSpdxElement": "SPDXRef-ContainerImage-1"},
    {"spdxElementId": "SPDXRef-ContainerImage-1", "relationshipType": "CONTAINS",
     "relatedSpdxElement": "SPDXRef-OperatingSystem-1"}
  ]
})";

void expect_spdx_sample(const model::ScanResult& r) {
  EXPECT_EQ(r.asset.name, "debian:12");
  EXPECT_EQ(r.os.family, "debian");
  EXPECT_EQ(r.os.version, "12.5");
  ASSERT_EQ(r.packages.size(), 1u) << "the described image and the purl-less package are not";
  const model::Package& libc = r.packages[0];
  EXPECT_EQ(libc.type, "deb");
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.namespace_, "debian");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.arch, "amd64");
  EXPECT_EQ(libc.source_name, "glibc");
  EXPECT_EQ(libc.source_version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.licenses, (std::vector<std::string>{"LGPL-2.1-or-later", "GPL-2.0-only OR MIT",
                                                     "public-domain"}));
  EXPECT_EQ(libc.layer, "sha256:3333");
  EXPECT_TRUE(has_note(r, "1 SBOM entry skipped")) << ::testing::PrintToString(r.notes);
}

TEST(SbomSpdx, ReadsJson) {
  model::ScanResult r = must_read(kSpdxJson);
  EXPECT_EQ(r.asset.labels["sbom_format"], "spdx-2.3");
  expect_spdx_sample(r);
}

// The same document as tag-value, with comments, a multi-line <text> value, annotations placed
// after the package they describe (SPDXREF) and a file section whose tags must not leak into
// the package before it.
constexpr std::string_view kSpdxTagValue = R"(## Document
SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: debian:12
DocumentNamespace: http://example.com/debian-12
Creator: Tool: trivy-0.58.0
Created: 2024-01-01T00:00:00Z

##### Package: debian:12

PackageName: debian:12
SPDXID: SPDXRef-ContainerImage-1
PackageDownloadLocation: NONE
PrimaryPackagePurpose: CONTAINER
ExternalRef: PACKAGE-MANAGER purl pkg:oci/debian@sha256%3Aabc

##### Package: debian

PackageName: debian
SPDXID: SPDXRef-OperatingSystem-1
PackageVersion: 12.5
PackageDownloadLocation: NONE
PrimaryPackagePurpose: OPERATING-SYSTEM

##### Package: libc6

PackageName: libc6
SPDXID: SPDXRef-Package-1
PackageVersion: 2.36-9+deb12u4
PackageDownloadLocation: NONE
PrimaryPackagePurpose: LIBRARY
PackageSourceInfo: built package from: glibc 2.36-9+deb12u4
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: LGPL-2.1-or-later AND (GPL-2.0-only OR MIT) AND LicenseRef-pd
PackageComment: <text>first line
second line</text>
ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5

FileName: ./usr/lib/libc.so.6
SPDXID: SPDXRef-File-1
PackageVersion: 9.9.9

##### Package: mystery

PackageName: mystery
SPDXID: SPDXRef-Package-2
PackageVersion: 1.0
PackageDownloadLocation: NONE

LicenseID: LicenseRef-pd
ExtractedText: <text>public-domain</text>
LicenseName: public-domain

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-ContainerImage-1
Relationship: SPDXRef-ContainerImage-1 CONTAINS SPDXRef-OperatingSystem-1

Annotator: Tool: trivy-0.58.0
AnnotationDate: 2024-01-01T00:00:00Z
AnnotationType: OTHER
SPDXREF: SPDXRef-Package-1
AnnotationComment: LayerDiffID: sha256:3333
)";

TEST(SbomSpdx, ReadsTagValueLikeJson) {
  model::ScanResult r = must_read(kSpdxTagValue, "debian.spdx");
  EXPECT_EQ(r.asset.labels["sbom_format"], "spdx-2.3-tag-value");
  expect_spdx_sample(r);
  // CRLF line ends read the same.
  std::string crlf;
  for (char c : kSpdxTagValue) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  model::ScanResult r2 = must_read(crlf, "debian.spdx");
  expect_spdx_sample(r2);
}

TEST(SbomSpdx, Spdx22DocumentDescribes) {
  constexpr std::string_view doc = R"({
    "spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT", "name": "doc",
    "documentDescribes": ["SPDXRef-app"],
    "packages": [
      {"SPDXID": "SPDXRef-app", "name": "my-app", "versionInfo": "1.0",
       "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:npm/my-app@1.0"}]},
      {"SPDXID": "SPDXRef-lodash", "name": "lodash", "versionInfo": "4.17.15",
       "licenseConcluded": "MIT", "licenseDeclared": "NOASSERTION",
       "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:npm/lodash@4.17.15"}]}
    ]})";
  model::ScanResult r = must_read(doc);
  EXPECT_EQ(r.asset.name, "my-app");
  EXPECT_EQ(r.asset.labels["sbom_format"], "spdx-2.2");
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].name, "lodash");
  EXPECT_EQ(r.packages[0].licenses, std::vector<std::string>{"MIT"});
  EXPECT_TRUE(r.os.empty());
  EXPECT_TRUE(r.notes.empty()) << ::testing::PrintToString(r.notes);
}

// What hivesec's SPDX writer puts in the comment and sourceInfo.
TEST(SbomSpdx, HivesecCommentAndSourceInfo) {
  constexpr std::string_view doc = R"json({
    "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
    "packages": [
      {"SPDXID": "SPDXRef-Package-a", "name": "libc6", "versionInfo": "2.36-9",
       "sourceInfo": "built from source package glibc 2.36-9",
       "comment": "found by: dpkg; location: var/lib/dpkg/status; x; layer: sha256:5555",
       "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:deb/debian/libc6@2.36-9?arch=amd64"}]}
    ]})json";
  model::ScanResult r = must_read(doc);
  ASSERT_EQ(r.packages.size(), 1u);
  const model::Package& p = r.packages[0];
  EXPECT_EQ(p.found_by, "dpkg");
  EXPECT_EQ(p.location, "var/lib/dpkg/status; x") << "\"; \" not followed by a key stays";
  EXPECT_EQ(p.layer, "sha256:5555");
  EXPECT_EQ(p.source_name, "glibc");
  EXPECT_EQ(p.source_version, "2.36-9");
  EXPECT_TRUE(r.os.empty());
  EXPECT_TRUE(has_note(r, "names no OS release")) << ::testing::PrintToString(r.notes);
}

// ---- round trip through hivesec's own writers ----

model::Package pkg(std::string type, std::string ns, std::string name, std::string version,
                   std::string purl, std::string found_by, std::string location) {
  model::Package p;
  p.type = std::move(type);
  p.namespace_ = std::move(ns);
  p.name = std::move(name);
  p.version = std::move(version);
  p.purl = std::move(purl);
  p.found_by = std::move(found_by);
  p.location = std::move(location);
  p.layer = "sha256:4444444444444444444444444444444444444444444444444444444444444444";
  return p;
}

// Packages shaped as hivesec's analyzers shape them (see each analyzer's make_* function).
model::ScanResult inventory() {
  model::ScanResult r;
  r.asset = {model::AssetKind::kImage, "sha256:" + std::string(64, 'a'), "team/app:1.0", {}};
  image::ImageMeta m;
  m.name = "team/app:1.0";
  m.image_id = r.asset.id;
  m.source = "docker-archive";
  r.image = m;
  r.scanned_at = "2024-05-06T07:08:09Z";
  r.os = {"debian", "Debian GNU/Linux 12 (bookworm)", "12", "bookworm", "etc/os-release"};

  auto libc = pkg("deb", "debian", "libc6", "2.36-9+deb12u4",
                  "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", "dpkg",
                  "var/lib/dpkg/status");
  libc.arch = "amd64";
  libc.source_name = "glibc";
  libc.source_version = "2.36-9+deb12u4";
  libc.licenses = {"GPL-2.0-or-later", "LGPL-2.1-or-later"};
  libc.metadata = {{"maintainer", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"}};
  r.packages.push_back(libc);

  auto pyflask = pkg("deb", "debian", "python3-flask", "2.2.2-3",
                     "pkg:deb/debian/python3-flask@2.2.2-3?arch=all&distro=debian-12", "dpkg",
                     "var/lib/dpkg/status");
  pyflask.arch = "all";
  pyflask.source_name = "flask";
  pyflask.source_version = "2.2.2-3";
  r.packages.push_back(pyflask);

  auto flask = pkg("pypi", "", "Flask", "2.2.2", "pkg:pypi/flask@2.2.2", "python",
                   "usr/lib/python3/dist-packages/Flask-2.2.2.dist-info/METADATA");
  flask.owner = pyflask.purl;
  flask.licenses = {"BSD-3-Clause"};
  r.packages.push_back(flask);

  auto babel = pkg("npm", "", "@babel/core", "7.0.0", "pkg:npm/%40babel/core@7.0.0", "npm",
                   "app/node_modules/@babel/core/package.json");
  babel.licenses = {"MIT"};
  babel.metadata = {{"homepage", "https://babel.dev/"}};
  r.packages.push_back(babel);
  r.packages.push_back(pkg("npm", "", "lodash", "4.17.15", "pkg:npm/lodash@4.17.15", "npm",
                           "app/node_modules/lodash/package.json"));
  r.packages.push_back(pkg("npm", "", "lodash", "4.17.15", "pkg:npm/lodash@4.17.15", "npm",
                           "app/node_modules/x/node_modules/lodash/package.json"));
  auto devdep =
      pkg("npm", "", "jest", "29.0.0", "pkg:npm/jest@29.0.0", "npm", "app/package-lock.json");
  devdep.dev = true;
  r.packages.push_back(devdep);
  r.packages.push_back(pkg("npm", "", "odd", "1.0.0", "pkg:npm/odd@1.0.0", "npm",
                           "app/we; location: ird/node_modules/odd/package.json"));
  r.packages.push_back(pkg("composer", "", "monolog/monolog", "2.9.1",
                           "pkg:composer/monolog/monolog@2.9.1", "composer",
                           "app/vendor/composer/installed.json"));

  std::map<std::string, std::string> go = {{"go_version", "go1.22.1"},
                                           {"main_module", "github.com/acme/server"}};
  auto main = pkg("golang", "github.com/acme", "server", "v1.4.0",
                  "pkg:golang/github.com/acme/server@v1.4.0", "gobinary", "app/server");
  main.metadata = go;
  main.metadata["main"] = "true";
  main.metadata["build:GOOS"] = "linux";
  main.metadata["build:-compiler"] = "gc";
  r.packages.push_back(main);
  auto dep = pkg("golang", "golang.org/x", "net", "v0.20.0", "pkg:golang/golang.org/x/net@v0.20.0",
                 "gobinary", "app/server");
  dep.metadata = go;
  dep.metadata["sum"] = "h1:abc=";
  r.packages.push_back(dep);
  auto stdlib =
      pkg("golang", "", "stdlib", "1.22.1", "pkg:golang/stdlib@1.22.1", "gobinary", "app/server");
  stdlib.metadata = go;
  r.packages.push_back(stdlib);

  auto log4j = pkg("maven", "org.apache.logging.log4j", "log4j-core", "2.17.1",
                   "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1", "java",
                   "app/lib/log4j-core-2.17.1.jar");
  log4j.licenses = {"Apache-2.0"};
  log4j.metadata = {{"source", "pom.properties"}, {"description", "Log4j core; with \"quotes\""}};
  r.packages.push_back(log4j);
  auto gem = pkg("gem", "", "nokogiri", "1.15.0", "pkg:gem/nokogiri@1.15.0?platform=x86_64-linux",
                 "gem", "usr/lib/ruby/gems/3.1.0/specifications/nokogiri-1.15.0.gemspec");
  gem.arch = "x86_64-linux";
  r.packages.push_back(gem);
  auto bash = pkg("rpm", "redhat", "bash", "1:5.1.8-6.el9",
                  "pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-9.3&epoch=1", "rpm",
                  "var/lib/rpm/rpmdb.sqlite");
  bash.arch = "x86_64";
  bash.source_name = "bash";
  bash.source_version = "1:5.1.8-6.el9";
  bash.licenses = {"GPL-3.0-or-later"};
  bash.metadata = {{"sourcerpm", "bash-5.1.8-6.el9.src.rpm"}, {"vendor", "Red Hat, Inc."}};
  r.packages.push_back(bash);
  auto busybox = pkg("apk", "alpine", "ssl_client", "1.36.1-r15",
                     "pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1", "apk",
                     "lib/apk/db/installed");
  busybox.arch = "x86_64";
  busybox.source_name = "busybox";
  busybox.source_version = "1.36.1-r15";
  r.packages.push_back(busybox);
  r.packages.push_back(pkg("cargo", "", "serde", "1.0.188", "pkg:cargo/serde@1.0.188",
                           "cargo-auditable", "usr/bin/tool"));
  r.packages.push_back(pkg("nuget", "", "Newtonsoft.Json", "13.0.1",
                           "pkg:nuget/Newtonsoft.Json@13.0.1", "dotnet", "app/App.deps.json"));
  std::sort(r.packages.begin(), r.packages.end(), [](const auto& a, const auto& b) {
    return std::tie(a.type, a.name, a.version, a.arch, a.location) <
           std::tie(b.type, b.name, b.version, b.arch, b.location);
  });
  return r;
}

std::string render(std::string_view format, const model::ScanResult& r) {
  report::WriterRegistry reg;
  EXPECT_TRUE(report::register_builtin_writers(reg).ok());
  const report::Writer* w = reg.find(format);
  if (!w) {
    ADD_FAILURE() << "no writer " << format;
    return "";
  }
  std::ostringstream out;
  Status st = w->write(r, out);
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
  return out.str();
}

void expect_same_packages(const std::vector<model::Package>& want,
                          const std::vector<model::Package>& got, std::string_view label) {
  ASSERT_EQ(got.size(), want.size()) << label;
  for (size_t i = 0; i < want.size(); ++i) {
    const model::Package& w = want[i];
    const model::Package& g = got[i];
    std::string at = std::string(label) + ": " + w.purl + " @" + w.location;
    EXPECT_EQ(g.type, w.type) << at;
    EXPECT_EQ(g.namespace_, w.namespace_) << at;
    EXPECT_EQ(g.name, w.name) << at;
    EXPECT_EQ(g.version, w.version) << at;
    EXPECT_EQ(g.arch, w.arch) << at;
    EXPECT_EQ(g.purl, w.purl) << at;
    EXPECT_EQ(g.source_name, w.source_name) << at;
    EXPECT_EQ(g.source_version, w.source_version) << at;
    EXPECT_EQ(g.licenses, w.licenses) << at;
    EXPECT_EQ(g.found_by, w.found_by) << at;
    EXPECT_EQ(g.location, w.location) << at;
    EXPECT_EQ(g.layer, w.layer) << at;
    EXPECT_EQ(g.owner, w.owner) << at;
    EXPECT_EQ(g.dev, w.dev) << at;
    EXPECT_EQ(g.metadata, w.metadata) << at;
    EXPECT_EQ(g.key(), w.key()) << at;
  }
}

TEST(SbomRoundTrip, HivesecWritersReadBack) {
  const model::ScanResult want = inventory();
  for (std::string_view format : {"cyclonedx", "cyclonedx-1.5", "spdx"}) {
    std::string doc = render(format, want);
    model::ScanResult got = must_read(doc, "roundtrip.json");
    EXPECT_EQ(got.asset.kind, model::AssetKind::kSbom) << format;
    EXPECT_EQ(got.asset.name, "team/app:1.0") << format;
    EXPECT_EQ(got.os.family, want.os.family) << format;
    EXPECT_EQ(got.os.name, want.os.name) << format;
    EXPECT_EQ(got.os.version, want.os.version) << format;
    EXPECT_EQ(got.os.codename, want.os.codename) << format;
    EXPECT_EQ(got.os.source, want.os.source) << format;
    EXPECT_TRUE(got.notes.empty()) << format << ": " << ::testing::PrintToString(got.notes);
    expect_same_packages(want.packages, got.packages, format);

    // A second generation (read -> write -> read) is stable too: SBOM to SBOM conversion.
    model::ScanResult again = must_read(render(format, got), "again.json");
    expect_same_packages(want.packages, again.packages, std::string(format) + " (2nd)");
  }
}

TEST(SbomRoundTrip, ConvertsBetweenFormats) {
  const model::ScanResult want = inventory();
  model::ScanResult from_cdx = must_read(render("cyclonedx", want));
  model::ScanResult via_spdx = must_read(render("spdx", from_cdx));
  expect_same_packages(want.packages, via_spdx.packages, "cyclonedx -> spdx");
  EXPECT_EQ(via_spdx.os.codename, "bookworm");
}

// ---- errors and hostile input ----

struct ErrorCase {
  std::string doc;
  Errc code;
  std::string part;  // expected in the message
};

TEST(SbomErrors, OneLineErrorsNamingTheFile) {
  const std::vector<ErrorCase> cases = {
      {"", Errc::kInvalidArgument, "empty document"},
      {" \n\t", Errc::kInvalidArgument, "empty document"},
      {"{\"bomFormat\": \"CycloneDX\",", Errc::kInvalidArgument, "invalid JSON"},
      {"{\"a\": 1}", Errc::kUnsupported, "not a known SBOM format"},
      {"[1, 2]", Errc::kUnsupported, "not a known SBOM format"},
      {"hello world", Errc::kUnsupported, "not a known SBOM format"},
      {"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"></bom>",
       Errc::kUnsupported, "CycloneDX XML"},
      {R"({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []})",
       Errc::kUnsupported, "SPDX 3"},
      {R"({"spdxVersion": "SPDX-1.2"})", Errc::kUnsupported, "SPDX version"},
      {R"({"spdxVersion": "SPDX-2.3", "packages": {}})", Errc::kInvalidArgument, "not an array"},
      {R"({"spdxVersion": "SPDX-2.3", "packages": [1]})", Errc::kInvalidArgument, "not an object"},
      {R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": "x"})",
       Errc::kInvalidArgument, "not an array"},
      {R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [null]})",
       Errc::kInvalidArgument, "not a JSON object"},
      {R"({"bomFormat": "CycloneDX"})", Errc::kInvalidArgument, "specVersion"},
      {"SPDXVersion: SPDX-2.3\nPackageName: a\nno colon here\n", Errc::kInvalidArgument, "line 3"},
      {"SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed\n", Errc::kInvalidArgument,
       "<text>"},
      {std::string(100000, '['), Errc::kLimit, "nests"},
  };
  for (const auto& c : cases) {
    auto r = read_sbom_bytes(c.doc, "in.sbom");
    ASSERT_FALSE(r.ok()) << c.doc.substr(0, 80);
    EXPECT_EQ(r.error().code, c.code) << c.doc.substr(0, 80) << " -> " << r.error().message;
    EXPECT_TRUE(r.error().message.starts_with("in.sbom: ")) << r.error().message;
    EXPECT_NE(r.error().message.find(c.part), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
}

TEST(SbomErrors, WrongTypesAreIgnoredNotFatal) {
  // Every field of the wrong JSON type: read as absent, never an exception.
  constexpr std::string_view doc = R"({
    "bomFormat": "CycloneDX", "specVersion": "1.6",
    "metadata": {"component": {"name": 7, "components": {"x": 1}}},
    "components": [
      {"type": 1, "name": ["x"], "version": {}, "purl": 5, "licenses": "MIT",
       "properties": [{"name": 1, "value": 2}, "x", {"name": "hivesec:location"}],
       "evidence": {"occurrences": "nowhere"}, "components": 3},
      {"type": "library", "purl": "pkg:npm/ok@1", "licenses": [1, {"license": 2},
       {"license": {"id": 3}}, {"expression": null}],
       "properties": [{"name": "hivesec:metadata:", "value": "x"}]}
    ]})";
  model::ScanResult r = must_read(doc);
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].name, "ok");
  EXPECT_TRUE(r.packages[0].licenses.empty());
  EXPECT_TRUE(r.packages[0].metadata.empty());
  EXPECT_TRUE(has_note(r, "1 SBOM entry skipped"));
}

class SbomFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hivesec-sbom-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

TEST_F(SbomFiles, ReadsFileAndHashesIt) {
  fs::path f = dir_ / "bom.json";
  std::ofstream(f) << kCycloneDx16;
  auto r = read_sbom(f.string());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->asset.labels["sbom_file"], f.string());
  auto same = read_sbom_bytes(kCycloneDx16, "other-name");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(r->asset.id, same->asset.id) << "the id is the content's digest, not the path's";
  auto other = read_sbom_bytes(kCycloneDx15, "x");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->asset.id, r->asset.id);
}

TEST_F(SbomFiles, FileErrors) {
  auto missing = read_sbom((dir_ / "nope.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);

  auto dir = read_sbom(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, Errc::kInvalidArgument);

  // A sparse file just over the bound is refused before a byte is read.
  fs::path big = dir_ / "big.json";
  std::ofstream(big) << "{";
  fs::resize_file(big, kMaxSbomBytes + 1);
  auto r = read_sbom(big.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  EXPECT_NE(r.error().message.find("big.json"), std::string::npos);
}

}  // namespace
}  // namespace hivesec::sbom
