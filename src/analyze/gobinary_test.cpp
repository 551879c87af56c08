#include "analyze/gobinary.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "analyze/builtins.h"
#include "analyze/elf.h"
#include "analyze/elf_test_util.h"

namespace hivesec::analyze {
namespace {

namespace fs = std::filesystem;
using testing::build_test_elf;

std::string run_command(const std::string& cmd, int* status = nullptr) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  int rc = pclose(p.release());
  if (status) *status = rc;
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool have_go() { return std::system("go version >/dev/null 2>&1") == 0; }

// Builds the fixture binaries once per test process (tests/data/gobinary/build_fixtures.sh).
const std::string& fixture_dir() {
  static const std::string dir = [] {
    if (!have_go()) return std::string();
    std::string out =
        (fs::temp_directory_path() / ("hivesec-gobin-" + std::to_string(getpid()))).string();
    std::string cmd = std::string("bash ") + HIVESEC_SOURCE_DIR +
                      "/tests/data/gobinary/build_fixtures.sh " + out + " >&2";
    if (std::system(cmd.c_str()) != 0) return std::string("FAILED");
    return out;
  }();
  // Removes the built binaries when the test process exits.
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty() && dir != "FAILED") fs::remove_all(dir, ec);
    }
  } cleanup;
  return dir;
}

#define REQUIRE_FIXTURES()                                            \
  do {                                                                \
    if (fixture_dir().empty()) GTEST_SKIP() << "no Go toolchain";     \
    ASSERT_NE(fixture_dir(), "FAILED") << "build_fixtures.sh failed"; \
  } while (0)

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

// What `go version -m` says, reduced to comparable lines.
struct GoReport {
  std::string go_version;
  std::vector<std::string> lines;  // "path p", "mod p v s", "dep p v s", "=> p v s", "build k"
};

GoReport go_version_m(const std::string& path) {
  GoReport r;
  std::string out = run_command("go version -m '" + path + "' 2>/dev/null");
  std::istringstream in(out);
  std::string line;
  if (std::getline(in, line) && line.starts_with(path + ": ")) {
    r.go_version = line.substr(path.size() + 2);
  }
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '\t' || line.size() == 1) continue;
    auto f = split(line.substr(1), '\t');
    if (f[0] == "build") {
      std::string kv = line.substr(7);
      r.lines.push_back("build " + kv.substr(0, kv.find('=')));
      continue;
    }
    std::string joined = f[0];
    for (size_t i = 1; i < 4; ++i) joined += " " + (i < f.size() ? f[i] : std::string());
    if (f[0] == "path") joined = "path " + f[1];
    r.lines.push_back(joined);
  }
  return r;
}

GoReport ours(const GoBuildInfo& bi) {
  GoReport r;
  r.go_version = bi.go_version;
  if (!bi.path.empty()) r.lines.push_back("path " + bi.path);
  auto mod = [&](const std::string& kind, const GoModule& m) {
    r.lines.push_back(kind + " " + m.path + " " + m.version + " " + m.sum);
    if (!m.replace_path.empty()) {
      r.lines.push_back("=> " + m.replace_path + " " + m.replace_version + " " + m.replace_sum);
    }
  };
  if (!bi.main.path.empty()) mod("mod", bi.main);
  for (const auto& d : bi.deps) mod("dep", d);
  for (const auto& [k, v] : bi.settings) {
    std::string key = k;
    // go version -m re-quotes keys that need it; ours are unquoted.
    if (key.find_first_of(" \t\"=") != std::string::npos) key = "\"" + key;
    r.lines.push_back("build " + key);
  }
  return r;
}

void expect_matches_go(const std::string& path) {
  SCOPED_TRACE(path);
  GoReport want = go_version_m(path);
  ASSERT_FALSE(want.go_version.empty()) << "go version -m gave nothing";
  auto bi = read_go_buildinfo(read_file(path));
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  GoReport got = ours(*bi);
  EXPECT_EQ(got.go_version, want.go_version);
  EXPECT_EQ(got.lines, want.lines);
}

TEST(GoBuildInfo, MatchesGoVersionOnFixtures) {
  REQUIRE_FIXTURES();
  for (const char* name : {"mod_amd64", "mod_386", "mod_s390x", "gopath"}) {
    expect_matches_go(fixture_dir() + "/" + name);
  }
}

