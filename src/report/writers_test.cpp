#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

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
  std::vector<std::string> want = {"table", "json", "cyclonedx", "cyclonedx-1.5", "spdx"};
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

  // Runs the validator; returns its exit status and keeps its stderr in `log_`.
  int validate(std::string_view kind, const std::string& text) {
    fs::path doc = dir_ / (std::string(kind) + ".json");
    fs::path log = dir_ / "validate.log";
    std::ofstream(doc) << text;
    // Every argument is a path this test made or a fixed word; quoted for spaces in paths.
    std::string cmd = "HIVESEC_SCHEMAS='" + schemas_ + "' node '" +
                      (tools_ / "validate-schema.mjs").string() + "' " + std::string(kind) + " '" +
                      doc.string() + "' 2>'" + log.string() + "'";
    int rc = std::system(cmd.c_str());
    std::ifstream in(log);
    log_.assign(std::istreambuf_iterator<char>(in), {});
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
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
  for (const auto* r : {&image_scan, &fs_scan}) {
    EXPECT_EQ(validate("cyclonedx-1.6", render("cyclonedx", *r)), 0) << log_;
    EXPECT_EQ(validate("cyclonedx-1.5", render("cyclonedx-1.5", *r)), 0) << log_;
    EXPECT_EQ(validate("spdx-2.3", render("spdx", *r)), 0) << log_;
    EXPECT_EQ(validate("hivesec", render("json", *r)), 0) << log_;
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
