#include "versions/semver.h"

#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

using testing::Gen;

int cmp(std::string_view a, std::string_view b) {
  auto r = compare_versions(*make_semver_scheme(), a, b);
  EXPECT_TRUE(r.ok()) << a << " vs " << b;
  return r.ok() ? *r : 99;
}

TEST(SemverScheme, OrdersAsSemVerSpec) {
  // The precedence chain of SemVer 2.0.0 §11.
  const char* chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                         "1.1.0",       "2.0.0",         "10.0.0"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_EQ(cmp(chain[i], chain[i + 1]), -1) << chain[i] << " < " << chain[i + 1];
    EXPECT_EQ(cmp(chain[i + 1], chain[i]), 1);
  }
  EXPECT_EQ(cmp("1.0.0+build.1", "1.0.0+other"), 0);
  EXPECT_EQ(cmp("v1.2.3", "=1.2.3"), 0);
  EXPECT_EQ(cmp(" =v1.2.3 ", "1.2.3"), 0);
  EXPECT_EQ(cmp("1.0.0-2", "1.0.0-10"), -1);
  EXPECT_EQ(cmp("1.0.0-a10", "1.0.0-a9"), -1);  // alphanumeric: ASCII order
  EXPECT_EQ(cmp("1.0.0-1", "1.0.0--"), -1);     // numeric below alphanumeric
}

TEST(SemverScheme, RejectsInvalid) {
  auto s = make_semver_scheme();
  for (const char* bad :
       {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b",
        "a.b.c", "1.2.3 4", "vv1.2.3", "9007199254740992.0.0", "1.2.3-é"}) {
    EXPECT_FALSE(s->validate(bad).ok()) << bad;
  }
  EXPECT_TRUE(s->validate("9007199254740991.0.0").ok());
  EXPECT_EQ(s->validate(std::string(300, '1')).error().code, Errc::kLimit);
}

TEST(NpmRange, Table) {
  struct Case {
    const char* range;
    const char* version;
    bool want;
  };
  const Case cases[] = {
      {"^1.2.3", "1.9.9", true},
      {"^1.2.3", "2.0.0", false},
      {"^1.2.3", "1.2.2", false},
      {"^0.2.3", "0.2.9", true},
      {"^0.2.3", "0.3.0", false},
      {"^0.0.3", "0.0.4", false},
      {"^0.0.3", "0.0.3", true},
      {"^1.x", "1.99.0", true},
      {"^0.x", "0.9.0", true},
      {"~1.2.3", "1.2.9", true},
      {"~1.2.3", "1.3.0", false},
      {"~1", "1.9.0", true},
      {"~>1.2", "1.2.5", true},
      {"1.x", "1.5.5", true},
      {"1.X", "2.0.0", false},
      {"*", "0.0.1", true},
      {"", "3.0.0", true},
      {"1.2.3 - 2.3.4", "2.3.4", true},
      {"1.2.3 - 2.3", "2.3.9", true},
      {"1.2.3 - 2.3", "2.4.0", false},
      {"1.2 - 2", "1.2.0", true},
      {"<=1.x", "1.9.9", true},
      {"<=1.x", "2.0.0", false},
      {">1.2", "1.2.9", false},
      {">1.2", "1.3.0", true},
      {"<1.2", "1.1.9", true},
      {">=1.0.0 <2.0.0", "1.5.0", true},
      {"> 1.0.0 < 2.0.0", "2.0.0", false},
      {"1.0.0 || 2.0.0", "2.0.0", true},
      {"<1.0.0 || >=3", "2.0.0", false},
      {"=1.2.3", "1.2.3", true},
      {"v1.2.3", "1.2.3", true},
      {"1.2.3+build", "1.2.3", true},
      {"<*", "1.0.0", false},
      // The prerelease rule.
      {"^1.2.3-beta.2", "1.2.3-beta.4", true},
      {"^1.2.3-beta.2", "1.2.4-beta.4", false},
      {"^1.2.3", "1.2.4-beta", false},
      {">1.2.3-alpha.3", "1.2.3-alpha.7", true},
      {">1.2.3-alpha.3", "3.4.5-alpha.9", false},
      {"*", "1.0.0-rc.1", false},
      {"* || 1.0.0-rc.1", "1.0.0-rc.1", false},  // a lone `*` set absorbs the others
      {">=1.0.0-0 <2.0.0", "1.0.0-rc.1", true},
      {"1.2.3-alpha - 1.2.3", "1.2.3-beta", true},
  };
  for (const auto& c : cases) {
    auto r = npm_range_satisfies(c.range, c.version);
    ASSERT_TRUE(r.ok()) << c.range << ": " << r.error().message;
    EXPECT_EQ(*r, c.want) << c.range << " ~ " << c.version;
  }
  for (const char* bad :
       {"^", ">=", "1.2.3.4", "^1.2.3.4", "- 1.2", ">=a", "1.2-beta", "1 2 3 ++"}) {
    EXPECT_FALSE(npm_range_satisfies(bad, "1.2.3").ok()) << bad;
  }
  EXPECT_FALSE(npm_range_satisfies("^1", "1.2").ok());
}

