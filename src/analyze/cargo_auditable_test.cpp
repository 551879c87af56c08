#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyze/builtins.h"
#include "analyze/elf_test_util.h"

namespace hivesec::analyze {
namespace {

namespace fs = std::filesystem;

std::string zlib_compress(const std::string& in) {
  uLongf n = compressBound(in.size());
  std::string out(n, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(in.data()),
            in.size(), 9);
  out.resize(n);
  return out;
}

const char* kDeps = R"({"packages":[
  {"name":"hello","version":"0.1.0","source":"local","kind":"runtime","dependencies":[1,2],
   "root":true},
  {"name":"serde","version":"1.0.188","source":"crates.io","kind":"runtime","dependencies":[]},
  {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build","dependencies":[]},
  {"name":"my-fork","version":"0.3.0","source":"git","dependencies":[]},
  {"name":"","version":"1"}, 42, {"name":"noversion"}
]})";

std::string elf_with_deps(const std::string& section) {
  return testing::build_test_elf(true, false, {{0x400000, std::string(64, '\x90'), 5}},
                                 {{".text", "code", 0x400000}, {".dep-v0", section, 0}});
}

Result<AnalysisOutput> run(const std::string& bin) {
  auto a = make_cargo_auditable_analyzer();
  AnalysisOutput out;
  Status st = a->analyze(FileInfo{.path = "usr/bin/hello", .mode = 0755}, bin, out);
  if (!st.ok()) return std::move(st).error();
  return out;
}

void expect_packages(const AnalysisOutput& out) {
  ASSERT_EQ(out.packages.size(), 3u);
  EXPECT_EQ(out.packages[0].purl, "pkg:cargo/hello@0.1.0");
  EXPECT_EQ(out.packages[0].metadata.at("root"), "true");
  EXPECT_EQ(out.packages[0].metadata.at("source"), "local");
  EXPECT_EQ(out.packages[1].purl, "pkg:cargo/serde@1.0.188");
  EXPECT_EQ(out.packages[1].type, "cargo");
  EXPECT_EQ(out.packages[1].metadata.count("root"), 0u);
  EXPECT_EQ(out.packages[2].purl, "pkg:cargo/my-fork@0.3.0");
}

TEST(CargoAuditable, ReadsDepSection) {
  auto out = run(elf_with_deps(zlib_compress(kDeps)));
  ASSERT_TRUE(out.ok()) << out.error().message;
  expect_packages(*out);
}

// The section added by binutils to a real system binary.
TEST(CargoAuditable, ObjcopyAddedSectionOnRealBinary) {
  if (std::system("objcopy --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no objcopy";
  fs::path dir = fs::temp_directory_path() / ("hivesec-cargo-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "deps.z", std::ios::binary) << zlib_compress(kDeps);
  std::string cmd = "objcopy --add-section .dep-v0='" + (dir / "deps.z").string() +
                    "' /usr/bin/true '" + (dir / "true").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "true", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  fs::remove_all(dir);
  auto out = run(ss.str());
  ASSERT_TRUE(out.ok()) << out.error().message;
  expect_packages(*out);
}

TEST(CargoAuditable, NoSectionOrNoElfIsNothing) {
  auto plain = run(testing::build_test_elf(true, false, {}, {{".text", "x", 0}}));
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->packages.empty());
  auto script = run("#!/bin/sh\n");
  ASSERT_TRUE(script.ok());
  EXPECT_TRUE(script->packages.empty());
}

TEST(CargoAuditable, MalformedSections) {
  struct Case {
    const char* name;
    std::string section;
    Errc code;
  } cases[] = {
      {"not zlib", "plain text", Errc::kCorrupt},
      {"truncated zlib", zlib_compress(kDeps).substr(0, 40), Errc::kCorrupt},
      {"not json", zlib_compress("{\"packages\": [ oops"), Errc::kCorrupt},
      {"no packages", zlib_compress("{\"pkgs\":[]}"), Errc::kCorrupt},
      {"array", zlib_compress("[1,2]"), Errc::kCorrupt},
      {"deep", zlib_compress(std::string(100000, '[') + std::string(100000, ']')), Errc::kLimit},
      // 32 MiB of spaces inflate past the 16 MiB bound.
      {"bomb", zlib_compress(std::string(32 << 20, ' ')), Errc::kLimit},
  };
  for (const auto& c : cases) {
    auto out = run(elf_with_deps(c.section));
    ASSERT_FALSE(out.ok()) << c.name;
    EXPECT_EQ(out.error().code, c.code) << c.name << ": " << out.error().message;
  }
}

}  // namespace
}  // namespace hivesec::analyze