TEST(GoBuildInfo, MatchesGoVersionOnDebianBinaries) {
  if (!have_go()) GTEST_SKIP() << "no Go toolchain";
  int checked = 0;
  for (const char* path :
       {"/usr/sbin/runc", "/usr/bin/skopeo", "/usr/bin/docker-registry", "/usr/bin/podman"}) {
    if (!fs::exists(path)) continue;
    expect_matches_go(path);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no Debian-built Go binary installed";
}

TEST(GoBuildInfo, StrippedSectionHeadersFallBackToDataSegment) {
  REQUIRE_FIXTURES();
  for (const char* name : {"mod_amd64", "mod_386", "mod_s390x"}) {
    std::string path = fixture_dir() + "/" + name;
    std::string bin = read_file(path);
    auto want = read_go_buildinfo(bin);
    ASSERT_TRUE(want.ok());
    auto elf = ElfFile::parse(bin);
    ASSERT_TRUE(elf.ok());
    bool is64 = elf->is_64(), be = elf->big_endian();
    // Like sstrip: no section header table at all.
    testing::put_uint(bin, is64 ? 40 : 32, 0, is64 ? 8 : 4, be);
    testing::put_uint(bin, is64 ? 60 : 48, 0, 2, be);
    testing::put_uint(bin, is64 ? 62 : 50, 0, 2, be);
    auto got = read_go_buildinfo(bin);
    ASSERT_TRUE(got.ok()) << name << ": " << got.error().message;
    EXPECT_EQ(ours(*got).lines, ours(*want).lines) << name;
    EXPECT_EQ(got->go_version, want->go_version);
  }
}

std::string toolchain_version() {
  std::string v = run_command("go env GOVERSION");
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

TEST(GoBinaryAnalyzer, ReportsModulesAndStdlib) {
  REQUIRE_FIXTURES();
  auto a = make_gobinary_analyzer();
  std::string bin = read_file(fixture_dir() + "/mod_amd64");
  FileInfo fi{.path = "usr/local/bin/hello", .mode = 0755, .size = int64_t(bin.size())};
  ASSERT_TRUE(a->required(fi));
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(fi, bin, out).ok());
  ASSERT_EQ(out.packages.size(), 3u);
  const std::string gover = toolchain_version();
  const std::string stdv = go_stdlib_version(gover);
  ASSERT_FALSE(stdv.empty());
  const auto& main = out.packages[0];
  EXPECT_EQ(main.purl, "pkg:golang/example.com/org/hello");
  EXPECT_EQ(main.namespace_, "example.com/org");
  EXPECT_EQ(main.name, "hello");
  EXPECT_EQ(main.version, "");
  EXPECT_EQ(main.metadata.at("build:GOARCH"), "amd64");
  const auto& dep = out.packages[1];
  EXPECT_EQ(dep.purl, "pkg:golang/example.com/greet@v1.2.3");
  EXPECT_EQ(dep.metadata.at("replace_path"), "../greet");
  const auto& stdlib = out.packages[2];
  EXPECT_EQ(stdlib.name, "stdlib");
  EXPECT_EQ(stdlib.version, stdv);
  EXPECT_EQ(stdlib.purl, "pkg:golang/stdlib@" + stdv);
  for (const auto& p : out.packages) {
    EXPECT_EQ(p.type, "golang");
    EXPECT_EQ(p.metadata.at("go_version"), gover);
    EXPECT_EQ(p.metadata.at("main_module"), "example.com/org/hello");
  }
}

TEST(GoBinaryAnalyzer, GopathBinaryReportsOnlyStdlib) {
  REQUIRE_FIXTURES();
  auto a = make_gobinary_analyzer();
  std::string bin = read_file(fixture_dir() + "/gopath");
  AnalysisOutput out;
  ASSERT_TRUE(a->analyze(FileInfo{.path = "bin/plain", .mode = 0755}, bin, out).ok());
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].purl, "pkg:golang/stdlib@" + go_stdlib_version(toolchain_version()));
  EXPECT_EQ(out.packages[0].metadata.count("main_module"), 0u);
}