TEST(NpmRange, GarbageNeverCrashes) {
  Gen g(7);
  auto s = make_semver_scheme();
  for (int i = 0; i < 20000; ++i) {
    std::string a = g.garbage(40), b = g.garbage(40);
    (void)s->validate(a);
    (void)s->compare(a, b);
    (void)npm_range_satisfies(a, b);
    (void)npm_range_satisfies(a, "1.2.3");
  }
  (void)npm_range_satisfies(std::string(5000, '^'), "1.2.3");
  std::string many;
  for (int i = 0; i < 400; ++i) many += ">=1.0.0 ";
  EXPECT_EQ(npm_range_satisfies(many, "1.2.3").error().code, Errc::kLimit);
}

// ---- differential test against npm's own `semver` package ----

std::string gen_version(Gen& g) {
  static const std::vector<std::string> kNum = {"0", "1", "2", "3", "10", "1", "0", "2"};
  static const std::vector<std::string> kPre = {"alpha",  "beta", "rc", "0", "1", "2",     "11",
                                                "alpha1", "a-b",  "-",  "x", "X", "beta10"};
  static const std::vector<std::string> kPrefix = {"", "", "", "", "v", "=", "=v", " "};
  std::string v = g.pick(kPrefix) + g.pick(kNum) + "." + g.pick(kNum) + "." + g.pick(kNum);
  if (g.chance(45)) {
    v += "-" + g.pick(kPre);
    while (g.chance(35)) v += "." + g.pick(kPre);
  }
  if (g.chance(10)) v += "+build." + g.pick(kNum);
  if (g.chance(4)) {
    static const std::vector<std::string> kBad = {"1.2",   "01.2.3",   "1.2.3-", "1.2.3.4", "1..2",
                                                  "a.b.c", "1.2.3-01", "1.2.3+", "v"};
    v = g.pick(kBad);
  }
  return v;
}

std::string gen_partial(Gen& g, bool allow_pre) {
  static const std::vector<std::string> kNum = {"0", "1", "2", "3", "1", "0", "x", "X", "*"};
  static const std::vector<std::string> kPre = {"alpha", "beta", "0", "1", "rc.1", "beta.2"};
  std::string p = g.chance(10) ? "v" : "";
  int parts = g.uniform(1, 3);
  // After a wildcard npm wants wildcards (`1.x.2` is invalid): mostly generate valid orders.
  bool wild = false;
  auto part = [&] {
    std::string n = wild && g.chance(85) ? "x" : g.pick(kNum);
    wild = wild || n == "x" || n == "X" || n == "*";
    return n;
  };
  p += part();
  if (parts >= 2) p += "." + part();
  if (parts >= 3) {
    p += "." + part();
    if (allow_pre && g.chance(30)) p += "-" + g.pick(kPre);
  }
  return p;
}

std::string gen_range(Gen& g) {
  static const std::vector<std::string> kOps = {"", "", "=", "<", "<=", ">", ">=", "^", "~", "~>"};
  std::string r;
  int sets = g.uniform(1, 3);
  for (int s = 0; s < sets; ++s) {
    if (s) r += g.chance(70) ? " || " : "||";
    if (g.chance(20)) {
      r += gen_partial(g, true) + " - " + gen_partial(g, true);
      continue;
    }
    int toks = g.uniform(1, 3);
    for (int t = 0; t < toks; ++t) {
      if (t) r += " ";
      r += g.pick(kOps);
      if (g.chance(10)) r += " ";
      r += gen_partial(g, true);
    }
  }
  if (g.chance(3)) r += g.pick(std::vector<std::string>{" -", "^", ".", "1.2.3.4", "+b"});
  return r;
}

