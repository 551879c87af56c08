// Unit tests of manifest parsing: document splitting and numbering, per-document errors with
// their lines, List expansion, the parse guards, binary input and content sniffing.
#include "config/k8s_manifest.h"

#include "config/k8s_checks.h"

#include <gtest/gtest.h>

namespace hivesec::config {
namespace {

TEST(K8sManifest, DocumentsIndexesAndLines) {
  const std::string yaml =
      "# Source: chart/a.yaml\n"          // 1
      "---\n"                             // 2
      "apiVersion: v1\n"                  // 3
      "kind: ConfigMap\n"                 // 4
      "metadata: {name: a, namespace: n}\n"  // 5
      "---\n"                             // 6
      "# Source: chart/empty.yaml\n"      // 7 (template rendered nothing)
      "---\n"                             // 8
      "apiVersion: v1\n"                  // 9
      "kind: Pod\n"                       // 10
      "metadata:\n"                       // 11
      "  name: [unterminated\n"           // 12
      "---\n"                             // 13
      "--- {apiVersion: v1, kind: Service, metadata: {name: s}}\n"  // 14
      "...\n"                             // 15
      "---\n"                             // 16
      "just: a map\n";                    // 17
  ManifestSet set;
  ASSERT_TRUE(add_manifests(set, "f.yaml", yaml).ok());
  ASSERT_EQ(set.objects.size(), 2u);
  EXPECT_EQ(set.objects[0].display(), "ConfigMap/n/a");
  EXPECT_EQ(set.objects[0].document, 0);
  EXPECT_EQ(set.objects[0].document_line, 3);
  EXPECT_EQ(set.objects[0].line, 3);
  EXPECT_EQ(set.objects[1].display(), "Service/s");
  EXPECT_EQ(set.objects[1].document, 2);
  EXPECT_EQ(set.objects[1].document_line, 14);
  EXPECT_EQ(set.objects[1].line, 14);
  ASSERT_EQ(set.errors.size(), 2u);
  EXPECT_EQ(set.errors[0].file, "f.yaml");
  EXPECT_EQ(set.errors[0].document, 1);
  EXPECT_EQ(set.errors[0].line, 12);  // the parser says end of input; kept inside the document
  EXPECT_FALSE(set.errors[0].message.empty());
  EXPECT_EQ(set.errors[1].document, 3);
  EXPECT_EQ(set.errors[1].line, 17);
  EXPECT_NE(set.errors[1].message.find("not a Kubernetes object"), std::string::npos);
}

TEST(K8sManifest, ListItemsAndNestedLists) {
  const std::string yaml = R"(apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
  - {metadata: {name: no-kind}}
  - {apiVersion: v1, kind: List, items: []}
  - {apiVersion: v1, kind: Secret, metadata: {name: b}}
)";
  ManifestSet set;
  ASSERT_TRUE(add_manifests(set, "l.yaml", yaml).ok());
  ASSERT_EQ(set.objects.size(), 2u);
  EXPECT_EQ(set.objects[0].base_path, "items[0]");
  EXPECT_EQ(set.objects[1].base_path, "items[3]");
  EXPECT_EQ(set.objects[1].line, 7);
  ASSERT_EQ(set.errors.size(), 2u);
  EXPECT_NE(set.errors[0].message.find("items[1]"), std::string::npos);
  EXPECT_NE(set.errors[1].message.find("nested List"), std::string::npos);
}

TEST(K8sManifest, GuardsRefuseHostileDocumentsOnly) {
  ManifestLimits l;
  l.max_depth = 10;
  l.max_aliases = 5;
  l.max_nodes = 100;
  l.max_document_bytes = 2000;
  const std::string ok = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n";
  std::string deep = "apiVersion: v1\nkind: ConfigMap\ndata: " + std::string(20, '[') + std::string(20, ']') + "\n";
  std::string aliases = "apiVersion: v1\nkind: ConfigMap\na: &a [x]\nb: [*a, *a, *a, *a, *a, *a]\n";
  std::string wide = "apiVersion: v1\nkind: ConfigMap\ndata: [";
  for (int i = 0; i < 150; ++i) wide += "1,";
  wide += "1]\n";
  std::string big = "apiVersion: v1\nkind: ConfigMap\ndata: {a: '" + std::string(3000, 'x') + "'}\n";
  ManifestSet set;
  ASSERT_TRUE(add_manifests(set, "h.yaml", deep + ok + "---\n" + aliases + ok + "---\n" + wide + ok + "---\n" + big + ok, l).ok());
  EXPECT_EQ(set.objects.size(), 4u);
  ASSERT_EQ(set.errors.size(), 4u);
  EXPECT_NE(set.errors[0].message.find("nested deeper than 10"), std::string::npos) << set.errors[0].message;
  EXPECT_EQ(set.errors[0].line, 3);
  EXPECT_NE(set.errors[1].message.find("more than 5 aliases"), std::string::npos) << set.errors[1].message;
  EXPECT_NE(set.errors[2].message.find("more than 100 nodes"), std::string::npos) << set.errors[2].message;
  EXPECT_NE(set.errors[3].message.find("byte limit"), std::string::npos) << set.errors[3].message;
  // yaml-cpp shares aliased nodes; a self-referencing anchor must not loop anywhere.
  ManifestSet cyc;
  ASSERT_TRUE(add_manifests(cyc, "c.yaml", "apiVersion: v1\nkind: Pod\nspec: &s {containers: [*s], template: *s}\n").ok());
  EXPECT_EQ(cyc.objects.size() + cyc.errors.size(), 1u);
  auto results = evaluate_manifests(cyc);
  ASSERT_TRUE(results.ok()) << results.error().message;
}

TEST(K8sManifest, BinaryAndOversizedFilesFailAsAWhole) {
  ManifestSet set;
  auto nul = add_manifests(set, "b.yaml", std::string("apiVersion: v1\nkind: Pod\x00\n", 26));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, Errc::kInvalidArgument);
  EXPECT_NE(nul.error().message.find("line 2: binary content"), std::string::npos) << nul.error().message;
  EXPECT_FALSE(add_manifests(set, "u.yaml", "kind: \xff\xfe\n").ok());
  ManifestLimits l;
  l.max_file_bytes = 10;
  auto big = add_manifests(set, "x.yaml", "apiVersion: v1\nkind: Pod\n", l);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, Errc::kLimit);
  EXPECT_TRUE(set.objects.empty());
}

TEST(K8sManifest, Sniffing) {
  EXPECT_TRUE(looks_like_kubernetes("apiVersion: v1\nkind: Pod\n"));
  EXPECT_TRUE(looks_like_kubernetes("# c\nkind: Pod\nmetadata: {}\napiVersion: v1\n"));
  EXPECT_TRUE(looks_like_kubernetes("services: {}\n---\napiVersion: v1\nkind: Pod\n"));
  EXPECT_TRUE(looks_like_kubernetes("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n}\n"));
  EXPECT_TRUE(looks_like_kubernetes("{\"kind\": \"List\", \"apiVersion\": \"v1\", \"items\": []}"));
  EXPECT_FALSE(looks_like_kubernetes("services:\n  web: {image: nginx}\n"));
  EXPECT_FALSE(looks_like_kubernetes("apiVersion: v1\n---\nkind: Pod\n"));  // different documents
  EXPECT_FALSE(looks_like_kubernetes("spec:\n  apiVersion: v1\n  kind: Pod\n"));  // nested, not an object
  EXPECT_FALSE(looks_like_kubernetes("{\"name\": \"pkg\", \"version\": \"1.0.0\"}"));
}

}  // namespace
}  // namespace hivesec::config