TEST(GoBinaryAnalyzer, RequiredIsExecutableRegularFilesOfSomeSize) {
  auto a = make_gobinary_analyzer();
  EXPECT_TRUE(a->required(FileInfo{.path = "a", .mode = 0755, .size = 1 << 20}));
  EXPECT_FALSE(a->required(FileInfo{.path = "a", .mode = 0644, .size = 1 << 20}));
  EXPECT_FALSE(a->required(FileInfo{.path = "a", .mode = 0755, .size = 100}));
  EXPECT_FALSE(a->required(
      FileInfo{.path = "a", .type = FileType::kSymlink, .mode = 0777, .size = 1 << 20}));
}

TEST(GoBinaryAnalyzer, IgnoresNonGoFiles) {
  auto a = make_gobinary_analyzer();
  AnalysisOutput out;
  EXPECT_TRUE(a->analyze(FileInfo{.path = "x"}, "#!/bin/sh\nexit 0\n", out).ok());
  std::string c_elf = build_test_elf(true, false, {{0x1000, std::string(64, 'x'), 6}}, {});
  EXPECT_TRUE(a->analyze(FileInfo{.path = "x"}, c_elf, out).ok());
  EXPECT_TRUE(out.packages.empty());
  EXPECT_EQ(read_go_buildinfo(c_elf).error().code, Errc::kNotFound);
}

// Pre-1.18 layout: header pointers -> Go string headers -> bytes, through the data segment.
std::string old_layout_elf(bool is64, bool be, const std::string& version,
                           const std::string& modinfo, bool with_section) {
  const uint64_t base = 0x500000;
  const size_t ps = is64 ? 8 : 4;
  std::string seg(1024 + modinfo.size(), '\0');
  seg.replace(0, 14, std::string("\xff Go buildinf:", 14));
  seg[14] = static_cast<char>(ps);
  seg[15] = be ? 1 : 0;
  auto put = [&](size_t at, uint64_t v) { testing::put_uint(seg, at, v, ps, be); };
  put(16, base + 64);
  put(16 + ps, base + 96);
  put(64, base + 128);
  put(64 + ps, version.size());
  put(96, base + 256);
  put(96 + ps, modinfo.size());
  seg.replace(128, version.size(), version);
  seg.replace(256, modinfo.size(), modinfo);
  std::vector<testing::TestSection> secs;
  if (with_section) secs.push_back({".go.buildinfo", seg.substr(0, 32), base});
  return build_test_elf(is64, be, {{base, seg, 6}}, secs);
}

