#include "suppress/vex.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "suppress/testing/findings.h"

namespace hivesec::suppress {
namespace {

using testing::vuln;

const std::string kTestdata = std::string(HIVESEC_SOURCE_DIR) + "/src/suppress/testdata/";
const std::string kDigestA =
    "sha256:aaaa000000000000000000000000000000000000000000000000000000000001";
const std::string kDigestB =
    "sha256:bbbb000000000000000000000000000000000000000000000000000000000002";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

VexSet set_of(std::initializer_list<std::string_view> docs) {
  VexSet s;
  int n = 0;
  for (auto d : docs) {
    auto parsed = parse_vex(d, "doc" + std::to_string(++n) + ".json");
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    if (parsed.ok()) s.add(std::move(*parsed));
  }
  return s;
}

AssetIdentity image(const std::string& digest, std::vector<std::string> tags = {}) {
  model::ScanResult r;
  r.asset.id = digest;
  image::ImageMeta m;
  m.image_id = digest;
  m.repo_tags = std::move(tags);
  r.image = m;
  return AssetIdentity::from(r);
}

bool suppressed(const VexSet& s, const model::Finding& f, const AssetIdentity& a = {}) {
  auto v = s.evaluate(f, a);
  return v && v->suppress;
}

TEST(SuppressVex, ReadsOpenVex) {
  auto d = load_vex(kTestdata + "openvex.json");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->format, "openvex");
  ASSERT_EQ(d->statements.size(), 5u);
  const VexStatement& s = d->statements[0];
  EXPECT_EQ(s.vulnerability_ids,
            (std::vector<std::string>{"GHSA-jf85-cpcp-j695", "CVE-2019-10744"}));
  EXPECT_EQ(s.status, VexStatus::kNotAffected);
  EXPECT_EQ(s.justification, "vulnerable_code_not_in_execute_path");
  ASSERT_EQ(s.products.size(), 1u);
  ASSERT_TRUE(s.products[0].purl.has_value());
  EXPECT_EQ(s.products[0].purl->name, "lodash");
  EXPECT_EQ(s.time, parse_rfc3339("2024-03-01T10:00:00Z")) << "inherits the document timestamp";

  const VexStatement& img = d->statements[1];
  EXPECT_EQ(img.time, parse_rfc3339("2024-03-05T08:00:00Z"));
  ASSERT_EQ(img.products.size(), 1u);
  EXPECT_EQ(img.products[0].purl->version, kDigestA);
  ASSERT_EQ(img.products[0].subcomponents.size(), 1u);
  EXPECT_EQ(img.products[0].subcomponents[0].purl->name, "libssl3");
  EXPECT_EQ(img.detail, "the image never calls X.400 address parsing");
  EXPECT_EQ(d->statements[2].products[0].subcomponents[0].purl->version, "")
      << "identifiers.purl is read";
  EXPECT_EQ(d->statements[3].vulnerability_ids[1],
            "https://nvd.nist.gov/vuln/detail/CVE-2024-0001");
  EXPECT_EQ(d->statements[3].time, parse_rfc3339("2024-03-02T00:00:00Z")) << "last_updated first";
}

TEST(SuppressVex, OpenVexAliasAndVersionlessProduct) {
  VexSet s;
  auto d = load_vex(kTestdata + "openvex.json");
  ASSERT_TRUE(d.ok());
  s.add(std::move(*d));
  // The finding is named by the alias; the product has no version.
  auto f = vuln("CVE-2019-10744", "pkg:npm/lodash@4.17.20", "lodash", "4.17.20");
  auto v = s.evaluate(f, {});
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->suppress);
  EXPECT_EQ(v->reason, kTestdata +
                           "openvex.json statement 1: not_affected "
                           "(vulnerable_code_not_in_execute_path)");
  auto by_alias =
      vuln("GHSA-other", "pkg:npm/lodash@1.0.0", "lodash", "1.0.0", {"ghsa-JF85-cpcp-j695"});
  EXPECT_TRUE(suppressed(s, by_alias));
  EXPECT_FALSE(
      suppressed(s, vuln("CVE-2019-10744", "pkg:npm/lodash-es@4.17.20", "lodash-es", "4")));
  EXPECT_FALSE(suppressed(s, vuln("CVE-2019-10745", "pkg:npm/lodash@4.17.20", "lodash", "4")));
  EXPECT_FALSE(suppressed(s, vuln("CVE-2019-10744", "", "lodash", "4"))) << "no purl, no match";
}

