// The secret engine: confirmation, keywords, entropy, allowlists, masking, line numbers,
// dedupe, binary files, chunk independence; and every bundled rule against its own examples.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "common/embedded.h"
#include "secrets/engine.h"
#include "secrets/examples.h"

namespace hivesec::secrets {
namespace {

constexpr std::string_view kTestRules = R"(
allow:
  paths: ['^usr/share/doc/']
  values: ['^\$\{[A-Z_]+\}$']
  stopwords: [example]
rules:
  - id: demo-token
    title: Demo token
    severity: high
    keywords: [dmo_]
    regex: '\b(?P<secret>dmo_[A-Za-z0-9]{24})\b'
    entropy: 3.5
    allow: {stopwords: [notreal], values: ['^dmo_0']}
    examples: {match: ['dmo_{alnum:24}'], nomatch: ['dmo_{x:24}']}
  - id: demo-assign
    title: Demo assignment
    severity: medium
    keywords: [demokey]
    case_insensitive: true
    regex: 'demokey\s*=\s*(\S{8,64})'
    examples: {match: ['DEMOKEY = {alnum:12}'], nomatch: ['demokey = abc']}
  - id: demo-block
    title: Demo block
    severity: critical
    keywords: ['begin demo']
    regex: '-----BEGIN DEMO-----\n(?P<secret>[A-Za-z0-9+/=\s]{64,}?)\n-----END DEMO-----'
    entropy: 4.0
    examples:
      match: ["-----BEGIN DEMO-----\n{base64:64}\n{base64:64}\n-----END DEMO-----"]
      nomatch: ["-----BEGIN DEMO-----\nshort\n-----END DEMO-----"]
  - id: demo-binary
    title: Demo token in a keystore
    severity: low
    keywords: [bin_]
    paths: ['\.keystore$']
    regex: 'bin_[a-z]{10}'
    examples: {match: ['bin_{lower:10}'], nomatch: ['bin_{lower:3}']}
)";

std::shared_ptr<const Engine> test_engine() {
  static std::shared_ptr<const Engine> engine = [] {
    auto f = parse_rule_file("test.yaml", kTestRules);
    EXPECT_TRUE(f.ok()) << f.error().message;
    auto set = combine_rule_files({*f}, {});
    EXPECT_TRUE(set.ok());
    auto e = Engine::build(*set);
    EXPECT_TRUE(e.ok()) << e.error().message;
    return std::shared_ptr<const Engine>(std::move(e).value());
  }();
  return engine;
}

std::string expand(std::string_view t, uint64_t seed = 7) {
  auto s = expand_example(t, seed);
  EXPECT_TRUE(s.ok());
  return s.ok() ? *s : std::string();
}

// "rule@line:masked" for every match, in order.
std::vector<std::string> describe(const Engine& e, const StreamResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.matches) {
    out.push_back(fmt::format("{}@{}:{}", e.rules().rules[m.rule].id, m.line, m.masked));
  }
  return out;
}

StreamResult scan_chunks(const Engine& e, std::string_view path, std::string_view text,
                         const std::vector<size_t>& sizes) {
  auto s = e.open(path);
  EXPECT_TRUE(s.ok());
  size_t pos = 0, i = 0;
  while (pos < text.size()) {
    size_t n = std::min(sizes[i++ % sizes.size()], text.size() - pos);
    EXPECT_TRUE((*s)->feed(text.substr(pos, n)).ok());
    pos += n;
  }
  auto r = (*s)->finish();
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : StreamResult{};
}

std::vector<std::string> scan(std::string_view text, std::string_view path = "app/config.txt") {
  auto e = test_engine();
  auto r = e->scan(path, text);
  EXPECT_TRUE(r.ok());
  return describe(*e, *r);
}

TEST(SecretsMask, KeepsAtMostAThird) {
  EXPECT_EQ(mask_secret(""), "");
  EXPECT_EQ(mask_secret("abc"), "***");
  EXPECT_EQ(mask_secret("abcdef"), "a****f");
  EXPECT_EQ(mask_secret("abcdefghijkl"), "ab********kl");
  EXPECT_EQ(mask_secret("abcdefghijklmnop"), "ab************op");  // 16: 2 each side
  EXPECT_EQ(mask_secret("abcdefghijklmnopqrstuvwx"), "abcd****************uvwx");  // 24: 4
  std::string long_secret(2000, 'Q');
  long_secret.front() = 'M';
  long_secret.back() = 'Z';
  EXPECT_EQ(mask_secret(long_secret), "MQQQ" + std::string(24, '*') + "QQQZ");
  EXPECT_EQ(mask_secret("\nabcdefghijklmnopqrstuvw"), "*abc****************tuvw");
  for (size_t n = 0; n < 100; ++n) {
    std::string s(n, 'k');
    std::string m = mask_secret(s);
    size_t shown = static_cast<size_t>(std::count(m.begin(), m.end(), 'k'));
    EXPECT_LE(shown * 3, n) << n;
  }
}

