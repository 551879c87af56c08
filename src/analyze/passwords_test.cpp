// Tests of the "password" analyzer: account-file parsing (including hostile lines), the hash
// checks against hashes made at test time by the real libxcrypt, and the time budget.
#include <crypt.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "analyze/account_files.h"
#include "analyze/builtins.h"
#include "analyze/password_check.h"
#include "analyze/passwords.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::run_analyzer;

// A hash of `password` made by the real crypt with a fresh salt of method `prefix`.
std::string make_hash(const char* prefix, unsigned long cost, const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, cost, nullptr, 0, salt, sizeof salt), nullptr) << prefix;
  crypt_data data{};
  const char* h = crypt_rn(password.c_str(), salt, &data, sizeof data);
  EXPECT_NE(h, nullptr);
  EXPECT_NE(h[0], '*');
  return h ? h : "";
}

std::string random_password() {
  std::random_device rd;
  std::string p;
  const char* alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  for (int i = 0; i < 24; ++i) p += alphabet[rd() % 64];
  return p;
}

std::string shadow_line(const std::string& name, const std::string& hash) {
  return name + ":" + hash + ":19700:0:99999:7:::\n";
}

AnalyzerOptions budget(int ms) {
  AnalyzerOptions o;
  o.password_budget_ms = ms;
  return o;
}

const model::Finding* find_rule(const AnalysisOutput& out, std::string_view rule,
                                std::string_view account) {
  for (const auto& f : out.findings) {
    auto it = f.evidence.extra.find("account");
    if (f.rule_id == rule && it != f.evidence.extra.end() && it->second == account) return &f;
  }
  return nullptr;
}

TEST(PasswordFiles, ParsesPasswdAndShadowVariants) {
  auto p = parse_passwd(
      "root:x:0:0:root:/root:/bin/bash\r\n"
      "daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
      "\n"
      "+nisuser::0:0:::\n"
      "toor::0:0::/root:/bin/sh\n"
      "old:abJnggxhB/yWI:1000:1000::/home/old:/bin/sh");
  ASSERT_EQ(p.entries.size(), 4u);
  EXPECT_EQ(p.bad_lines, 0);
  EXPECT_EQ(p.entries[0].field, PasswordField::kShadowed);
  EXPECT_EQ(p.entries[0].uid, 0u);
  EXPECT_EQ(p.entries[1].field, PasswordField::kLocked);
  EXPECT_EQ(p.entries[2].name, "toor");
  EXPECT_EQ(p.entries[2].field, PasswordField::kEmpty);
  EXPECT_EQ(p.entries[2].line, 5);
  EXPECT_EQ(p.entries[3].field, PasswordField::kHash);
  EXPECT_EQ(hash_method(p.entries[3].password).name, "descrypt");

  auto s = parse_shadow("root:*:19000:0:99999:7:::\r\nnobody:!:19000::::::\nu1::19000\nu2:!!\n"
                        "u3:!$6$abc$def:1::::::\nshort:$1$x$y\n");
  ASSERT_EQ(s.entries.size(), 6u);
  EXPECT_EQ(s.entries[0].password, "*");
  EXPECT_EQ(s.entries[0].field, PasswordField::kLocked);
  EXPECT_EQ(s.entries[1].field, PasswordField::kLocked);
  EXPECT_EQ(s.entries[2].field, PasswordField::kEmpty);
  EXPECT_EQ(s.entries[3].field, PasswordField::kLocked);
  EXPECT_EQ(s.entries[4].field, PasswordField::kLocked) << "a '!' before a hash locks it";
  EXPECT_EQ(s.entries[5].field, PasswordField::kHash);
  EXPECT_EQ(s.entries[5].password, "$1$x$y");
}

