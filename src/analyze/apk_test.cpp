#include <gtest/gtest.h>

#include <string>

#include "analyze/builtins.h"

namespace hivesec::analyze {
namespace {

constexpr std::string_view kInstalled =
    "C:Q1abc=\n"
    "P:musl\n"
    "V:1.2.4-r2\n"
    "A:x86_64\n"
    "S:383152\n"
    "T:the musl c library (libc) implementation\n"
    "U:https://musl.libc.org/\n"
    "L:MIT\n"
    "o:musl\n"
    "m:Timo Teräs <timo.teras@iki.fi>\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1xyz=\n"
    "R:libc.musl-x86_64.so.1\n"
    "\n"
    "P:libcrypto3\n"
    "V:3.1.4-r5\n"
    "A:x86_64\n"
    "L:Apache-2.0\n"
    "o:openssl\n"
    "F:usr/lib\n"
    "R:libcrypto.so.3\n"
    "F:usr/lib/engines-3\n"
    "R:afalg.so\n"
    "F:../../etc\n"
    "R:passwd\n"
    "\n";

TEST(ApkAnalyzer, ParsesInstalledDatabase) {
  auto a = make_apk_analyzer();
  FileInfo f{"lib/apk/db/installed"};
  ASSERT_TRUE(a->required(f));
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(f, kInstalled, out).ok());
  ASSERT_EQ(out.packages.size(), 2u);
  struct Want {
    const char *name, *version, *arch, *source, *license;
  };
  const Want want[] = {{"musl", "1.2.4-r2", "x86_64", "musl", "MIT"},
                       {"libcrypto3", "3.1.4-r5", "x86_64", "openssl", "Apache-2.0"}};
  for (size_t i = 0; i < 2; ++i) {
    const auto& p = out.packages[i];
    EXPECT_EQ(p.type, "apk");
    EXPECT_EQ(p.name, want[i].name);
    EXPECT_EQ(p.version, want[i].version);
    EXPECT_EQ(p.arch, want[i].arch);
    EXPECT_EQ(p.source_name, want[i].source);
    EXPECT_EQ(p.source_version, want[i].version);
    EXPECT_EQ(p.licenses, std::vector<std::string>{want[i].license});
    EXPECT_EQ(p.location, "lib/apk/db/installed");
    EXPECT_TRUE(p.purl.empty());
  }
  EXPECT_EQ(out.packages[0].metadata.at("maintainer"), "Timo Teräs <timo.teras@iki.fi>");
  ASSERT_EQ(out.package_files.size(), 2u);
  EXPECT_EQ(out.package_files[0].type, "apk");
  EXPECT_EQ(out.package_files[0].files,
            (std::vector<std::string>{"lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"}));
  // The escaping F: directory is refused, with a note.
  EXPECT_EQ(out.package_files[1].files,
            (std::vector<std::string>{"usr/lib/libcrypto.so.3", "usr/lib/engines-3/afalg.so"}));
  ASSERT_EQ(out.notes.size(), 1u);
}

TEST(ApkAnalyzer, MalformedInput) {
  auto a = make_apk_analyzer();
  FileInfo f{"lib/apk/db/installed"};
  struct Case {
    std::string content;
    bool ok;
    size_t packages;
    size_t notes;
  };
  const Case cases[] = {
      {std::string("P:a\0\0\x01", 6), false, 0, 0},                // binary
      {"P:a\nV:1", true, 1, 0},                                    // truncated, no final newline
      {"V:1\nA:x86_64\n\nP:b\nV:2\n", true, 1, 1},                 // stanza without P:
      {"garbage line\nP:c\nV:3\n", true, 1, 1},                    // malformed line
      {"P:d\nR:orphan-file\n", true, 1, 0},                        // R: before any F: -> root
      {"P:" + std::string(1 << 20, 'x') + "\nV:1\n", true, 1, 0},  // huge value, bounded
      {"", true, 0, 0},
  };
  for (const auto& c : cases) {
    AnalysisOutput out;
    EXPECT_EQ(a->analyze(f, c.content, out).ok(), c.ok) << c.content.substr(0, 20);
    EXPECT_EQ(out.packages.size(), c.packages) << c.content.substr(0, 20);
    EXPECT_EQ(out.notes.size(), c.notes) << c.content.substr(0, 20);
    for (const auto& p : out.packages) EXPECT_LE(p.name.size(), 4096u);
  }
  EXPECT_FALSE(a->required(FileInfo{"lib/apk/db/installed.old"}));
  EXPECT_FALSE(a->required(FileInfo{"lib/apk/db/installed", FileType::kSymlink}));
}

}  // namespace
}  // namespace hivesec::analyze