TEST(SecretsEntropy, Values) {
  EXPECT_DOUBLE_EQ(shannon_entropy(""), 0);
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaa"), 0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abab"), 1);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcdefgh"), 3);
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_DOUBLE_EQ(shannon_entropy(all), 8);
}

TEST(SecretsEngine, FindsConfirmsAndMasks) {
  std::string tok = expand("dmo_{alnum:24}");
  auto found = scan("a = 1\nkey: " + tok + "\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "demo-token@2:" + mask_secret(tok));
  EXPECT_EQ(found[0].find(tok.substr(4)), std::string::npos);
  // Case-insensitive rule; group 1 is the secret.
  std::string v = expand("{alnum:12}");
  EXPECT_EQ(scan("x\ny\nDemoKey = " + v), (std::vector<std::string>{"demo-assign@3:" + mask_secret(v)}));
  // Near misses: too short, too long, low entropy, glued to a word.
  EXPECT_TRUE(scan(expand("dmo_{alnum:20}")).empty());
  EXPECT_TRUE(scan(expand("dmo_{alnum:30}")).empty());
  EXPECT_TRUE(scan(expand("dmo_{x:24}")).empty());
  EXPECT_TRUE(scan(expand("xdmo_{alnum:24}")).empty());
}

// A warm start reads the rules' analysis from the cache directory and builds the RE2
// confirmations on first use; the findings are the same as a cold start's, also from several
// threads at once, and a damaged analysis file is ignored.
TEST(SecretsEngine, CachedAnalysisGivesTheSameFindings) {
  auto dir = std::filesystem::temp_directory_path() /
             ("hs-secrets-meta-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto f = parse_rule_file("test.yaml", kTestRules);
  ASSERT_TRUE(f.ok());
  auto set = combine_rule_files({*f}, {});
  ASSERT_TRUE(set.ok());
  std::string text = "key: " + expand("dmo_{alnum:24}") + "\nDEMOKEY = " + expand("{alnum:12}") +
                     "\n-----BEGIN DEMO-----\n" + expand("{base64:64}") + "\n-----END DEMO-----\n";
  auto findings = [&](const Engine& e) {
    auto r = e.scan("app/config.txt", text);
    EXPECT_TRUE(r.ok());
    return describe(e, *r);
  };
  auto cold = Engine::build(*set, dir.string());
  ASSERT_TRUE(cold.ok()) << cold.error().message;
  auto expected = findings(**cold);
  ASSERT_EQ(expected.size(), 3u);
  size_t metas = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    metas += e.path().extension() == ".meta";
  }
  ASSERT_EQ(metas, 1u);
  auto warm = Engine::build(*set, dir.string());
  ASSERT_TRUE(warm.ok()) << warm.error().message;
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got) threads.emplace_back([&] { g = findings(**warm); });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".meta") std::ofstream(e.path()) << "garbage";
  }
  auto damaged = Engine::build(*set, dir.string());
  ASSERT_TRUE(damaged.ok()) << damaged.error().message;
  EXPECT_EQ(findings(**damaged), expected);
  std::filesystem::remove_all(dir);
}

TEST(SecretsEngine, Allowlists) {
  std::string tok = expand("dmo_{alnum:24}");
  EXPECT_EQ(scan(tok).size(), 1u);
  EXPECT_TRUE(scan(tok, "usr/share/doc/app/README").empty());  // global allow.paths
  EXPECT_TRUE(test_engine()->skips_path("usr/share/doc/app/README"));
  EXPECT_TRUE(scan("dmo_Example" + expand("{alnum:17}")).empty());  // global stopword
  EXPECT_TRUE(scan("dmo_notreal" + expand("{alnum:17}")).empty());  // rule stopword
  EXPECT_TRUE(scan("dmo_0" + expand("{alnum:23}")).empty());        // rule allow.values
  EXPECT_TRUE(scan("demokey = ${DB_PASSWORD}").empty());            // global allow.values
  EXPECT_EQ(scan("demokey = ${DB_PASSWORD}x").size(), 1u);
}