TEST(SuppressVex, OpenVexLatestStatementWins) {
  VexSet s;
  auto d = load_vex(kTestdata + "openvex.json");
  ASSERT_TRUE(d.ok());
  s.add(std::move(*d));
  auto f =
      vuln("CVE-2023-0286", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
           "libssl3", "3.0.11-1~deb12u2");
  // Statement 2 (March 5) says not_affected, statement 3 (April 1) says affected: affected wins.
  auto v = s.evaluate(f, image(kDigestA));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->suppress);
  EXPECT_EQ(v->statement, 2u);

  // Reversed in time, the not_affected statement wins regardless of document order.
  const char* later_not_affected = R"({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", "version": 1,
    "timestamp": "2024-01-01T00:00:00Z",
    "statements": [
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
       "status": "not_affected", "justification": "component_not_present",
       "timestamp": "2024-06-01T00:00:00Z"},
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1.0.0"}],
       "status": "affected", "timestamp": "2024-05-01T00:00:00Z"}
    ]})";
  auto a = vuln("CVE-1", "pkg:npm/a@1.0.0", "a", "1.0.0");
  EXPECT_TRUE(suppressed(set_of({later_not_affected}), a));

  // Equal times: the later statement wins; across documents, the later document.
  const char* tie =
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": "2024-01-01T00:00:00Z",
    "statements": [
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "not_affected"},
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "under_investigation"}
    ]})";
  EXPECT_FALSE(suppressed(set_of({tie}), a));
  const char* doc_affected =
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": "2024-01-01T00:00:00Z",
    "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "affected"}]})";
  const char* doc_not =
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": "2024-01-01T00:00:00Z",
    "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "not_affected"}]})";
  EXPECT_TRUE(suppressed(set_of({doc_affected, doc_not}), a));
  EXPECT_FALSE(suppressed(set_of({doc_not, doc_affected}), a));

  // A statement without any timestamp is older than one with.
  const char* undated = R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "statements": [{"vulnerability": "CVE-1", "products": ["pkg:npm/a"], "status": "affected"}]})";
  EXPECT_TRUE(suppressed(set_of({doc_not, undated}), a));
}

TEST(SuppressVex, ImageLevelProducts) {
  const char* img =
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": "2024-01-01T00:00:00Z",
    "statements": [
      {"vulnerability": {"name": "CVE-2"}, "status": "not_affected",
       "products": [{"@id": "pkg:oci/app@sha256%3Aaaaa000000000000000000000000000000000000000000000000000000000001"}]},
      {"vulnerability": {"name": "CVE-3"}, "status": "not_affected",
       "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:npm/a"}]}]},
      {"vulnerability": {"name": "CVE-4"}, "status": "not_affected",
       "products": [{"@id": "sha256:BBBB000000000000000000000000000000000000000000000000000000000002"}]},
      {"vulnerability": {"name": "CVE-5"}, "status": "not_affected",
       "products": [{"hashes": {"sha-256": "bbbb000000000000000000000000000000000000000000000000000000000002"}}]},
      {"vulnerability": {"name": "CVE-6"}, "status": "not_affected",
       "products": [{"@id": "pkg:docker/team/app@v1"}]}
    ]})";
  VexSet images = set_of({img});
  auto in_a = image(kDigestA, {"registry.example.com/team/app:v1"});
  auto in_b = image(kDigestB, {"other/thing:latest"});
  auto a = vuln("CVE-2", "pkg:npm/a@1.0.0", "a", "1.0.0");
  auto b = vuln("CVE-2", "pkg:deb/debian/zlib1g@1.2", "zlib1g", "1.2");
  EXPECT_TRUE(suppressed(images, a, in_a)) << "an image product covers every package in it";
  EXPECT_TRUE(suppressed(images, b, in_a));
  EXPECT_FALSE(suppressed(images, a, in_b)) << "another image";
  EXPECT_FALSE(suppressed(images, a, AssetIdentity{})) << "a filesystem scan";

  auto c = vuln("CVE-3", "pkg:npm/a@1.0.0", "a", "1.0.0");
  auto c_other = vuln("CVE-3", "pkg:npm/b@1.0.0", "b", "1.0.0");
  EXPECT_TRUE(suppressed(images, c, in_a)) << "name-only oci product, subcomponent matches";
  EXPECT_FALSE(suppressed(images, c_other, in_a)) << "subcomponent limits the statement";
  EXPECT_FALSE(suppressed(images, c, in_b));

  EXPECT_TRUE(suppressed(images, vuln("CVE-4", "pkg:npm/a@1", "a", "1"), in_b)) << "bare digest";
  EXPECT_FALSE(suppressed(images, vuln("CVE-4", "pkg:npm/a@1", "a", "1"), in_a));
  EXPECT_TRUE(suppressed(images, vuln("CVE-5", "pkg:npm/a@1", "a", "1"), in_b)) << "hashes";
  EXPECT_TRUE(suppressed(images, vuln("CVE-6", "pkg:npm/a@1", "a", "1"), in_a)) << "docker tag";
  EXPECT_FALSE(suppressed(images, vuln("CVE-6", "pkg:npm/a@1", "a", "1"), in_b));
}