TEST(PasswordFiles, HostileLinesAreCountedNotFatal) {
  std::string content = "root:*:1::::::\n";
  content += std::string(10000, 'A') + ":x\n";            // too long
  content += std::string("nul\0user:x", 10) + "\n";       // NUL byte
  content += "no separator at all\n";
  content += ":emptyname\n";
  content += "ok:$6$s$h\n";
  auto s = parse_shadow(content);
  EXPECT_EQ(s.entries.size(), 2u);
  EXPECT_EQ(s.lines, 6);
  EXPECT_EQ(s.bad_lines, 4);
  EXPECT_EQ(s.first_bad_line, 2);
  EXPECT_EQ(s.first_bad_reason, "line too long");

  auto p = parse_passwd("a:x:zero:0:::\nb:x:1\nc:x:-1:0:::\nd:x:99999999999:0:::\n");
  EXPECT_TRUE(p.entries.empty());
  EXPECT_EQ(p.bad_lines, 4);
  EXPECT_EQ(printable_name(std::string("a\x1b[31mb\n", 8)), "a?[31mb?");
  EXPECT_EQ(printable_name("\xc3\xa9t\xff"), "??t?");
}

TEST(PasswordFiles, HashMethodsAndCostCaps) {
  EXPECT_TRUE(hash_method("$y$j9T$salt$hash").checkable);
  EXPECT_FALSE(hash_method("$y$jJT$salt$hash").checkable);  // N = 2^22: 16 GiB per try
  EXPECT_FALSE(hash_method("$y$j9T.A$salt$hash").checkable);
  EXPECT_TRUE(hash_method("$6$rounds=5000$salt$hash").checkable);
  EXPECT_FALSE(hash_method("$6$rounds=999999999$salt$hash").checkable);
  EXPECT_TRUE(hash_method("$2b$10$abcdefghijklmnopqrstuv").checkable);
  EXPECT_FALSE(hash_method("$2b$31$abcdefghijklmnopqrstuv").checkable);
  EXPECT_FALSE(hash_method("$2b$1x$abc").checkable);
  EXPECT_EQ(hash_method("$gy$j9T$s$h").name, "$gy$");
  EXPECT_FALSE(hash_method("$gy$j9T$s$h").checkable);
  EXPECT_FALSE(hash_method("garbage").checkable);
}

struct Algo {
  const char* prefix;
  unsigned long cost;
  const char* name;
};

class PasswordAlgorithms : public ::testing::TestWithParam<Algo> {};