constexpr const char* kNodeScript = R"JS(
const semver = require(process.argv[2] + '/node_modules/semver');
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
const parse = (s) => { try { return new semver.SemVer(s.trim().replace(/^=/, '')); } catch (e) { return null; } };
for (const line of lines) {
  if (!line) continue;
  const [kind, a, b] = line.split('\t');
  if (kind === 'C') {
    const va = parse(a), vb = parse(b);
    out.push(va && vb ? String(semver.compare(va, vb)) : 'I');
  } else {
    const v = parse(b);
    if (!v) { out.push('I'); continue; }
    let r;
    try { r = new semver.Range(a); } catch (e) { out.push('E'); continue; }
    out.push(r.test(v) ? '1' : '0');
  }
}
process.stdout.write(out.join('\n') + '\n');
)JS";

TEST(SemverDifferential, MatchesNpmSemver) {
  if (!testing::have_command("node") || !testing::have_command("npm")) {
    GTEST_SKIP() << "node/npm not installed";
  }
  const std::string dir = "/tmp/hivesec_npm_semver";
  if (std::system(("test -f " + dir +
                   "/node_modules/semver/package.json || npm install --silent "
                   "--no-audit --no-fund --prefix " +
                   dir + " semver >/dev/null 2>&1")
                      .c_str()) != 0) {
    GTEST_SKIP() << "npm install semver failed (no registry access?)";
  }
  testing::write_file(dir + "/diff.js", kNodeScript);
  Gen g(20240601);
  std::vector<std::pair<std::string, std::string>> cmp_cases, sat_cases;
  for (int i = 0; i < 6000; ++i) cmp_cases.emplace_back(gen_version(g), gen_version(g));
  for (int i = 0; i < 12000; ++i) sat_cases.emplace_back(gen_range(g), gen_version(g));
  std::string input;
  for (auto& [a, b] : cmp_cases) input += "C\t" + a + "\t" + b + "\n";
  for (auto& [a, b] : sat_cases) input += "S\t" + a + "\t" + b + "\n";
  auto out = testing::run_with_stdin("node " + dir + "/diff.js " + dir, input);
  ASSERT_TRUE(out.has_value()) << "node failed";
  ASSERT_EQ(out->size(), cmp_cases.size() + sat_cases.size());
  auto scheme = make_semver_scheme();
  int disagreements = 0, valid_cmp = 0, valid_sat = 0;
  for (size_t i = 0; i < cmp_cases.size(); ++i) {
    auto& [a, b] = cmp_cases[i];
    auto r = compare_versions(*scheme, a, b);
    std::string mine = r.ok() ? std::to_string(*r) : "I";
    if (r.ok()) ++valid_cmp;
    if (mine != (*out)[i] && disagreements++ < 20) {
      ADD_FAILURE() << "compare '" << a << "' '" << b << "': npm " << (*out)[i] << ", ours "
                    << mine;
    }
  }
  for (size_t i = 0; i < sat_cases.size(); ++i) {
    auto& [range, v] = sat_cases[i];
    const std::string& want = (*out)[cmp_cases.size() + i];
    std::string mine;
    if (!parse_semver(v).ok()) {
      mine = "I";
    } else {
      auto r = npm_range_satisfies(range, v);
      mine = r.ok() ? (*r ? "1" : "0") : "E";
      if (r.ok()) ++valid_sat;
    }
    if (mine != want && disagreements++ < 20) {
      ADD_FAILURE() << "satisfies '" << range << "' '" << v << "': npm " << want << ", ours "
                    << mine;
    }
  }
  EXPECT_EQ(disagreements, 0);
  std::printf("semver differential: %zu compare (%d valid) + %zu satisfies (%d valid) cases\n",
              cmp_cases.size(), valid_cmp, sat_cases.size(), valid_sat);
}

}  // namespace
}  // namespace hivesec::versions