TEST(SuppressVex, FixedNeedsAPinnedMatch) {
  const char* doc = R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "statements": [
      {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:pypi/jinja2@3.1.2"}], "status": "fixed"},
      {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:pypi/jinja2"}], "status": "fixed"},
      {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:pypi/jinja2"}], "status": "under_investigation"}
    ]})";
  VexSet s = set_of({doc});
  EXPECT_TRUE(suppressed(s, vuln("CVE-1", "pkg:pypi/Jinja2@3.1.2", "Jinja2", "3.1.2")));
  EXPECT_FALSE(suppressed(s, vuln("CVE-1", "pkg:pypi/jinja2@3.1.1", "Jinja2", "3.1.1")));
  auto v = s.evaluate(vuln("CVE-2", "pkg:pypi/jinja2@3.1.1", "Jinja2", "3.1.1"), {});
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->suppress);
  EXPECT_NE(v->reason.find("not pinned"), std::string::npos) << v->reason;
  EXPECT_FALSE(suppressed(s, vuln("CVE-3", "pkg:pypi/jinja2@3.1.1", "Jinja2", "3.1.1")));
}

TEST(SuppressVex, ReadsCycloneDxAndResolvesBomRefs) {
  auto d = load_vex(kTestdata + "cyclonedx-vex.json");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->format, "cyclonedx");
  ASSERT_EQ(d->statements.size(), 6u) << "the entry without analysis is not a statement";
  EXPECT_EQ(d->statements[0].vulnerability_ids,
            (std::vector<std::string>{"CVE-2022-24999", "GHSA-hrpp-h998-j3pp"}));
  ASSERT_TRUE(d->statements[0].products[0].purl.has_value());
  EXPECT_EQ(d->statements[0].products[0].purl->to_string(), "pkg:npm/qs@6.7.0")
      << "nested component resolved";
  EXPECT_EQ(d->statements[1].products[0].purl->to_string(), "pkg:npm/express@4.17.1")
      << "BOM-Link resolved";
  EXPECT_EQ(d->statements[0].time, parse_rfc3339("2024-05-01T00:00:00Z"));
  EXPECT_EQ(d->statements[2].time, parse_rfc3339("2024-05-02T00:00:00Z"));
  EXPECT_EQ(d->unresolved_refs, 2u);

  VexSet s;
  s.add(std::move(*d));
  auto asset = image(kDigestB);
  auto qs = vuln("GHSA-hrpp-h998-j3pp", "pkg:npm/qs@6.7.0", "qs", "6.7.0");
  auto v = s.evaluate(qs, asset);
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->suppress);
  EXPECT_NE(v->reason.find("cyclonedx-vex.json vulnerability 1: not_affected (code_not_reachable)"),
            std::string::npos)
      << v->reason;
  EXPECT_FALSE(suppressed(s, vuln("CVE-2022-24999", "pkg:npm/qs@6.7.1", "qs", "6.7.1"), asset))
      << "the bom-ref names a version";
  EXPECT_TRUE(
      suppressed(s, vuln("CVE-2024-29041", "pkg:npm/express@4.17.1", "express", "4.17.1"), asset))
      << "false_positive";
  EXPECT_TRUE(suppressed(
      s, vuln("CVE-2024-45590", "pkg:npm/body-parser@1.19.0", "body-parser", "1"), asset))
      << "resolved, ref is a purl";
  EXPECT_FALSE(
      suppressed(s, vuln("CVE-2024-0003", "pkg:npm/express@4.17.1", "express", "4"), asset))
      << "in_triage";
  EXPECT_TRUE(suppressed(s, vuln("CVE-2024-0004", "pkg:deb/debian/bash@5", "bash", "5"), asset))
      << "the image (metadata.component) as product";
  EXPECT_FALSE(
      suppressed(s, vuln("CVE-2024-0004", "pkg:deb/debian/bash@5", "bash", "5"), image(kDigestA)));
  EXPECT_FALSE(suppressed(s, vuln("CVE-2024-0005", "pkg:npm/vendored-thing@1", "x", "1"), asset));
  EXPECT_FALSE(
      suppressed(s, vuln("CVE-2024-0006", "pkg:npm/express@4.17.1", "express", "4"), asset));
}

