// Differential test of the go scheme's module versions against Go's own ordering
// (golang.org/x/mod/semver as vendored in the installed Go toolchain's source tree, built with
// tests/data/versions/gosemver into a temporary directory): generated release, prerelease,
// pseudo-version, +incompatible and shorthand versions must order the same. Toolchain versions
// (go1.21rc2) have no reference in Go 1.19 and are covered by GoScheme's tables.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

namespace fs = std::filesystem;
using testing::Pair;

// Builds the oracle; "" when Go or the vendored semver package is not there.
std::string build_oracle(const fs::path& dir) {
  if (std::system("command -v go >/dev/null 2>&1") != 0) return "";
  std::string root_cmd = "go env GOROOT > " + (dir / "goroot").string();
  fs::create_directories(dir);
  if (std::system(root_cmd.c_str()) != 0) return "";
  std::string goroot;
  {
    FILE* f = std::fopen((dir / "goroot").c_str(), "r");
    if (f == nullptr) return "";
    char buf[4096];
    if (std::fgets(buf, sizeof buf, f) != nullptr) goroot = buf;
    std::fclose(f);
  }
  while (!goroot.empty() && (goroot.back() == '\n' || goroot.back() == '\r')) goroot.pop_back();
  fs::path semver = fs::path(goroot) / "src/cmd/vendor/golang.org/x/mod/semver/semver.go";
  if (!fs::exists(semver)) return "";
  const fs::path src = fs::path(HIVESEC_SOURCE_DIR) / "tests/data/versions/gosemver";
  fs::create_directories(dir / "src/semver");
  fs::copy_file(src / "main.go", dir / "src/main.go", fs::copy_options::overwrite_existing);
  fs::copy_file(src / "go.mod", dir / "src/go.mod", fs::copy_options::overwrite_existing);
  fs::copy_file(semver, dir / "src/semver/semver.go", fs::copy_options::overwrite_existing);
  std::string build =
      "cd " + (dir / "src").string() +
      " && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOPATH=" + (dir / "gopath").string() +
      " GOCACHE=" + (dir / "cache").string() + " go build -o " + (dir / "gosemver").string() +
      " . >/dev/null 2>&1";
  if (std::system(build.c_str()) != 0) return "";
  return (dir / "gosemver").string();
}

std::string random_go(std::mt19937& rng) {
  auto num = [&] { return std::to_string(rng() % 4 == 0 ? rng() % 30 : rng() % 3); };
  std::string v = num() + "." + num() + "." + num();
  switch (rng() % 10) {
    case 0:  // shorthand
      return num() + (rng() % 2 ? "" : "." + num());
    case 1:
    case 2: {  // pseudo-versions of the three forms
      static const char* kTimes[] = {"20190101000000", "20220906165146", "20220906165147"};
      std::string t = kTimes[rng() % 3];
      std::string h = rng() % 2 ? "f3363e06e74c" : "aaaaaaaaaaaa";
      switch (rng() % 3) {
        case 0:
          return num() + ".0.0-" + t + "-" + h;
        case 1:
          return v + "-0." + t + "-" + h;
        default:
          return v + "-pre.0." + t + "-" + h;
      }
    }
    case 3:
    case 4: {
      static const char* kPre[] = {"alpha", "alpha.1", "beta.2",   "rc.1", "rc.10",
                                   "0",     "1",       "x.7.z.92", "pre"};
      v += std::string("-") + kPre[rng() % std::size(kPre)];
      break;
    }
    case 5:
      v += "+incompatible";
      break;
    default:
      break;
  }
  return v;
}

TEST(GoDifferential, ModuleVersionsMatchGoSemver) {
  fs::path dir = fs::temp_directory_path() / ("hivesec-gosemver-" + std::to_string(getpid()));
  std::string oracle = build_oracle(dir);
  if (oracle.empty()) {
    fs::remove_all(dir);
    GTEST_SKIP() << "go or its vendored golang.org/x/mod/semver not available";
  }
  auto s = make_go_scheme();
  std::mt19937 rng(1907);
  std::vector<std::string> pool;
  for (int i = 0; i < 800; ++i) pool.push_back("v" + random_go(rng));
  // Invalid module versions: both must refuse them.
  for (const char* bad : {"v01.2.3", "v1.2.3-", "v1.2-pre", "v1.2.3.4", "v1.02.3", "v1.2.3-01",
                          "vv1.2.3", "v1.2.3+", "v1.2.3-a..b"}) {
    pool.push_back(bad);
  }
  std::vector<Pair> pairs;
  for (int i = 0; i < 4000; ++i) {
    const std::string& a = pool[rng() % pool.size()];
    pairs.emplace_back(a, rng() % 5 == 0 ? a : pool[rng() % pool.size()]);
  }
  auto want = testing::run_oracle(oracle, pairs);
  fs::remove_all(dir);
  ASSERT_TRUE(want.has_value()) << "oracle failed";
  int compared = 0, disagreements = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    auto got = compare_versions(*s, a, b);
    if ((*want)[i] == "E" || !got.ok()) {
      EXPECT_EQ((*want)[i] == "E", !got.ok()) << a << " / " << b << ": validity differs";
      continue;
    }
    ++compared;
    std::string g = testing::sign_name(*got);
    if (g != (*want)[i] && disagreements++ < 20) {
      ADD_FAILURE() << "'" << a << "' vs '" << b << "': Go " << (*want)[i] << ", we " << g;
    }
  }
  std::printf("go differential: %d pairs compared, %d disagreements\n", compared, disagreements);
  EXPECT_GT(compared, 3500);
  EXPECT_EQ(disagreements, 0);
}

}  // namespace
}  // namespace hivesec::versions