TEST(SecretsEngine, SkippedNames) {
  auto e = test_engine();
  for (std::string_view p : {"usr/lib/x86_64-linux-gnu/libssl.so.3", "usr/lib/libz.so",
                             "app/static/logo.png", "usr/lib/python3/x.pyc", "a/font.woff2",
                             "app/lib/x.jar", "usr/lib/foo.a"}) {
    EXPECT_TRUE(e->skips_path(p)) << p;
  }
  for (std::string_view p : {"app/.env", "etc/app/config.yaml", "app/settings.py", "usr/bin/run.sh",
                             "a/libfoo.so.conf", "app/.solution"}) {
    EXPECT_FALSE(e->skips_path(p)) << p;
  }
}

TEST(SecretsEngine, LinesAndDedupe) {
  std::string tok = expand("dmo_{alnum:24}");
  std::string other = expand("dmo_{alnum:24}", 99);
  auto found = scan(tok + " " + tok + "\n\n" + tok + "\n" + other + "\n");
  EXPECT_EQ(found, (std::vector<std::string>{"demo-token@1:" + mask_secret(tok),
                                             "demo-token@3:" + mask_secret(tok),
                                             "demo-token@4:" + mask_secret(other)}));
}

TEST(SecretsEngine, BinaryFiles) {
  std::string tok = expand("bin_{lower:10}");
  std::string d = expand("dmo_{alnum:24}");
  std::string binary = std::string("\x7f" "ELF\0\0", 6) + tok + " " + d;
  auto e = test_engine();
  auto r = e->scan("app/blob.bin", binary);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->binary_skipped);
  EXPECT_TRUE(r->matches.empty());
  // A rule whose paths select the file still looks at it; the others do not.
  r = e->scan("app/store.keystore", binary);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->binary_skipped);
  EXPECT_EQ(describe(*e, *r), (std::vector<std::string>{"demo-binary@1:" + mask_secret(tok)}));
  // A NUL after the first 8 KiB does not make the file binary.
  std::string late(kBinarySniff, 'a');
  late += '\n' + std::string(1, '\0') + d + "\n";
  r = e->scan("app/data.txt", late);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->binary_skipped);
  EXPECT_EQ(describe(*e, *r), (std::vector<std::string>{"demo-token@2:" + mask_secret(d)}));
  // Short binary file (finished before 8 KiB arrived).
  r = scan_chunks(*e, "app/x", binary, {1});
  EXPECT_TRUE(r->binary_skipped);
}

// A text with secrets of every test rule spread among filler, some crossing where the engine trims
// its buffer.
std::string big_text(uint64_t seed, size_t filler_lines) {
  std::mt19937_64 rng(seed);
  std::string text;
  std::vector<std::string> secrets = {
      "key = " + expand("dmo_{alnum:24}", seed),
      "DEMOKEY= " + expand("{alnum:20}", seed + 1),
      expand("-----BEGIN DEMO-----\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:64}\n-----END DEMO-----", seed + 2),
      "dmo_" + std::string(24, 'x'),
  };
  for (size_t i = 0; i < filler_lines; ++i) {
    text += fmt::format("2024-01-{:02} INFO worker-{} processed request id={} in {} ms\n", i % 28 + 1,
                        rng() % 16, rng(), rng() % 1000);
    if (rng() % 97 == 0) text += secrets[rng() % secrets.size()] + "\n";
    if (rng() % 500 == 0) text += secrets[0] + " " + secrets[0] + "\n";
  }
  return text;
}

TEST(SecretsEngine, ChunkingDoesNotChangeFindings) {
  auto e = test_engine();
  for (uint64_t seed : {1u, 2u}) {
    std::string text = big_text(seed, seed == 1 ? 6000 : 2500);
    auto whole = e->scan("app/log.txt", text);
    ASSERT_TRUE(whole.ok());
    auto expected = describe(*e, *whole);
    ASSERT_GT(expected.size(), 10u);
    std::vector<std::vector<size_t>> chunkings = {{7}, {4096}, {1 << 20}, {3, 5000, 1, 65536, 77}};
    if (seed == 2) chunkings.push_back({1});
    for (const auto& sizes : chunkings) {
      auto r = scan_chunks(*e, "app/log.txt", text, sizes);
      EXPECT_EQ(describe(*e, r), expected) << "chunk sizes starting " << sizes[0];
    }
  }
}