const std::string kSentinelStart("0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16);
const std::string kSentinelEnd("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2",
                               16);

TEST(GoBuildInfo, OldPointerLayoutAllByteOrders) {
  std::string text =
      "path\texample.com/app\n"
      "mod\texample.com/app\t(devel)\t\n"
      "dep\tgithub.com/a/b\tv1.0.0\th1:abc=\n"
      "dep\tgolang.org/x/sys\tv0.1.0\th1:x=\n"
      "=>\tgolang.org/x/sys\tv0.2.0\th1:y=\n";
  std::string modinfo = kSentinelStart + text + kSentinelEnd;
  for (bool is64 : {true, false}) {
    for (bool be : {false, true}) {
      for (bool sec : {true, false}) {
        SCOPED_TRACE(::testing::Message() << is64 << be << sec);
        auto bi = read_go_buildinfo(old_layout_elf(is64, be, "go1.16.15", modinfo, sec));
        ASSERT_TRUE(bi.ok()) << bi.error().message;
        EXPECT_EQ(bi->go_version, "go1.16.15");
        EXPECT_EQ(bi->path, "example.com/app");
        ASSERT_EQ(bi->deps.size(), 2u);
        EXPECT_EQ(bi->deps[1].replace_version, "v0.2.0");
      }
    }
  }
  // The analyzer follows versioned replacements.
  AnalysisOutput out;
  auto a = make_gobinary_analyzer();
  ASSERT_TRUE(a->analyze(FileInfo{.path = "app"},
                         old_layout_elf(true, false, "go1.16.15", modinfo, true), out)
                  .ok());
  ASSERT_EQ(out.packages.size(), 4u);
  EXPECT_EQ(out.packages[2].purl, "pkg:golang/golang.org/x/sys@v0.2.0");
  EXPECT_EQ(out.packages[2].metadata.at("replaces"), "golang.org/x/sys@v0.1.0");
  EXPECT_EQ(out.packages[3].purl, "pkg:golang/stdlib@1.16.15");
}

TEST(GoBuildInfo, MalformedInputIsAnErrorNotACrash) {
  std::string good =
      old_layout_elf(true, false, "go1.16", kSentinelStart + "path\tx\n" + kSentinelEnd, false);
  ASSERT_TRUE(read_go_buildinfo(good).ok());
  // Every truncation of the file.
  for (size_t n = 0; n < good.size(); n += 7) (void)read_go_buildinfo(good.substr(0, n));
  // Pointer to an unmapped address.
  auto elf = ElfFile::parse(good);
  size_t hdr = elf->segments()[0].offset;
  std::string bad_ptr = good;
  testing::put_uint(bad_ptr, hdr + 16, 0xdead0000, 8, false);
  EXPECT_EQ(read_go_buildinfo(bad_ptr).error().code, Errc::kCorrupt);
  // Bad pointer size.
  std::string bad_ps = good;
  bad_ps[hdr + 14] = 3;
  EXPECT_EQ(read_go_buildinfo(bad_ps).error().code, Errc::kCorrupt);
  // Inline layout with a huge or unterminated varint length.
  std::string inl = good;
  inl[hdr + 15] = 2;
  inl.replace(hdr + 32, 10, std::string(10, '\xff'));
  EXPECT_FALSE(read_go_buildinfo(inl).ok());
  inl.replace(hdr + 32, 5, std::string("\xff\xff\xff\xff\x0f", 5));
  EXPECT_FALSE(read_go_buildinfo(inl).ok());
  // Empty version string.
  EXPECT_FALSE(read_go_buildinfo(old_layout_elf(true, false, "", "", false)).ok());
  // The analyzer turns these into errors (notes), never packages.
  AnalysisOutput out;
  EXPECT_FALSE(make_gobinary_analyzer()->analyze(FileInfo{.path = "x"}, bad_ptr, out).ok());
  EXPECT_TRUE(out.packages.empty());
}

TEST(GoBuildInfo, StdlibVersion) {
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {
      {"go1.19.8", "1.19.8"},
      {"go1.21.0 X:boringcrypto", "1.21.0"},
      {"go1.19", "1.19.0"},
      {"go1.21rc2", "1.21rc2"},
      {"devel +abc Tue", ""},
      {"devel go1.22-abc", ""},
      {"", ""},
      {"go", ""},
      {"go1.22.1\tX:nocoverage", "1.22.1"},
  };
  for (const auto& c : cases) EXPECT_EQ(go_stdlib_version(c.in), c.want) << c.in;
}

TEST(GoBuildInfo, ModinfoLines) {
  GoBuildInfo bi;
  ASSERT_TRUE(parse_go_modinfo("path\tp\nmod\tm\tv1.0.0\th1:m=\n"
                               "dep\td\tv1.1.0\nbogus line\n"
                               "build\t-ldflags=\"-X main.v=1 -s\"\n"
                               "build\t\"weird key\"=x\nbuild\tGOOS=linux",
                               bi)
                  .ok());
  EXPECT_EQ(bi.main.version, "v1.0.0");
  EXPECT_EQ(bi.main.sum, "h1:m=");
  ASSERT_EQ(bi.deps.size(), 1u);
  EXPECT_EQ(bi.deps[0].sum, "");
  ASSERT_EQ(bi.settings.size(), 3u);
  EXPECT_EQ(bi.settings[0].second, "-X main.v=1 -s");
  EXPECT_EQ(bi.settings[1].first, "weird key");
  EXPECT_EQ(bi.settings[2], (std::pair<std::string, std::string>("GOOS", "linux")));

  GoBuildInfo orphan;
  EXPECT_EQ(parse_go_modinfo("=>\tx\tv1\n", orphan).error().code, Errc::kCorrupt);
  GoBuildInfo twice;
  EXPECT_FALSE(parse_go_modinfo("dep\ta\tv1\n=>\tb\tv2\n=>\tc\tv3\n", twice).ok());
}

}  // namespace
}  // namespace hivesec::analyze