TEST(SuppressVex, MalformedDocumentsGiveOneLineErrorsNamingTheFile) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (
      auto c : {
          Case{"", "invalid JSON"},
          Case{"{\"statements\": [", "invalid JSON"},
          Case{"[1,2]", "neither an OpenVEX document nor a CycloneDX BOM"},
          Case{"{\"bomFormat\": \"SPDX\"}", "neither"},
          Case{R"({"@context": "https://openvex.dev/ns/v0.2.0"})", "no statements"},
          Case{R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": {}})",
               "'statements' is not an array"},
          Case{R"({"statements": [{"vulnerability": {"name": "C"}, "status": "maybe"}]})",
               "statement 1: unknown status 'maybe'"},
          Case{R"({"statements": [{"status": "affected"}]})", "statement 1: no vulnerability"},
          Case{R"({"statements": [{"vulnerability": {"name": ""}, "status": "affected"}]})",
               "statement 1: vulnerability has no name"},
          Case{R"({"statements": [{"vulnerability": 7, "status": "affected"}]})",
               "neither a string nor an object"},
          Case{R"({"statements": [{"vulnerability": "C", "status": 1}]})",
               "'status' is not a string"},
          Case{
              R"({"statements": [{"vulnerability": "C", "status": "fixed", "products": [{"@id": "pkg:npm/%zz"}]}]})",
              "invalid percent-encoding"},
          Case{
              R"({"statements": [{"vulnerability": "C", "status": "fixed", "timestamp": "yesterday"}]})",
              "'timestamp' is not an RFC 3339 time: 'yesterday'"},
          Case{
              R"({"statements": [{"vulnerability": {"name": "C", "aliases": [1]}, "status": "fixed"}]})",
              "alias is not a string"},
          Case{R"({"statements": [{"vulnerability": "C", "status": "fixed", "products": [7]}]})",
               "product is neither"},
          Case{R"({"bomFormat": "CycloneDX", "components": []})", "no vulnerabilities array"},
          Case{
              R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"analysis": {"state": "not_affected"}}]})",
              "vulnerability 1: no id"},
          Case{
              R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "C", "analysis": {"state": "nope"}}]})",
              "unknown analysis state 'nope'"},
          Case{
              R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "C", "analysis": {"state": "resolved"}, "affects": [{}]}]})",
              "affects entry has no ref"},
          Case{
              R"({"bomFormat": "CycloneDX", "components": [{"bom-ref": "x", "purl": "nonsense"}], "vulnerabilities": [{"id": "C", "analysis": {"state": "resolved"}, "affects": [{"ref": "x"}]}]})",
              "not a purl"},
          Case{R"({"bomFormat": "CycloneDX", "components": [5], "vulnerabilities": []})",
               "component is not an object"},
      }) {
    auto d = parse_vex(c.text, "bad.json");
    ASSERT_FALSE(d.ok()) << c.text;
    EXPECT_EQ(d.error().message.rfind("VEX bad.json", 0), 0u) << d.error().message;
    EXPECT_NE(d.error().message.find(c.want), std::string::npos) << d.error().message;
    EXPECT_EQ(d.error().message.find('\n'), std::string::npos) << d.error().message;
  }
  std::string deep(200, '[');
  auto d = parse_vex(deep, "deep.json");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::kLimit);
  auto missing = load_vex("/nonexistent/vex.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/vex.json"), std::string::npos);
}

TEST(SuppressVex, MutatedDocumentsNeverCrash) {
  // Byte flips, truncations and splices of the real test documents: every outcome must be a
  // value or a one-line error.
  std::mt19937 rng(1234);
  for (const char* name : {"openvex.json", "cyclonedx-vex.json"}) {
    const std::string base = slurp(kTestdata + name);
    ASSERT_FALSE(base.empty());
    const char kBytes[] = "{}[]\",:0a@%#?/\\ \x01\xff";
    for (int i = 0; i < 1500; ++i) {
      std::string doc = base;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !doc.empty(); ++e) {
        size_t pos = rng() % doc.size();
        switch (rng() % 3) {
          case 0:
            doc[pos] = kBytes[rng() % (sizeof kBytes - 1)];
            break;
          case 1:
            doc.resize(pos);
            break;
          default:
            doc.insert(pos, doc.substr(rng() % doc.size(), rng() % 64));
        }
      }
      auto d = parse_vex(doc, name);
      if (!d.ok()) {
        EXPECT_EQ(d.error().message.find('\n'), std::string::npos);
        continue;
      }
      VexSet s;
      s.add(std::move(*d));
      (void)s.evaluate(vuln("CVE-2022-24999", "pkg:npm/qs@6.7.0", "qs", "6.7.0"), image(kDigestB));
    }
  }
}

}  // namespace
}  // namespace hivesec::suppress