TEST(SecretsEngine, BlockAcrossChunkBoundary) {
  auto e = test_engine();
  std::string block = expand("-----BEGIN DEMO-----\n{base64:64}\n{base64:64}\n{base64:64}\n-----END DEMO-----");
  std::string text = std::string(100000, 'a') + "\n" + block + "\n";
  auto expected = describe(*e, *e->scan("f", text));
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(expected[0].substr(0, 13), "demo-block@3:");  // the secret starts after BEGIN
  for (size_t cut = 100000; cut < 100000 + block.size(); cut += 37) {
    auto r = scan_chunks(*e, "f", text, {cut, 1 << 20});
    EXPECT_EQ(describe(*e, r), expected) << cut;
  }
}

TEST(SecretsEngine, ManyFindingsAreCapped) {
  auto e = test_engine();
  std::string text;
  for (int i = 0; i < 1000; ++i) text += expand("dmo_A{alnum:23}", static_cast<uint64_t>(i)) + "\n";
  auto whole = e->scan("f", text);
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->truncated);
  EXPECT_EQ(whole->matches.size(), kMaxFindingsPerFile);
  EXPECT_EQ(whole->matches.back().line, static_cast<int>(kMaxFindingsPerFile));
  EXPECT_EQ(describe(*e, scan_chunks(*e, "f", text, {13})), describe(*e, *whole));
}

// Every bundled rule file: each rule's `match` examples make that rule report, its `nomatch`
// examples do not, with several random expansions.
TEST(SecretsBundledRules, EveryRuleMatchesItsExamples) {
  auto files = builtin_rule_files(/*check_examples=*/true);
  ASSERT_TRUE(files.ok()) << files.error().message;
  size_t nfiles = 0;
  for (const auto& f : embedded_rule_files()) nfiles += f.name.starts_with("secrets/") ? 1 : 0;
  ASSERT_GE(nfiles, 1u);
  auto set = combine_rule_files(*files, {});
  ASSERT_TRUE(set.ok()) << set.error().message;
  auto engine = Engine::build(*set);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  const auto& rules = (*engine)->rules().rules;
  StreamOptions o;
  o.ignore_paths = true;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    auto reports = [&](const std::string& text) {
      auto res = (*engine)->scan("example.txt", text, o);
      EXPECT_TRUE(res.ok());
      for (const auto& m : res->matches) {
        if (m.rule == i) return true;
      }
      return false;
    };
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      for (const auto& t : r.match_examples) {
        EXPECT_TRUE(reports(expand(t, seed))) << r.file << ": rule " << r.id << ": match example '"
                                              << t << "' not reported (seed " << seed << ")";
      }
      for (const auto& t : r.nomatch_examples) {
        EXPECT_FALSE(reports(expand(t, seed))) << r.file << ": rule " << r.id << ": nomatch example '"
                                               << t << "' reported (seed " << seed << ")";
      }
    }
  }
}

// TypeScript declaration files name types where the generic rule looks for values
// (`password: BinaryLike;` in @types/node); the same line in a script still reports.
TEST(SecretsBundledRules, GenericPasswordIgnoresTypeScriptDeclarations) {
  auto files = builtin_rule_files(/*check_examples=*/false);
  ASSERT_TRUE(files.ok()) << files.error().message;
  auto set = combine_rule_files(*files, {});
  ASSERT_TRUE(set.ok()) << set.error().message;
  auto engine = Engine::build(*set);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  const std::string text = "  password: Xq7RbW2kLp9ZtV4m;\n";
  auto ids = [&](std::string_view path) {
    auto r = (*engine)->scan(path, text);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    for (const auto& m : r->matches) out.push_back((*engine)->rules().rules[m.rule].id);
    return out;
  };
  EXPECT_EQ(ids("usr/share/nodejs/@types/node/crypto.d.ts"), std::vector<std::string>{});
  EXPECT_EQ(ids("usr/lib/node_modules/x/index.d.mts"), std::vector<std::string>{});
  EXPECT_EQ(ids("app/config.ts"), std::vector<std::string>{"generic-password-assignment"});
}

}  // namespace
}  // namespace hivesec::secrets