TEST_P(PasswordAlgorithms, CommonPasswordsFound) {
  const Algo& a = GetParam();
  auto analyzer = make_password_analyzer(budget(60'000));
  ASSERT_NE(analyzer, nullptr);
  // Early list entries and a name variant, so that slow methods finish quickly.
  std::string shadow = shadow_line("root", make_hash(a.prefix, a.cost, "123456")) +
                       shadow_line("alice", make_hash(a.prefix, a.cost, "alice123")) +
                       shadow_line("bob", make_hash(a.prefix, a.cost, "password"));
  auto r = run_analyzer(*analyzer, "etc/shadow", shadow);
  ASSERT_TRUE(r.status.ok());
  const auto* root = find_rule(r.out, "weak-password:common", "root");
  ASSERT_NE(root, nullptr) << a.name;
  EXPECT_EQ(root->severity, model::Severity::kCritical);
  EXPECT_EQ(root->evidence.match, "1*****") << "masked, never the password";
  EXPECT_EQ(root->evidence.extra.at("algorithm"), a.name);
  EXPECT_EQ(root->evidence.path, "etc/shadow");
  EXPECT_EQ(root->evidence.line, 1);
  EXPECT_EQ(root->kind, model::FindingKind::kWeakPassword);
  const auto* alice = find_rule(r.out, "weak-password:common", "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->severity, model::Severity::kHigh);
  EXPECT_EQ(alice->evidence.line, 2);
  EXPECT_NE(find_rule(r.out, "weak-password:common", "bob"), nullptr);
  EXPECT_EQ(r.out.findings.size(), 3u);
  EXPECT_TRUE(r.out.notes.empty()) << r.out.notes[0];
}

TEST_P(PasswordAlgorithms, StrongPasswordNotMatched) {
  // A short list, so slow methods try all of it: a random password matches none, the right
  // one does.
  const Algo& a = GetParam();
  std::string strong = random_password();
  PasswordBudget b(std::chrono::seconds(60));
  std::vector<std::string> list = {"123456", "password", "toor", "changeme", "letmein"};
  auto r = crack({{"carol", make_hash(a.prefix, a.cost, strong)},
                  {"dave", make_hash(a.prefix, a.cost, "letmein")}},
                 list, b);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].password);
  EXPECT_EQ(r[0].tried, r[0].total);
  EXPECT_EQ(r[0].total, 8u);  // carol, carol123, carol1 + the list
  ASSERT_TRUE(r[1].password);
  EXPECT_EQ(*r[1].password, "letmein");
  EXPECT_TRUE(crypt_matches(strong, make_hash(a.prefix, a.cost, strong)));
}

INSTANTIATE_TEST_SUITE_P(RealCrypt, PasswordAlgorithms,
                         ::testing::Values(Algo{"$y$", 0, "yescrypt"},
                                           Algo{"$6$", 0, "sha512crypt"},
                                           Algo{"$5$", 0, "sha256crypt"},
                                           Algo{"$1$", 0, "md5crypt"},
                                           Algo{"$2b$", 4, "bcrypt"},
                                           Algo{"", 0, "descrypt"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PasswordAnalyzer, WholeListOnFastHashThenStrongOnesStayQuiet) {
  auto analyzer = make_password_analyzer(budget(60'000));
  const auto& list = common_passwords();
  ASSERT_GT(list.size(), 200u);
  // The last list entry is found too: the whole list is tried when the budget allows.
  std::string shadow = shadow_line("svc", make_hash("$1$", 0, list.back())) +
                       shadow_line("strong", make_hash("$1$", 0, random_password()));
  auto r = run_analyzer(*analyzer, "etc/shadow", shadow);
  ASSERT_NE(find_rule(r.out, "weak-password:common", "svc"), nullptr);
  EXPECT_EQ(r.out.findings.size(), 1u);
  EXPECT_TRUE(r.out.notes.empty());
}

TEST(PasswordAnalyzer, EmptyLockedAndExtraUid0) {
  auto analyzer = make_password_analyzer(budget(10'000));
  auto s = run_analyzer(*analyzer, "etc/shadow",
                        "root:*:1::::::\nguest::1::::::\nlocked:!:1::::::\nl2:!!:1::::::\n"
                        "l3:!*:1::::::\nl4:*LK*:1::::::\n");
  ASSERT_EQ(s.out.findings.size(), 1u);
  const auto& f = s.out.findings[0];
  EXPECT_EQ(f.rule_id, "weak-password:empty");
  EXPECT_EQ(f.severity, model::Severity::kCritical);
  EXPECT_EQ(f.title, "account guest has no password: anyone can log in as guest");
  EXPECT_EQ(f.evidence.line, 2);

  auto p = run_analyzer(*analyzer, "etc/passwd",
                        "root:x:0:0:root:/root:/bin/bash\n"
                        "backdoor:x:0:0::/root:/bin/sh\n"
                        "daemon:x:1:1::/:/usr/sbin/nologin\n");
  ASSERT_EQ(p.out.findings.size(), 1u);
  EXPECT_EQ(p.out.findings[0].rule_id, "weak-password:extra-uid0");
  EXPECT_EQ(p.out.findings[0].severity, model::Severity::kHigh);
  EXPECT_EQ(p.out.findings[0].evidence.extra.at("account"), "backdoor");
}

TEST(PasswordAnalyzer, HashInPasswdIsReportedAndChecked) {
  auto analyzer = make_password_analyzer(budget(10'000));
  std::string passwd = "root:" + make_hash("$6$", 0, "changeme") + ":0:0:root:/root:/bin/sh\n" +
                       "op:" + make_hash("$6$", 0, random_password()) + ":0:0::/:/bin/sh\n";
  auto r = run_analyzer(*analyzer, "etc/passwd", passwd);
  ASSERT_TRUE(r.status.ok());
  EXPECT_NE(find_rule(r.out, "weak-password:hash-in-passwd", "root"), nullptr);
  EXPECT_NE(find_rule(r.out, "weak-password:hash-in-passwd", "op"), nullptr);
  EXPECT_NE(find_rule(r.out, "weak-password:extra-uid0", "op"), nullptr);
  const auto* c = find_rule(r.out, "weak-password:common", "root");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->severity, model::Severity::kCritical);
  EXPECT_EQ(find_rule(r.out, "weak-password:common", "op"), nullptr);
}

TEST(PasswordAnalyzer, Uid0PostPassRaisesSeverity) {
  auto analyzer = make_password_analyzer(budget(10'000));
  auto s = run_analyzer(*analyzer, "etc/shadow", shadow_line("ops", make_hash("$5$", 0, "admin")));
  auto p = run_analyzer(*analyzer, "etc/passwd", "ops:x:0:0::/:/bin/sh\n");
  std::vector<model::Finding> all = s.out.findings;
  all.insert(all.end(), p.out.findings.begin(), p.out.findings.end());
  ASSERT_EQ(find_rule(s.out, "weak-password:common", "ops")->severity, model::Severity::kHigh);
  raise_uid0_password_findings(all);
  for (const auto& f : all) {
    if (f.rule_id == "weak-password:common") {
      EXPECT_EQ(f.severity, model::Severity::kCritical);
    }
  }
}

TEST(PasswordAnalyzer, CorruptedFileIsANoteNotAnError) {
  auto analyzer = make_password_analyzer(budget(10'000));
  std::string garbage("\x7f" "ELF\0\0\0binary\xff\xfe\nmore:junk\0here\n", 30);
  auto r = run_analyzer(*analyzer, "etc/shadow", garbage);
  EXPECT_TRUE(r.status.ok());
  ASSERT_FALSE(r.out.notes.empty());
  EXPECT_EQ(r.out.notes[0], "password: etc/shadow: 2 of 2 lines unparseable (first: line 1, NUL byte)");
  auto u = run_analyzer(*analyzer, "etc/shadow", "x:$2b$31$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzABC:1::\n");
  ASSERT_EQ(u.out.notes.size(), 1u);
  EXPECT_EQ(u.out.notes[0],
            "password: etc/shadow: account x: bcrypt cost 31 exceeds 13 (bcrypt); not checked");
  // A field that is no crypt hash at all ("LK", "x", junk) cannot be logged into: silent.
  auto junk = run_analyzer(*analyzer, "etc/shadow", "a:LK:1::\nb:x:1::\nc:\xff\xfe:1::\n");
  EXPECT_TRUE(junk.out.notes.empty());
  EXPECT_TRUE(junk.out.findings.empty());
}

TEST(PasswordAnalyzer, TimeBudgetStopsAndSaysSo) {
  // bcrypt cost 12 takes ~200 ms or more per try: a 50 ms budget allows one try per account at
  // most, and the whole run must end long before the list would.
  std::string shadow = shadow_line("u1", make_hash("$2b$", 12, random_password())) +
                       shadow_line("u2", make_hash("$2b$", 12, random_password()));
  auto analyzer = make_password_analyzer(budget(50));
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_analyzer(*analyzer, "etc/shadow", shadow);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  t0)
                .count();
  EXPECT_LT(ms, 3000);
  EXPECT_TRUE(r.out.findings.empty());
  ASSERT_EQ(r.out.notes.size(), 2u);
  size_t total = common_passwords().size() + 3;  // name, name123, name1
  EXPECT_EQ(r.out.notes[0], "password: etc/shadow: checked 1 of " + std::to_string(total) +
                                " candidates for account u1 (time budget)");
  EXPECT_EQ(r.out.notes[1], "password: etc/shadow: checked 0 of " + std::to_string(total) +
                                " candidates for account u2 (time budget)");
  // The budget is per image: a second file in the same scan gets nothing more.
  auto again = run_analyzer(*analyzer, "etc/passwd",
                            "x:" + make_hash("$1$", 0, "123456") + ":5:5::/:/bin/sh\n");
  EXPECT_EQ(find_rule(again.out, "weak-password:common", "x"), nullptr);
}

TEST(PasswordAnalyzer, FairShareLetsFastHashesFinish) {
  // One slow account must not starve a fast one: md5crypt's whole list costs less than one
  // bcrypt try, so with a budget of a few bcrypt tries the md5 account still gets to the end.
  std::string slow = make_hash("$2b$", 10, random_password());
  auto t0 = std::chrono::steady_clock::now();
  crypt_matches("x", slow);
  auto one_try = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
  std::string fast = make_hash("$1$", 0, common_passwords().back());
  // The fast account's whole list, measured too: on a loaded machine it can cost more than a
  // bcrypt try, and the test is about fairness, not about this machine's speed.
  t0 = std::chrono::steady_clock::now();
  for (const auto& p : common_passwords()) crypt_matches(p, fast);
  auto fast_list = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - t0)
                       .count();
  std::string shadow = shadow_line("slow", slow) + shadow_line("fast", fast);
  auto analyzer =
      make_password_analyzer(budget(static_cast<int>(3 * one_try + 3 * fast_list + 20)));
  auto r = run_analyzer(*analyzer, "etc/shadow", shadow);
  EXPECT_NE(find_rule(r.out, "weak-password:common", "fast"), nullptr);
  ASSERT_EQ(r.out.notes.size(), 1u);
  EXPECT_NE(r.out.notes[0].find("for account slow (time budget)"), std::string::npos);
}

TEST(PasswordAnalyzer, HugeHostileFilesAreBounded) {
  // 50k uid-0 accounts with empty passwords and 50k hashed ones: findings are capped per file,
  // the hash checks stop at the budget, and the candidate lists are never copied per account.
  std::string passwd, shadow;
  std::string h = make_hash("$1$", 0, random_password());
  for (int i = 0; i < 50'000; ++i) {
    passwd += "u" + std::to_string(i) + "::0:0::/:/bin/sh\n";
    shadow += "s" + std::to_string(i) + ":" + h + ":1::::::\n";
  }
  auto analyzer = make_password_analyzer(budget(300));
  auto t0 = std::chrono::steady_clock::now();
  auto p = run_analyzer(*analyzer, "etc/passwd", passwd);
  auto s = run_analyzer(*analyzer, "etc/shadow", shadow);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  t0)
                .count();
  EXPECT_LT(ms, 5000);
  EXPECT_EQ(p.out.findings.size(), 200u);
  ASSERT_FALSE(p.out.notes.empty());
  EXPECT_EQ(p.out.notes.back(),
            "password: etc/passwd: 99800 more findings not shown (limit 200 per file)");
  EXPECT_TRUE(s.out.findings.empty());
  EXPECT_EQ(s.out.notes.size(), 21u);  // 20 budget notes, then how many more there were
  EXPECT_EQ(s.out.notes.back(), "password: etc/shadow: 49980 more notes not shown");
}

TEST(PasswordAnalyzer, OnlyAccountFilesAndScanner) {
  auto analyzer = make_password_analyzer(budget(1));
  EXPECT_EQ(analyzer->scanner(), "password");
  FileInfo f;
  f.path = "etc/shadow";
  EXPECT_TRUE(analyzer->required(f));
  f.path = "etc/passwd";
  EXPECT_TRUE(analyzer->required(f));
  f.path = "etc/shadow-";
  EXPECT_FALSE(analyzer->required(f));
  f.path = "usr/share/base-passwd/passwd.master";
  EXPECT_FALSE(analyzer->required(f));
  f.path = "etc/shadow";
  f.type = FileType::kSymlink;
  EXPECT_FALSE(analyzer->required(f));
}

}  // namespace
}  // namespace hivesec::analyze
