#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "common/hash.h"
#include "image/registry_auth.h"
#include "report/finding_facts.h"
#include "report/license.h"
#include "report/util.h"
#include "report/writer.h"

namespace hivesec::report {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kLayer1[] =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
constexpr char kLayer2[] =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";
constexpr char kImageId[] =
    "sha256:abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd";
constexpr char kManifest[] =
    "sha256:0123456789012345678901234567890123456789012345678901234567890123";

model::Package pkg(std::string type, std::string ns, std::string name, std::string version,
                   std::string purl, std::vector<std::string> licenses, std::string location,
                   std::string layer = kLayer2) {
  model::Package p;
  p.type = std::move(type);
  p.namespace_ = std::move(ns);
  p.name = std::move(name);
  p.version = std::move(version);
  p.purl = std::move(purl);
  p.licenses = std::move(licenses);
  p.location = std::move(location);
  p.layer = std::move(layer);
  p.found_by = p.type;
  return p;
}

// A realistic image scan with the awkward cases writers must survive.
model::ScanResult sample() {
  model::ScanResult r;
  r.scanned_at = "2024-05-06T07:08:09.123Z";
  r.asset = {model::AssetKind::kImage, kImageId, "registry.example:5000/team/app:1.2", {}};
  image::ImageMeta m;
  m.name = "registry.example:5000/team/app:1.2";
  m.source = "docker-archive";
  m.image_id = kImageId;
  m.manifest_digest = kManifest;
  m.repo_tags = {"registry.example:5000/team/app:1.2"};
  m.platform.architecture = "amd64";
  m.created = "2024-05-01T00:00:00Z";
  m.config.user = "app";
  m.config.env = {"PATH=/usr/bin", "LANG=C.UTF-8"};
  m.config.cmd = {"/app/server", "--port=8080"};
  m.config.exposed_ports = {"8080/tcp"};
  m.config.labels = {{"org.opencontainers.image.title", "app"}};
  m.history = {{"2024-05-01T00:00:00Z", "ADD rootfs.tar /", "", false},
               {"2024-05-01T00:00:01Z", "ENV LANG=C.UTF-8", "", true},
               {"2024-05-01T00:00:02Z", "COPY app /app", "", false}};
  m.layers = {{kLayer1, kLayer1, 1000, "application/vnd.docker.image.rootfs.diff.tar.gzip"},
              {kLayer2, kLayer2, -1, ""}};
  r.image = m;
  r.os = {"debian", "Debian GNU/Linux 12 (bookworm)", "12", "bookworm", "etc/os-release"};
  r.layers = {{kLayer1, kLayer1, 1000, "ADD rootfs.tar /", true},
              {kLayer2, kLayer2, -1, "COPY app /app", false}};

  auto libc = pkg("deb", "debian", "libc6", "2.36-9+deb12u4",
                  "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
                  {"GPL-2+", "LGPL-2.1+", "public-domain"}, "var/lib/dpkg/status", kLayer1);
  libc.arch = "amd64";
  libc.source_name = "glibc";
  libc.source_version = "2.36-9+deb12u4";
  libc.files = {"lib/x86_64-linux-gnu/libc.so.6", "usr/share/doc/libc6/copyright"};
  libc.metadata = {{"maintainer", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"}};
  r.packages.push_back(libc);

  auto py3req =
      pkg("deb", "debian", "python3-requests", "2.28.1+dfsg-1",
          "pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?arch=all&distro=debian-12",
          {"Apache-2.0", "GPL-2.0 WITH classpath-exception-2.0"}, "var/lib/dpkg/status", kLayer1);
  py3req.source_name = "requests";
  r.packages.push_back(py3req);

  auto requests = pkg("pypi", "", "requests", "2.28.1", "pkg:pypi/requests@2.28.1", {"Apache 2.0"},
                      "usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO", kLayer1);
  requests.owner = py3req.purl;
  r.packages.push_back(requests);

  r.packages.push_back(pkg("npm", "@scope", "pkg", "1.0.0", "pkg:npm/%40scope/pkg@1.0.0",
                           {"(MIT OR Apache-2.0)"}, "app/node_modules/@scope/pkg/package.json"));
  // The same purl twice: two copies of left-pad.
  r.packages.push_back(pkg("npm", "", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", {"WTFPL"},
                           "app/node_modules/left-pad/package.json"));
  r.packages.push_back(pkg("npm", "", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", {"wtfpl"},
                           "app/node_modules/x/node_modules/left-pad/package.json"));
  r.packages.push_back(pkg("npm", "", "na\xc3\xafve-\xe6\x97\xa5\xe6\x9c\xac", "0.1.0",
                           "pkg:npm/na%C3%AFve-%E6%97%A5%E6%9C%AC@0.1.0",
                           {"Custom (c) ACME; see LICENSE", "MIT AND"},
                           "app/node_modules/naive/package.json"));
  auto gomain = pkg("golang", "", "github.com/acme/server", "v1.4.0",
                    "pkg:golang/github.com/acme/server@v1.4.0", {"BSD-3-clause"}, "app/server");
  gomain.metadata = {{"main_module", "github.com/acme/server"}, {"go_version", "go1.22.1"}};
  r.packages.push_back(gomain);
  r.packages.push_back(pkg("golang", "", "golang.org/x/net", "v0.20.0",
                           "pkg:golang/golang.org/x/net@v0.20.0", {}, "app/server"));
  r.packages.push_back(pkg("maven", "org.apache.logging.log4j", "log4j-core", "2.17.1",
                           "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
                           {"The Apache Software License, Version 2.0", "Apache-2.0+"},
                           "app/lib/log4j-core-2.17.1.jar"));
  r.packages.push_back(pkg("pypi", "", "we ird\"<>&;name\x1b[31m\xff", "1.0", "", {"LicenseRef-x"},
                           "usr/lib/python3/site-packages/weird/METADATA"));
  r.notes = {"skipped usr/share/big.bin: larger than 64 MiB"};
  return r;
}

std::string render(std::string_view format, const model::ScanResult& r) {
  WriterRegistry reg;
  EXPECT_TRUE(register_builtin_writers(reg).ok());
  const Writer* w = reg.find(format);
  EXPECT_NE(w, nullptr) << format;
  if (!w) return "";
  std::ostringstream out;
  Status st = w->write(r, out);
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
  return out.str();
}

// ---- license handling ----

struct LicenseCase {
  std::string in;
  LicenseKind kind;
  std::string value;
};

TEST(ReportLicense, Classify) {
  const std::vector<LicenseCase> cases = {
      {"MIT", LicenseKind::kId, "MIT"},
      {"mit", LicenseKind::kId, "MIT"},
      {" BSD-3-clause ", LicenseKind::kId, "BSD-3-Clause"},
      {"GPL-2+", LicenseKind::kId, "GPL-2.0-or-later"},
      {"Expat", LicenseKind::kId, "MIT"},
      {"GPL-2.0+", LicenseKind::kId, "GPL-2.0+"},
      {"Apache-2.0+", LicenseKind::kExpression, "Apache-2.0+"},
      {"(MIT OR Apache-2.0)", LicenseKind::kExpression, "(MIT OR Apache-2.0)"},
      {"mit or apache-2.0", LicenseKind::kExpression, "MIT OR Apache-2.0"},
      {"GPL-2.0 with classpath-exception-2.0", LicenseKind::kExpression,
       "GPL-2.0 WITH Classpath-exception-2.0"},
      {"LicenseRef-acme", LicenseKind::kExpression, "LicenseRef-acme"},
      {"MIT AND (BSD-2-Clause OR ISC)", LicenseKind::kExpression, "MIT AND (BSD-2-Clause OR ISC)"},
      {"MIT AND", LicenseKind::kName, "MIT AND"},
      {"Apache 2.0", LicenseKind::kName, "Apache 2.0"},
      {"GPL-2.0 WITH not-an-exception", LicenseKind::kName, "GPL-2.0 WITH not-an-exception"},
      {"((MIT)", LicenseKind::kName, "((MIT)"},
      {"public-domain", LicenseKind::kName, "public-domain"},
  };
  for (const auto& c : cases) {
    ClassifiedLicense got = classify_license(c.in);
    EXPECT_EQ(got.kind, c.kind) << c.in;
    EXPECT_EQ(got.value, c.value) << c.in;
  }
}

TEST(ReportLicense, DepthIsBounded) {
  std::string deep(100, '(');
  deep += "MIT";
  deep += std::string(100, ')');
  EXPECT_FALSE(normalize_license_expression(deep, known_license_leaf));
  std::string ok = "((((MIT))))";
  EXPECT_EQ(normalize_license_expression(ok, known_license_leaf).value_or(""), ok);
}

TEST(ReportLicense, IdString) {
  EXPECT_EQ(spdx_idstring("a b/c..d"), "a-b-c..d");
  EXPECT_EQ(spdx_idstring("\xe6\x97\xa5"), "unknown");
  EXPECT_EQ(spdx_idstring(std::string(200, 'x'), 10), std::string(10, 'x'));
}

// ---- registry ----

TEST(ReportWriters, RegistryListsEveryFormatOnce) {
  WriterRegistry reg;
  ASSERT_TRUE(register_builtin_writers(reg).ok());
  std::vector<std::string> want = {"table", "json",  "cyclonedx", "cyclonedx-1.5",
                                   "spdx",  "sarif", "html"};
  EXPECT_EQ(reg.names(), want);
  EXPECT_FALSE(register_builtin_writers(reg).ok()) << "duplicates must fail";
}

TEST(ReportWriters, ImageRefAndPurl) {
  ImageRef r = split_image_ref("registry.example:5000/Team/App:1.2@sha256:00");
  EXPECT_EQ(r.repository, "registry.example:5000/Team/App");
  EXPECT_EQ(r.name, "app");
  EXPECT_EQ(r.tag, "1.2");
  EXPECT_EQ(split_image_ref("localhost:5000/x").tag, "");
  EXPECT_EQ(image_purl(*sample().image),
            std::string("pkg:oci/app@") + "sha256:" + std::string(kManifest).substr(7) +
                "?arch=amd64&repository_url=registry.example:5000%2Fteam%2Fapp&tag=1.2");
}

TEST(ReportWriters, Timestamps) {
  EXPECT_EQ(document_timestamp("2024-05-06T07:08:09.123Z"), "2024-05-06T07:08:09Z");
  std::regex utc(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$)");
  EXPECT_TRUE(std::regex_match(document_timestamp("yesterday"), utc));
  EXPECT_TRUE(std::regex_match(document_timestamp("2024-05-06T07:08:09+02:00"), utc));
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::string a = random_uuid_v4();
  EXPECT_TRUE(std::regex_match(a, uuid)) << a;
  EXPECT_NE(a, random_uuid_v4());
}

// ---- structure of each format ----

TEST(ReportWriters, JsonStructure) {
  json j = json::parse(render("json", sample()));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["tool"]["name"], "hivesec");
  EXPECT_EQ(j["asset"]["kind"], "image");
  EXPECT_EQ(j["image"]["platform"]["architecture"], "amd64");
  EXPECT_EQ(j["image"]["config"]["cmd"][1], "--port=8080");
  EXPECT_EQ(j["image"]["history"][1]["empty_layer"], true);
  EXPECT_TRUE(j["image"]["layers"][1]["size"].is_null());
  EXPECT_EQ(j["os"]["codename"], "bookworm");
  EXPECT_EQ(j["layers"][0]["cached"], true);
  ASSERT_EQ(j["packages"].size(), sample().packages.size());
  EXPECT_EQ(j["packages"][2]["owner"], j["packages"][1]["purl"]);
  EXPECT_EQ(j["notes"][0], "skipped usr/share/big.bin: larger than 64 MiB");

  model::ScanResult fs_scan;
  fs_scan.asset = {model::AssetKind::kFilesystem, "/srv/rootfs", "/srv/rootfs", {}};
  json f = json::parse(render("json", fs_scan));
  EXPECT_TRUE(f["image"].is_null());
  EXPECT_TRUE(f["os"].is_null());
}

const json* find_component(const json& bom, std::string_view name, std::string_view location) {
  for (const auto& c : bom["components"]) {
    if (c.value("name", "") != name) continue;
    if (location.empty()) return &c;
    for (const auto& p : c.value("properties", json::array())) {
      if (p["name"] == "hivesec:location" && p["value"] == location) return &c;
    }
  }
  return nullptr;
}

TEST(ReportWriters, CycloneDxStructure) {
  model::ScanResult r = sample();
  json bom = json::parse(render("cyclonedx", r));
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.6");
  EXPECT_EQ(bom["version"], 1);
  EXPECT_TRUE(std::regex_match(bom["serialNumber"].get<std::string>(),
                               std::regex("^urn:uuid:[0-9a-f-]{36}$")));
  EXPECT_EQ(bom["metadata"]["timestamp"], "2024-05-06T07:08:09Z");
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["name"], "hivesec");
  const json& root = bom["metadata"]["component"];
  EXPECT_EQ(root["type"], "container");
  EXPECT_EQ(root["version"], kManifest);
  EXPECT_TRUE(root["purl"].get<std::string>().starts_with("pkg:oci/app@sha256:"));
  EXPECT_EQ(bom["components"][0]["type"], "operating-system");
  EXPECT_EQ(bom["components"][0]["name"], "debian");
  EXPECT_EQ(bom["components"].size(), r.packages.size() + 1);

  std::set<std::string> refs = {root["bom-ref"]};
  for (const auto& c : bom["components"]) {
    EXPECT_TRUE(refs.insert(c["bom-ref"].get<std::string>()).second) << c["bom-ref"];
  }
  for (const auto& d : bom["dependencies"]) {
    EXPECT_TRUE(refs.count(d["ref"].get<std::string>())) << d["ref"];
    for (const auto& t : d["dependsOn"]) EXPECT_TRUE(refs.count(t.get<std::string>())) << t;
  }

  const json* pad1 = find_component(bom, "left-pad", "app/node_modules/left-pad/package.json");
  const json* pad2 =
      find_component(bom, "left-pad", "app/node_modules/x/node_modules/left-pad/package.json");
  ASSERT_TRUE(pad1 && pad2);
  EXPECT_NE((*pad1)["bom-ref"], (*pad2)["bom-ref"]);
  EXPECT_EQ((*pad1)["purl"], (*pad2)["purl"]);
  EXPECT_EQ((*pad2)["licenses"][0]["license"]["id"], "WTFPL");

  const json* libc = find_component(bom, "libc6", "");
  ASSERT_TRUE(libc);
  // "public-domain" is not SPDX, so ids and names are listed, no expression.
  EXPECT_EQ((*libc)["licenses"], json::parse(R"([{"license":{"id":"GPL-2.0-or-later"}},
                            {"license":{"id":"LGPL-2.1-or-later"}},
                            {"license":{"name":"public-domain"}}])"));
  const json* scoped = find_component(bom, "pkg", "");
  ASSERT_TRUE(scoped);
  EXPECT_EQ((*scoped)["group"], "@scope");
  EXPECT_EQ((*scoped)["licenses"], json::parse(R"j([{"expression":"(MIT OR Apache-2.0)"}])j"));
  const json* req = find_component(bom, "python3-requests", "");
  ASSERT_TRUE(req);
  EXPECT_EQ(
      (*req)["licenses"],
      json::parse(R"j([{"expression":"Apache-2.0 AND (GPL-2.0 WITH Classpath-exception-2.0)"}])j"));
  const json* go = find_component(bom, "github.com/acme/server", "");
  ASSERT_TRUE(go);
  EXPECT_EQ((*go)["type"], "application");
  EXPECT_EQ((*go)["licenses"][0]["license"]["id"], "BSD-3-Clause");
  EXPECT_EQ((*find_component(bom, "golang.org/x/net", ""))["type"], "library");

  // requests (pypi) hangs under the deb that owns it; libc6 under the OS; the OS under the root.
  auto depends = [&](const json& from, const json& to) {
    for (const auto& d : bom["dependencies"]) {
      if (d["ref"] != from["bom-ref"]) continue;
      for (const auto& t : d["dependsOn"]) {
        if (t == to["bom-ref"]) return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(depends(*req, *find_component(bom, "requests", "")));
  EXPECT_TRUE(depends(bom["components"][0], *libc));
  EXPECT_TRUE(depends(root, bom["components"][0]));
  EXPECT_TRUE(depends(root, *go));

  json bom15 = json::parse(render("cyclonedx-1.5", r));
  EXPECT_EQ(bom15["specVersion"], "1.5");
  EXPECT_NE(bom15["serialNumber"], bom["serialNumber"]);
}

TEST(ReportWriters, CycloneDxFilesystem) {
  model::ScanResult r;
  r.asset = {model::AssetKind::kFilesystem, "/srv/rootfs", "/srv/rootfs", {}};
  json bom = json::parse(render("cyclonedx", r));
  EXPECT_EQ(bom["metadata"]["component"]["type"], "file");
  EXPECT_EQ(bom["metadata"]["component"]["name"], "/srv/rootfs");
  EXPECT_TRUE(bom["components"].empty());
  ASSERT_EQ(bom["dependencies"].size(), 1u);
}

TEST(ReportWriters, SpdxStructure) {
  model::ScanResult r = sample();
  json doc = json::parse(render("spdx", r));
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-05-06T07:08:09Z");
  EXPECT_EQ(doc["creationInfo"]["creators"][0], "Tool: hivesec-" + r.tool_version);
  EXPECT_TRUE(doc["documentNamespace"].get<std::string>().starts_with(
      "https://hivesec.dev/spdxdocs/registry.example-5000-team-app-1.2-"));
  ASSERT_EQ(doc["packages"].size(), r.packages.size() + 2);  // root + OS

  std::regex id_re("^SPDXRef-[A-Za-z0-9.-]+$");
  std::set<std::string> ids = {"SPDXRef-DOCUMENT"};
  std::map<std::string, json> by_name;
  for (const auto& p : doc["packages"]) {
    std::string id = p["SPDXID"];
    EXPECT_TRUE(std::regex_match(id, id_re)) << id;
    EXPECT_TRUE(ids.insert(id).second) << id;
    EXPECT_EQ(p["downloadLocation"], "NOASSERTION");
    EXPECT_EQ(p["filesAnalyzed"], false);
    by_name[p["name"]] = p;
  }
  std::set<std::string> declared;
  for (const auto& x : doc["hasExtractedLicensingInfos"]) declared.insert(x["licenseId"]);
  std::regex ref_re("LicenseRef-[A-Za-z0-9.-]+");
  for (const auto& p : doc["packages"]) {
    std::string lic = p["licenseDeclared"];
    for (std::sregex_iterator it(lic.begin(), lic.end(), ref_re), end; it != end; ++it) {
      EXPECT_TRUE(declared.count(it->str())) << lic;
    }
  }
  EXPECT_EQ(by_name["libc6"]["licenseDeclared"],
            "GPL-2.0-or-later AND LGPL-2.1-or-later AND LicenseRef-public-domain");
  EXPECT_EQ(by_name["log4j-core"]["licenseDeclared"],
            "LicenseRef-The-Apache-Software-License-Version-2.0 AND Apache-2.0+");
  EXPECT_EQ(by_name["pkg"]["licenseDeclared"], "(MIT OR Apache-2.0)");
  EXPECT_EQ(by_name["golang.org/x/net"]["licenseDeclared"], "NOASSERTION");
  EXPECT_EQ(by_name["na\xc3\xafve-\xe6\x97\xa5\xe6\x9c\xac"]["licenseDeclared"],
            "LicenseRef-Custom-c-ACME-see-LICENSE AND LicenseRef-MIT-AND");
  EXPECT_TRUE(declared.count("LicenseRef-x"));
  EXPECT_EQ(by_name["libc6"]["externalRefs"][0]["referenceLocator"], r.packages[0].purl);
  EXPECT_EQ(by_name["libc6"]["sourceInfo"], "built from source package glibc 2.36-9+deb12u4");
  EXPECT_EQ(by_name["debian"]["primaryPackagePurpose"], "OPERATING_SYSTEM");
  EXPECT_EQ(by_name["github.com/acme/server"]["primaryPackagePurpose"], "APPLICATION");

  std::string root = doc["packages"][0]["SPDXID"];
  EXPECT_EQ(doc["packages"][0]["primaryPackagePurpose"], "CONTAINER");
  auto has_rel = [&](const std::string& a, std::string_view type, const std::string& b) {
    for (const auto& rel : doc["relationships"]) {
      if (rel["spdxElementId"] == a && rel["relationshipType"] == type &&
          rel["relatedSpdxElement"] == b) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has_rel("SPDXRef-DOCUMENT", "DESCRIBES", root));
  EXPECT_TRUE(has_rel(root, "CONTAINS", by_name["requests"]["SPDXID"]));
  EXPECT_TRUE(
      has_rel(by_name["python3-requests"]["SPDXID"], "CONTAINS", by_name["requests"]["SPDXID"]));
  EXPECT_TRUE(has_rel(by_name["debian"]["SPDXID"], "CONTAINS", by_name["libc6"]["SPDXID"]));
  for (const auto& rel : doc["relationships"]) {
    EXPECT_TRUE(ids.count(rel["spdxElementId"])) << rel;
    EXPECT_TRUE(ids.count(rel["relatedSpdxElement"])) << rel;
  }
  // Same input, same package ids (stable across runs), different namespace.
  json again = json::parse(render("spdx", r));
  EXPECT_EQ(again["packages"], doc["packages"]);
  EXPECT_NE(again["documentNamespace"], doc["documentNamespace"]);
}

TEST(ReportWriters, TableOutput) {
  model::ScanResult r = sample();
  std::string t = render("table", r);
  EXPECT_NE(t.find("Asset:     registry.example:5000/team/app:1.2 (image)\n"), std::string::npos);
  EXPECT_NE(t.find("Image ID:  " + std::string(kImageId)), std::string::npos);
  EXPECT_NE(t.find("Platform:  linux/amd64\n"), std::string::npos);
  EXPECT_NE(t.find("OS:        Debian GNU/Linux 12 (bookworm)\n"), std::string::npos);
  EXPECT_NE(t.find("Layers:    2\n"), std::string::npos);
  EXPECT_NE(t.find("Packages:  11\n"), std::string::npos);
  EXPECT_NE(t.find("No findings.\n"), std::string::npos);
  EXPECT_NE(t.find("note: skipped usr/share/big.bin"), std::string::npos);
  EXPECT_EQ(t.find('\x1b'), std::string::npos) << "escape sequences must not reach a terminal";
  EXPECT_EQ(t.find('\xff'), std::string::npos);
  // Sorted by type then name: deb before golang before maven before npm before pypi.
  auto at = [&](std::string_view s) { return t.find(s); };
  EXPECT_LT(at("libc6"), at("python3-requests"));
  EXPECT_LT(at("python3-requests"), at("github.com/acme/server"));
  EXPECT_LT(at("github.com/acme/server"), at("org.apache.logging.log4j/log4j-core"));
  EXPECT_LT(at("org.apache.logging.log4j/log4j-core"), at("@scope/pkg"));
  EXPECT_NE(at("src:glibc"), std::string::npos);
  EXPECT_NE(at("owner:python3-requests"), std::string::npos);
  // Columns line up: VERSION starts at the same offset in the header and the libc6 row.
  std::istringstream lines(t);
  std::string line, header_line, libc_line;
  while (std::getline(lines, line)) {
    if (line.starts_with("TYPE")) header_line = line;
    if (line.starts_with("deb") && line.find("libc6") != std::string::npos) libc_line = line;
  }
  ASSERT_FALSE(header_line.empty());
  ASSERT_FALSE(libc_line.empty());
  EXPECT_EQ(header_line.find("VERSION"), libc_line.find("2.36-9+deb12u4"));
  EXPECT_EQ(header_line.find("LAYER"), libc_line.find("111111111111"));
  // Wide (CJK) glyphs take two cells: the row with one still lines up in display columns.
  std::istringstream again(t);
  while (std::getline(again, line)) {
    if (line.find("na\xc3\xafve") == std::string::npos) continue;
    std::size_t version_at = line.find("0.1.0");
    // "naïve-日本" is 13 bytes in 10 cells (ï: 2 bytes, 1 cell; 日, 本: 3 bytes, 2 cells).
    EXPECT_EQ(version_at - 3, header_line.find("VERSION")) << line;
  }

  model::Finding f;
  f.kind = model::FindingKind::kSecret;
  f.rule_id = "aws-access-key";
  f.severity = model::Severity::kHigh;
  f.title = "AWS access key";
  f.evidence.path = "app/.env";
  f.evidence.line = 3;
  r.findings.push_back(f);
  t = render("table", r);
  EXPECT_EQ(t.find("No findings."), std::string::npos);
  EXPECT_NE(t.find("app/.env:3"), std::string::npos);
}

// ---- findings ----

model::Finding vuln(std::string id, model::Severity sev, const model::Package& p,
                    std::vector<std::string> fixed, model::FixStatus status) {
  model::Finding f;
  f.kind = model::FindingKind::kVulnerability;
  f.rule_id = std::move(id);
  f.severity = sev;
  f.evidence.package = p.purl;
  f.evidence.path = p.location;
  f.evidence.layer = p.layer;
  model::VulnDetail v;
  v.package_name = p.name;
  v.package_type = p.type;
  v.installed_version = p.version;
  v.fixed_versions = std::move(fixed);
  v.status = status;
  f.vuln = std::move(v);
  return f;
}

const model::Package& package_at(const model::ScanResult& r, std::string_view name,
                                 std::string_view location = "") {
  for (const auto& p : r.packages) {
    if (p.name == name && (location.empty() || p.location == location)) return p;
  }
  ADD_FAILURE() << "no package " << name;
  return r.packages.front();
}

constexpr char kHostile[] = "<script>alert(1)</script>";

// sample() plus vulnerabilities of every shape and findings of other kinds.
model::ScanResult sample_with_findings() {
  model::ScanResult r = sample();
  using model::FixStatus;
  using model::Severity;

  // A Debian CVE rated by Debian's urgency, with a CVSS vector that agrees.
  auto libc = vuln("CVE-2024-2961", Severity::kHigh, package_at(r, "libc6"), {"2.36-9+deb12u7"},
                   FixStatus::kFixed);
  libc.title = "glibc: iconv() out-of-bounds write in ISO-2022-CN-EXT";
  libc.aliases = {"DSA-5678-1"};
  libc.vuln->ecosystem = "Debian:12";
  libc.vuln->matched_name = "glibc";
  libc.vuln->advisories = {"DSA-5678-1", "DLA-3807-1"};
  libc.vuln->severity_source = "Debian";
  libc.vuln->cvss = {{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, Severity::kHigh,
                      "CVE-2024-2961"}};
  libc.vuln->published = "2024-04-17T18:15:15Z";
  libc.vuln->modified = "2024-07-22T15:00:00.5+02:00";
  libc.vuln->references = {"javascript:alert(1)",
                           "https://security-tracker.debian.org/tracker/CVE-2024-2961",
                           "https://sourceware.org/bugzilla/show_bug.cgi?id=31480"};
  r.findings.push_back(libc);

  // A GitHub advisory on the second copy of left-pad: several fixed versions, two CVSS versions.
  auto pad =
      vuln("GHSA-abcd-efgh-ijkl", Severity::kCritical,
           package_at(r, "left-pad", "app/node_modules/x/node_modules/left-pad/package.json"),
           {"1.2.0", "1.3.1", "2.0.1"}, FixStatus::kFixed);
  pad.title = "left-pad pads too much";
  pad.aliases = {"CVE-2021-1234", "CVE-2021-9999"};
  pad.vuln->severity_source = "CVSS_V3";
  pad.vuln->cvss = {{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8,
                     Severity::kCritical, "GHSA-abcd-efgh-ijkl"},
                    {"4.0", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3,
                     Severity::kCritical, "GHSA-abcd-efgh-ijkl"},
                    {"3.1", "CVSS:3.1/AV:X", -1, Severity::kUnknown, ""}};
  pad.vuln->published = "yesterday";
  r.findings.push_back(pad);

  // A Go advisory with no fix and no score.
  auto net = vuln("GO-2024-2687", Severity::kMedium, package_at(r, "golang.org/x/net"), {},
                  FixStatus::kNotFixed);
  net.aliases = {"CVE-2023-45288", "GHSA-4v7x-pqxf-cx7m"};
  net.vuln->references = {"https://ex ample.org/x"};
  r.findings.push_back(net);

  // The same CVE in a package the inventory does not list.
  model::Package ghost;
  ghost.name = "libc-bin";
  ghost.type = "deb";
  ghost.version = "2.36-9+deb12u4";
  ghost.purl = "pkg:deb/debian/libc-bin@2.36-9%2Bdeb12u4?distro=debian-12";
  auto bin = vuln("CVE-2024-2961", Severity::kHigh, ghost, {"2.36-9+deb12u7"}, FixStatus::kFixed);
  bin.vuln->severity_source = "Debian";
  r.findings.push_back(bin);

  // Hostile text everywhere a scanned image controls it.
  auto evil = vuln("GHSA-\"><img src=x onerror=alert(1)>", Severity::kLow,
                   package_at(r, "requests"), {}, FixStatus::kWontFix);
  evil.vuln->package_name = kHostile;
  evil.title = "\" onmouseover=\"alert(2)";
  evil.aliases = {"x' onclick='alert(3)"};
  evil.vuln->references = {"https://example.org/\"><script>alert(4)</script>"};
  r.findings.push_back(evil);

  auto unknown =
      vuln("OSV-2024-1", Severity::kUnknown, package_at(r, "log4j-core"), {}, FixStatus::kUnknown);
  // A score no parser should produce: must not become a number or "nan" anywhere.
  unknown.vuln->cvss = {{"3.1", "CVSS:3.1/AV:N", std::nan(""), Severity::kUnknown, ""}};
  r.findings.push_back(unknown);

  model::Finding secret;
  secret.kind = model::FindingKind::kSecret;
  secret.rule_id = "aws-access-key";
  secret.severity = Severity::kHigh;
  secret.title = "AWS access key";
  secret.evidence.path = "app/.env";
  secret.evidence.line = 3;
  secret.evidence.layer = kLayer2;
  secret.evidence.match = "AKIA****************";
  r.findings.push_back(secret);
  secret.evidence.line = 9;  // a second key in the same file
  r.findings.push_back(secret);

  model::Finding misconfig;
  misconfig.kind = model::FindingKind::kMisconfig;
  misconfig.rule_id = "DS002";
  misconfig.severity = Severity::kMedium;
  misconfig.title = "Image runs as root";
  misconfig.evidence.path = "/etc/my app:conf";
  misconfig.evidence.line = 7;
  r.findings.push_back(misconfig);
  return r;
}

TEST(ReportFindingFacts, AdvisorySource) {
  struct Case {
    std::string id, name, url;
  };
  const std::vector<Case> cases = {
      {"CVE-2024-2961", "NVD", "https://nvd.nist.gov/vuln/detail/CVE-2024-2961"},
      {"GHSA-abcd-efgh-ijkl", "GitHub", "https://github.com/advisories/GHSA-abcd-efgh-ijkl"},
      {"GO-2024-2687", "Go", "https://pkg.go.dev/vuln/GO-2024-2687"},
      {"DSA-5678-1", "Debian", "https://security-tracker.debian.org/tracker/DSA-5678-1"},
      {"DLA-3807-1", "Debian", "https://security-tracker.debian.org/tracker/DLA-3807-1"},
      {"PYSEC-2021-1", "PyPA", "https://osv.dev/vulnerability/PYSEC-2021-1"},
      {"RUSTSEC-2024-3", "OSV", "https://osv.dev/vulnerability/RUSTSEC-2024-3"},
      {"cve-lower", "OSV", "https://osv.dev/vulnerability/cve-lower"},
      {"A B/\"<", "OSV", "https://osv.dev/vulnerability/A%20B%2F%22%3C"},
  };
  for (const auto& c : cases) {
    AdvisorySource s = advisory_source(c.id);
    EXPECT_EQ(s.name, c.name) << c.id;
    EXPECT_EQ(s.url, c.url) << c.id;
    EXPECT_TRUE(is_web_url(s.url)) << s.url;
  }
  EXPECT_FALSE(is_web_url("javascript:alert(1)"));
  EXPECT_FALSE(is_web_url("https://ex ample.org"));
  EXPECT_FALSE(is_web_url("https:///path"));
  EXPECT_FALSE(is_web_url("https://x.org/%zz"));
  EXPECT_FALSE(is_web_url("https://x.org/a[b]"));
  EXPECT_FALSE(is_web_url("https://x.org/a#b#c"));
  EXPECT_FALSE(is_web_url("https://x.org/\xc3\xa9"));
  EXPECT_TRUE(is_web_url("http://x.org/a?b=c&d=%20#f"));
  EXPECT_TRUE(is_rfc3339("2024-07-22T15:00:00.5+02:00"));
  EXPECT_FALSE(is_rfc3339("2024-07-22"));
  EXPECT_FALSE(is_rfc3339("2024-13-22T15:00:00Z"));
}

TEST(ReportFindingFacts, RecommendedFix) {
  model::VulnDetail v;
  v.package_type = "npm";
  v.installed_version = "1.3.0";
  v.fixed_versions = {"1.2.0", "1.3.1", "2.0.1"};
  EXPECT_EQ(recommended_fix(v), "1.3.1") << "the lowest fix above the installed version";
  v.installed_version = "1.1.0";
  EXPECT_EQ(recommended_fix(v), "1.2.0");
  v.installed_version = "3.0.0";
  EXPECT_EQ(recommended_fix(v), "1.2.0") << "nothing above: the first";
  v.package_type = "deb";
  v.installed_version = "2.36-9+deb12u4";
  v.fixed_versions = {"2.36-9+deb12u10", "2.36-9+deb12u7"};
  EXPECT_EQ(recommended_fix(v), "2.36-9+deb12u7") << "dpkg order, not string order";
  v.package_type = "unheard-of";
  EXPECT_EQ(recommended_fix(v), "2.36-9+deb12u10");
  v.package_type = "npm";
  v.installed_version = "not a version";
  v.fixed_versions = {"1.0.0"};
  EXPECT_EQ(recommended_fix(v), "1.0.0");
  v.fixed_versions.clear();
  EXPECT_EQ(recommended_fix(v), "");
}

TEST(ReportFindingFacts, HeadlineAliasAndOrder) {
  model::ScanResult r = sample_with_findings();
  EXPECT_EQ(headline_alias(r.findings[0]), "DSA-5678-1");
  EXPECT_EQ(headline_alias(r.findings[1]), "CVE-2021-1234");
  EXPECT_EQ(headline_alias(r.findings[5]), "");
  auto sorted = sorted_findings(r.findings);
  ASSERT_EQ(sorted.size(), r.findings.size());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_GE(severity_rank(sorted[i - 1]->severity), severity_rank(sorted[i]->severity));
  }
  EXPECT_EQ(sorted[0]->rule_id, "GHSA-abcd-efgh-ijkl");
  // Among the high findings, by package: the secrets (no package) first, then libc-bin, libc6.
  std::vector<std::string> high;
  for (const auto* f : sorted) {
    if (f->severity == model::Severity::kHigh) high.push_back(finding_package_name(*f));
  }
  EXPECT_EQ(high, (std::vector<std::string>{"", "", "libc-bin", "libc6"}));
  EXPECT_EQ(matching_cvss_score(r.findings[1]), 9.3) << "the newest agreeing CVSS version";
  EXPECT_EQ(matching_cvss_score(r.findings[2]), -1);
  EXPECT_EQ(matching_cvss_score(r.findings[5]), -1) << "a NaN score never agrees";
}

const json* find_by(const json& array, std::string_view key, std::string_view value) {
  for (const auto& x : array) {
    if (x.contains(key) && x[key] == value) return &x;
  }
  return nullptr;
}

TEST(ReportWriters, SarifStructure) {
  model::ScanResult r = sample_with_findings();
  json doc = json::parse(render("sarif", r));
  EXPECT_EQ(doc["version"], "2.1.0");
  ASSERT_EQ(doc["runs"].size(), 1u);
  const json& run = doc["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "hivesec");
  EXPECT_EQ(driver["version"], r.tool_version);
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));

  // One rule per distinct id, in first-seen order; every result points at its rule.
  std::set<std::string> ids;
  for (const auto& f : r.findings) ids.insert(f.rule_id);
  const json& rules = driver["rules"];
  ASSERT_EQ(rules.size(), ids.size());
  ASSERT_EQ(run["results"].size(), r.findings.size());
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const json& res = run["results"][i];
    EXPECT_EQ(res["ruleId"], r.findings[i].rule_id);
    EXPECT_EQ(rules[res["ruleIndex"].get<std::size_t>()]["id"], res["ruleId"]);
  }

  const json* cve = find_by(rules, "id", "CVE-2024-2961");
  ASSERT_TRUE(cve);
  EXPECT_EQ((*cve)["helpUri"], "https://security-tracker.debian.org/tracker/CVE-2024-2961")
      << "the first reference that is a web URL";
  EXPECT_EQ((*cve)["shortDescription"]["text"], r.findings[0].title);
  EXPECT_EQ((*cve)["properties"]["tags"], json::array({"security", "vulnerability"}));
  EXPECT_EQ((*cve)["properties"]["security-severity"], "8.8");
  EXPECT_EQ((*cve)["defaultConfiguration"]["level"], "error");
  EXPECT_EQ((*find_by(rules, "id", "GHSA-abcd-efgh-ijkl"))["properties"]["security-severity"],
            "9.3");
  const json* go = find_by(rules, "id", "GO-2024-2687");
  ASSERT_TRUE(go);
  EXPECT_EQ((*go)["properties"]["security-severity"], "5.5") << "mapped from medium";
  EXPECT_EQ((*go)["helpUri"], "https://pkg.go.dev/vuln/GO-2024-2687") << "bad URL skipped";
  EXPECT_FALSE((*find_by(rules, "id", "OSV-2024-1"))["properties"].contains("security-severity"))
      << "an unknown severity (and a NaN score) has no number";
  const json* secret_rule = find_by(rules, "id", "aws-access-key");
  ASSERT_TRUE(secret_rule);
  EXPECT_EQ((*secret_rule)["properties"]["tags"], json::array({"security", "secret"}));
  EXPECT_EQ((*secret_rule)["properties"]["security-severity"], "8.0");
  EXPECT_FALSE(secret_rule->contains("helpUri"));

  const json& libc = run["results"][0];
  EXPECT_EQ(libc["level"], "error");
  const std::string msg = libc["message"]["text"];
  EXPECT_NE(msg.find("libc6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Installed: 2.36-9+deb12u4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Fixed: 2.36-9+deb12u7"), std::string::npos) << msg;
  const json& loc = libc["locations"][0];
  EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"], "var/lib/dpkg/status");
  EXPECT_FALSE(loc["physicalLocation"].contains("region"));
  EXPECT_EQ(loc["logicalLocations"][0]["fullyQualifiedName"], r.packages[0].purl);
  EXPECT_EQ(loc["logicalLocations"][0]["name"], "libc6");

  EXPECT_EQ(run["results"][1]["level"], "error");  // critical
  EXPECT_NE(run["results"][1]["message"]["text"].get<std::string>().find("Fixed: 1.3.1"),
            std::string::npos);
  EXPECT_EQ(run["results"][2]["level"], "warning");
  EXPECT_NE(run["results"][2]["message"]["text"].get<std::string>().find("not-fixed"),
            std::string::npos);
  // No evidence path: the image name, encoded so its ':' cannot read as a URI scheme.
  EXPECT_EQ(run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "registry.example%3A5000/team/app%3A1.2");
  EXPECT_EQ(run["results"][4]["level"], "note");  // low
  EXPECT_EQ(run["results"][5]["level"], "note");  // unknown

  const json& secret = run["results"][6];
  EXPECT_EQ(secret["level"], "error");
  EXPECT_EQ(secret["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app/.env");
  EXPECT_EQ(secret["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_FALSE(secret["locations"][0].contains("logicalLocations"));
  const json& misconfig = run["results"][8];
  EXPECT_EQ(misconfig["level"], "warning");
  EXPECT_EQ(misconfig["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "etc/my%20app%3Aconf");
  EXPECT_EQ(misconfig["locations"][0]["physicalLocation"]["region"]["startLine"], 7);

  // Fingerprints: distinct per result (two keys in one file included), equal across runs, blind
  // to the layer (a rebuilt image keeps its alerts).
  std::set<std::string> prints;
  for (const auto& res : run["results"]) {
    EXPECT_TRUE(prints.insert(res["partialFingerprints"]["hivesec/v1"].get<std::string>()).second)
        << res;
  }
  json again = json::parse(render("sarif", r));
  EXPECT_EQ(again, doc);
  model::ScanResult rebuilt = r;
  for (auto& f : rebuilt.findings) f.evidence.layer = kLayer1;
  EXPECT_EQ(json::parse(render("sarif", rebuilt))["runs"][0]["results"][6]["partialFingerprints"],
            secret["partialFingerprints"]);

  model::ScanResult empty;
  empty.asset = {model::AssetKind::kFilesystem, "/srv/rootfs", "/srv/rootfs", {}};
  json none = json::parse(render("sarif", empty));
  EXPECT_TRUE(none["runs"][0]["results"].empty());
  EXPECT_TRUE(none["runs"][0]["tool"]["driver"]["rules"].empty());
}

TEST(ReportWriters, CycloneDxVulnerabilities) {
  model::ScanResult r = sample_with_findings();
  for (std::string_view format : {"cyclonedx", "cyclonedx-1.5"}) {
    SCOPED_TRACE(format);
    json bom = json::parse(render(format, r));
    const json& vulns = bom["vulnerabilities"];
    ASSERT_EQ(vulns.size(), 6u) << "one per vulnerability finding, none for secrets";
    const json& libc = vulns[0];
    EXPECT_EQ(libc["id"], "CVE-2024-2961");
    EXPECT_EQ(libc["source"],
              json({{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/CVE-2024-2961"}}));
    EXPECT_EQ(libc["references"], json::parse(R"([
                {"id":"DSA-5678-1","source":{"name":"Debian",
                  "url":"https://security-tracker.debian.org/tracker/DSA-5678-1"}},
                {"id":"DLA-3807-1","source":{"name":"Debian",
                  "url":"https://security-tracker.debian.org/tracker/DLA-3807-1"}}])"));
    ASSERT_EQ(libc["ratings"].size(), 2u);
    EXPECT_EQ(libc["ratings"][0]["method"], "CVSSv31");
    EXPECT_EQ(libc["ratings"][0]["score"], 8.8);
    EXPECT_EQ(libc["ratings"][0]["severity"], "high");
    EXPECT_EQ(libc["ratings"][0]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
    EXPECT_EQ(libc["ratings"][1],
              json({{"method", "other"}, {"severity", "high"}, {"source", {{"name", "Debian"}}}}));
    EXPECT_EQ(libc["recommendation"], "Upgrade libc6 to 2.36-9+deb12u7");
    EXPECT_EQ(libc["published"], "2024-04-17T18:15:15Z");
    EXPECT_EQ(libc["updated"], "2024-07-22T15:00:00.5+02:00");
    EXPECT_EQ(libc["description"], r.findings[0].title);
    EXPECT_FALSE(libc.contains("analysis"));
    EXPECT_EQ(libc["advisories"].size(), 2u) << "javascript: is no advisory URL";
    const json* libc_component = find_component(bom, "libc6", "");
    ASSERT_TRUE(libc_component);
    EXPECT_EQ(libc["affects"][0]["ref"], (*libc_component)["bom-ref"]);
    EXPECT_EQ(libc["affects"][0]["versions"][0]["version"], "2.36-9+deb12u4");

    const json& pad = vulns[1];
    EXPECT_EQ(pad["source"]["name"], "GitHub");
    const json* pad2 =
        find_component(bom, "left-pad", "app/node_modules/x/node_modules/left-pad/package.json");
    ASSERT_TRUE(pad2);
    EXPECT_EQ(pad["affects"][0]["ref"], (*pad2)["bom-ref"]) << "the copy the finding is about";
    EXPECT_EQ(pad["recommendation"], "Upgrade left-pad to 1.3.1");
    std::vector<std::string> methods;
    for (const auto& rating : pad["ratings"]) methods.push_back(rating["method"]);
    EXPECT_EQ(methods, (std::vector<std::string>{"CVSSv31", "CVSSv4", "CVSSv31"}));
    EXPECT_FALSE(pad["ratings"][2].contains("score")) << "an unscored vector has no score";
    EXPECT_FALSE(pad.contains("published")) << "'yesterday' is no date-time";
    EXPECT_EQ(pad["references"][0]["id"], "CVE-2021-1234");
    EXPECT_EQ(pad["references"][0]["source"]["name"], "NVD");

    const json& net = vulns[2];
    EXPECT_EQ(net["source"]["url"], "https://pkg.go.dev/vuln/GO-2024-2687");
    EXPECT_FALSE(net.contains("recommendation"));
    EXPECT_FALSE(net.contains("ratings"));
    EXPECT_EQ(net["references"][1]["source"]["name"], "GitHub");

    // A package the inventory does not list: the image itself is what is affected.
    EXPECT_EQ(vulns[3]["affects"][0]["ref"], bom["metadata"]["component"]["bom-ref"]);
    EXPECT_FALSE(vulns[4].contains("recommendation")) << "wont-fix";
    EXPECT_FALSE(vulns[5]["ratings"][0].contains("score")) << "NaN is no score";
    EXPECT_EQ(vulns[5]["ratings"][0]["method"], "CVSSv31");

    std::set<std::string> refs = {bom["metadata"]["component"]["bom-ref"]};
    for (const auto& c : bom["components"]) refs.insert(c["bom-ref"]);
    for (const auto& v : vulns) EXPECT_TRUE(refs.count(v["affects"][0]["ref"])) << v;
  }
  EXPECT_FALSE(json::parse(render("cyclonedx", sample())).contains("vulnerabilities"));
}

TEST(ReportWriters, HtmlEscapesEverything) {
  model::ScanResult r = sample_with_findings();
  r.asset.name = "app:\"1\" <b>";
  std::string html = render("html", r);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(html.find(kHostile), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("\"><img"), std::string::npos);
  EXPECT_NE(html.find("GHSA-&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos) << "a quote closed an attribute";
  EXPECT_EQ(html.find("onclick='"), std::string::npos);
  EXPECT_EQ(html.find("alert(4)</script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("app:&quot;1&quot; &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find('\xff'), std::string::npos);
  EXPECT_NE(html.find("we ird&quot;&lt;&gt;&amp;;name\xef\xbf\xbd[31m\xef\xbf\xbd"),
            std::string::npos);

  // Exactly one script: the page's own, allowed by its hash in the CSP.
  std::size_t open = html.find("<script>");
  ASSERT_NE(open, std::string::npos);
  EXPECT_EQ(html.find("<script", open + 1), std::string::npos);
  std::size_t close = html.find("</script>", open);
  std::string script = html.substr(open + 8, close - open - 8);
  std::string hex = sha256_hex(script);
  std::string raw;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  EXPECT_NE(html.find("script-src 'sha256-" + image::base64_encode(raw) + "'"), std::string::npos);
  // No external resources: the only URLs are hyperlinks.
  std::regex url_attr(R"((src|href|action)=\"([^\"]*)\")");
  for (std::sregex_iterator it(html.begin(), html.end(), url_attr), end; it != end; ++it) {
    EXPECT_EQ((*it)[1], "href") << it->str();
    EXPECT_TRUE((*it)[2].str().starts_with("https://")) << it->str();
  }
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://nvd.nist.gov/vuln/detail/CVE-2024-2961\""),
            std::string::npos);
  EXPECT_NE(html.find("href=\"https://sourceware.org/bugzilla/show_bug.cgi?id=31480\""),
            std::string::npos);
}

TEST(ReportWriters, HtmlContent) {
  model::ScanResult r = sample_with_findings();
  std::string html = render("html", r);
  EXPECT_NE(html.find("<b data-count=\"critical\">1</b>"), std::string::npos);
  EXPECT_NE(html.find("<b data-count=\"high\">4</b>"), std::string::npos);
  EXPECT_NE(html.find("<b data-count=\"medium\">2</b>"), std::string::npos);
  EXPECT_NE(html.find("<b data-count=\"total\">9</b>"), std::string::npos);
  EXPECT_NE(html.find("<b data-count=\"secret\">2</b>"), std::string::npos);
  EXPECT_NE(html.find("<b data-count=\"vulnerability\">6</b>"), std::string::npos);
  EXPECT_NE(html.find(kImageId), std::string::npos);
  EXPECT_NE(html.find("Debian GNU/Linux 12 (bookworm)"), std::string::npos);
  // Rows worst first; the inventory is folded (inside <details>) after the findings.
  std::size_t critical = html.find("<tr data-sev=\"critical\">");
  std::size_t high = html.find("<tr data-sev=\"high\">");
  std::size_t low = html.find("<tr data-sev=\"low\">");
  EXPECT_LT(critical, high);
  EXPECT_LT(high, low);
  std::size_t rows = 0;
  for (std::size_t at = 0; (at = html.find("<tr data-sev=", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, r.findings.size());
  std::size_t details = html.find("<details id=\"packages\">");
  ASSERT_NE(details, std::string::npos);
  EXPECT_LT(low, details);
  EXPECT_NE(html.find(">libc6<", details), std::string::npos);
  EXPECT_NE(html.find("app/.env:3"), std::string::npos);

  model::ScanResult empty;
  empty.asset = {model::AssetKind::kFilesystem, "/srv/rootfs", "/srv/rootfs", {}};
  std::string none = render("html", empty);
  EXPECT_NE(none.find("No findings."), std::string::npos);
  EXPECT_NE(none.find("<b data-count=\"total\">0</b>"), std::string::npos);
  EXPECT_EQ(none.find("id=\"findings\""), std::string::npos);
  EXPECT_NE(none.find("Packages (0)"), std::string::npos);
  EXPECT_TRUE(none.ends_with("</html>\n"));
}

TEST(ReportWriters, HtmlManyFindings) {
  model::ScanResult r = sample();
  const model::Package& p = r.packages[0];
  for (int i = 0; i < 5000; ++i) {
    auto sev = static_cast<model::Severity>(i % 5);
    r.findings.push_back(vuln(fmt::format("CVE-2024-{:05d}", i), sev, p, {"2.36-9+deb12u7"},
                              model::FixStatus::kFixed));
  }
  auto start = std::chrono::steady_clock::now();
  std::string html = render("html", r);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_LT(ms, 2000) << "5,000 findings must render quickly";
  EXPECT_LT(html.size(), 5u * 1024 * 1024) << "a plain table stays small";
  std::size_t rows = 0;
  for (std::size_t at = 0; (at = html.find("<tr data-sev=", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, 5000u);
  EXPECT_NE(html.find("<b data-count=\"critical\">1000</b>"), std::string::npos);
}

TEST(ReportWriters, TableVulnerabilities) {
  model::ScanResult r = sample_with_findings();
  std::string t = render("table", r);
  std::istringstream lines(t);
  std::string line, header_line;
  std::vector<std::string> rows;
  bool in_vulns = false;
  while (std::getline(lines, line)) {
    if (line.starts_with("SEVERITY  ID")) {
      in_vulns = line.find("PACKAGE") != std::string::npos;
      if (in_vulns) header_line = line;
      continue;
    }
    if (line.empty()) in_vulns = false;
    if (in_vulns) rows.push_back(line);
  }
  ASSERT_FALSE(header_line.empty()) << t;
  std::regex cols(R"(^SEVERITY +ID +ALIAS +PACKAGE +INSTALLED +FIXED +STATUS +PATH$)");
  EXPECT_TRUE(std::regex_match(header_line, cols)) << header_line;
  ASSERT_EQ(rows.size(), 6u) << t;
  // Worst first, then by package.
  EXPECT_TRUE(rows[0].starts_with("critical  GHSA-abcd-efgh-ijkl")) << rows[0];
  EXPECT_TRUE(rows[1].starts_with("high")) << rows[1];
  EXPECT_NE(rows[1].find("libc-bin"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find("libc6"), std::string::npos) << rows[2];
  EXPECT_TRUE(rows[3].starts_with("medium")) << rows[3];
  EXPECT_TRUE(rows[4].starts_with("low")) << rows[4];
  EXPECT_TRUE(rows[5].starts_with("unknown")) << rows[5];
  // Columns line up, and the fix shown is the one to upgrade to.
  EXPECT_EQ(rows[0].find("CVE-2021-1234 +1"), header_line.find("ALIAS"));
  EXPECT_EQ(rows[0].find("left-pad"), header_line.find("PACKAGE"));
  EXPECT_EQ(rows[0].find("1.3.0"), header_line.find("INSTALLED"));
  EXPECT_EQ(rows[0].find("1.3.1"), header_line.find("FIXED"));
  EXPECT_EQ(rows[0].find("fixed"), header_line.find("STATUS"));
  EXPECT_EQ(rows[0].find("app/node_modules/x/node_modules/left-pad"), header_line.find("PATH"))
      << rows[0];
  EXPECT_EQ(rows[2].find("DSA-5678-1"), header_line.find("ALIAS"));
  EXPECT_NE(rows[3].find("not-fixed"), std::string::npos);
  EXPECT_NE(rows[4].find("wont-fix"), std::string::npos);
  EXPECT_NE(rows[4].find("<script>alert(1)</script>"), std::string::npos) << "text, not markup";
  EXPECT_NE(t.find("Vulnerabilities: 6 (critical 1, high 2, medium 1, low 1, unknown 1)"),
            std::string::npos);
  // Other kinds keep their own table.
  std::regex others(R"(\nSEVERITY +KIND +ID +WHERE +TITLE\n)");
  EXPECT_TRUE(std::regex_search(t, others)) << t;
  EXPECT_NE(t.find("app/.env:9"), std::string::npos);
  EXPECT_NE(t.find("/etc/my app:conf:7"), std::string::npos);
}

// ---- validation against the official schemas ----

// The shared schema folder: $HIVESEC_SCHEMAS, else `shared/schemas` beside the repository or one
// of its parents (worktrees sit deeper than the main checkout).
std::string schemas_dir() {
  if (const char* env = std::getenv("HIVESEC_SCHEMAS"); env && *env) return env;
  for (fs::path d = fs::path(HIVESEC_SOURCE_DIR).parent_path(); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / "shared" / "schemas")) return (d / "shared" / "schemas").string();
    if (d == d.parent_path()) break;
  }
  return "";
}

class SchemaValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    tools_ = fs::path(HIVESEC_SOURCE_DIR) / "tools";
    if (std::system("command -v node >/dev/null 2>&1") != 0) GTEST_SKIP() << "node not installed";
    if (!fs::exists(tools_ / "node_modules" / "ajv" / "package.json")) {
      GTEST_SKIP() << "tools/node_modules missing (run: npm ci --prefix tools)";
    }
    schemas_ = schemas_dir();
    if (schemas_.empty()) GTEST_SKIP() << "schema folder not found (set HIVESEC_SCHEMAS)";
    dir_ = fs::temp_directory_path() / ("hivesec-writers-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // Runs the validator on every text at once (one schema compile); returns its exit status and
  // keeps its stderr in `log_`.
  int validate(std::string_view kind, const std::vector<std::string>& texts) {
    fs::path log = dir_ / "validate.log";
    // Every argument is a path this test made or a fixed word; quoted for spaces in paths.
    std::string cmd = "HIVESEC_SCHEMAS='" + schemas_ + "' node '" +
                      (tools_ / "validate-schema.mjs").string() + "' " + std::string(kind);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      fs::path doc = dir_ / (std::string(kind) + "-" + std::to_string(i) + ".json");
      std::ofstream(doc) << texts[i];
      cmd += " '" + doc.string() + "'";
    }
    cmd += " 2>'" + log.string() + "'";
    int rc = std::system(cmd.c_str());
    std::ifstream in(log);
    log_.assign(std::istreambuf_iterator<char>(in), {});
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  int validate(std::string_view kind, const std::string& text) {
    return validate(kind, std::vector<std::string>{text});
  }

  fs::path tools_;
  fs::path dir_;
  std::string schemas_;
  std::string log_;
};

TEST_F(SchemaValidation, EveryFormatIsValid) {
  model::ScanResult image_scan = sample();
  model::ScanResult fs_scan;
  fs_scan.asset = {model::AssetKind::kFilesystem, "/srv/rootfs", "/srv/rootfs", {}};
  fs_scan.scanned_at = "not a time";
  fs_scan.packages.push_back(pkg("apk", "alpine", "musl", "1.2.4-r2",
                                 "pkg:apk/alpine/musl@1.2.4-r2", {"MIT"}, "lib/apk/db/installed",
                                 ""));
  model::ScanResult with_findings = sample_with_findings();
  const std::vector<std::pair<std::string_view, std::string_view>> formats = {
      {"cyclonedx-1.6", "cyclonedx"},
      {"cyclonedx-1.5", "cyclonedx-1.5"},
      {"spdx-2.3", "spdx"},
      {"sarif-2.1.0", "sarif"},
      {"hivesec", "json"}};
  for (const auto& [kind, format] : formats) {
    std::vector<std::string> docs;
    for (const auto* r : {&image_scan, &fs_scan, &with_findings})
      docs.push_back(render(format, *r));
    EXPECT_EQ(validate(kind, docs), 0) << log_;
  }
}

TEST_F(SchemaValidation, BrokenDocumentsFail) {
  json bom = json::parse(render("cyclonedx", sample()));
  json bad = bom;
  bad["components"][1]["licenses"] = json::parse(R"([{"license":{"id":"Not-A-License"}}])");
  EXPECT_EQ(validate("cyclonedx-1.6", bad.dump()), 1);
  EXPECT_NE(log_.find("licenses"), std::string::npos) << log_;
  bad = bom;
  bad["components"][1]["licenses"] = json::parse(R"j([{"expression":"MIT OR Custom (c)"}])j");
  EXPECT_EQ(validate("cyclonedx-1.6", bad.dump()), 1) << "schema accepts it; the check must not";
  bad = bom;
  bad["dependencies"][0]["dependsOn"].push_back("nowhere");
  EXPECT_EQ(validate("cyclonedx-1.6", bad.dump()), 1);
  EXPECT_NE(log_.find("nowhere"), std::string::npos) << log_;

  // Several broken documents in one run: each must be reported (the log names its file).
  auto each_rejected = [&](std::string_view kind, const std::vector<std::string>& docs) {
    EXPECT_EQ(validate(kind, docs), 1) << kind;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      std::string file = std::string(kind) + "-" + std::to_string(i) + ".json:";
      EXPECT_NE(log_.find(file), std::string::npos) << kind << " document " << i << "\n" << log_;
    }
  };
  json vbom = json::parse(render("cyclonedx", sample_with_findings()));
  vbom["vulnerabilities"][0]["affects"][0]["ref"] = "nowhere-else";
  each_rejected("cyclonedx-1.6", {vbom.dump()});
  EXPECT_NE(log_.find("nowhere-else"), std::string::npos) << log_;
  vbom = json::parse(render("cyclonedx-1.5", sample_with_findings()));
  vbom["vulnerabilities"][0]["ratings"][0]["method"] = "CVSSv5";
  each_rejected("cyclonedx-1.5", {vbom.dump()});

  json sarif = json::parse(render("sarif", sample_with_findings()));
  std::vector<std::string> bad_sarif;
  json bad_doc = sarif;
  bad_doc["runs"][0]["results"][0]["ruleIndex"] = 1;  // names another rule
  bad_sarif.push_back(bad_doc.dump());
  bad_doc = sarif;
  bad_doc["runs"][0]["results"][6]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  bad_sarif.push_back(bad_doc.dump());  // lines start at 1
  bad_doc = sarif;
  bad_doc["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] = 8.8;
  bad_sarif.push_back(bad_doc.dump());  // GitHub wants a string
  bad_doc = sarif;
  bad_doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
      "a b";
  bad_sarif.push_back(bad_doc.dump());  // not a URI reference
  each_rejected("sarif-2.1.0", bad_sarif);
  EXPECT_NE(log_.find("ruleIndex"), std::string::npos) << log_;

  json doc = json::parse(render("spdx", sample()));
  json bad_spdx = doc;
  bad_spdx.erase("dataLicense");
  EXPECT_EQ(validate("spdx-2.3", bad_spdx.dump()), 1);
  bad_spdx = doc;
  bad_spdx["packages"][2]["licenseDeclared"] = "Custom (c) ACME";
  EXPECT_EQ(validate("spdx-2.3", bad_spdx.dump()), 1) << "free text is not an expression";

  json report = json::parse(render("json", sample()));
  report["packages"][0].erase("purl");
  EXPECT_EQ(validate("hivesec", report.dump()), 1);
  EXPECT_EQ(validate("hivesec", "{not json"), 2);
}

}  // namespace
}  // namespace hivesec::report
