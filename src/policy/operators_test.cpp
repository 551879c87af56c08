#include "policy/operators.h"

#include <gtest/gtest.h>

namespace hivesec::policy {
namespace {

using nlohmann::json;

class OperatorsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(register_builtin_operators(reg_).ok()); }
  // 1 holds, 0 does not, -1 error.
  int run(const char* op, const json* actual, const json& expected) {
    const Operator* o = reg_.find(op);
    EXPECT_NE(o, nullptr) << op;
    if (!o) return -2;
    auto r = o->test(actual, expected);
    return r.ok() ? (*r ? 1 : 0) : -1;
  }
  int run(const char* op, const json& actual, const json& expected) {
    return run(op, &actual, expected);
  }
  OperatorRegistry reg_;
};

TEST_F(OperatorsTest, RegistryRefusesDuplicates) {
  EXPECT_FALSE(register_builtin_operators(reg_).ok());
  EXPECT_EQ(reg_.find("nope"), nullptr);
}

TEST_F(OperatorsTest, EqNe) {
  EXPECT_EQ(run("eq", json("no"), json("no")), 1);
  EXPECT_EQ(run("eq", json("No"), json("no")), 0);
  EXPECT_EQ(run("eq", json(2), json("2")), 1);                  // numeric
  EXPECT_EQ(run("eq", json("2.0"), json("2")), 1);              // numeric both sides
  EXPECT_EQ(run("eq", json("2"), json::array({"1", "2"})), 1);  // any of
  EXPECT_EQ(run("eq", nullptr, json("x")), 0);
  EXPECT_EQ(run("ne", json("yes"), json("no")), 1);
  EXPECT_EQ(run("ne", json("no"), json("no")), 0);
  EXPECT_EQ(run("ne", nullptr, json("no")), 1);
}

TEST_F(OperatorsTest, HasElementSplitsCommaListsAndMatchesWholeElements) {
  json plugins("NodeRestriction, PodSecurityPolicy");
  EXPECT_EQ(run("has_element", plugins, json("NodeRestriction")), 1);
  EXPECT_EQ(run("has_element", plugins, json("PodSecurity")), 0);  // `has` would say yes
  EXPECT_EQ(run("has", plugins, json("PodSecurity")), 1);
  // A flag given twice: a list of comma lists.
  json repeated = json::array({"A,B", "C"});
  EXPECT_EQ(run("has_element", repeated, json("C")), 1);
  EXPECT_EQ(run("has_element", repeated, json("B")), 1);
  EXPECT_EQ(run("has_element", repeated, json::array({"X", "A"})), 1);  // any of
  EXPECT_EQ(run("has_element", nullptr, json("A")), 0);
  EXPECT_EQ(run("nothave_element", plugins, json("AlwaysAdmit")), 1);
  EXPECT_EQ(run("nothave_element", plugins, json("NodeRestriction")), 0);
  EXPECT_EQ(run("nothave_element", nullptr, json("AlwaysAdmit")), 1);
  // valid_elements splits the items of a list the same way.
  EXPECT_EQ(run("valid_elements", repeated, json("A,B,C")), 1);
  EXPECT_EQ(run("valid_elements", repeated, json("A,B")), 0);
}

TEST_F(OperatorsTest, NumericComparisons) {
  EXPECT_EQ(run("lt", json("3"), json("4")), 1);
  EXPECT_EQ(run("lt", json("4"), json("4")), 0);
  EXPECT_EQ(run("lte", json("4"), json("4")), 1);
  EXPECT_EQ(run("gt", json("99999"), json("365")), 1);
  EXPECT_EQ(run("gte", json(" 7 "), json("7")), 1);
  EXPECT_EQ(run("gte", json("6"), json("7")), 0);
  EXPECT_EQ(run("lte", json("abc"), json("4")), -1);  // not a number: error, not a verdict
  EXPECT_EQ(run("gt", nullptr, json("1")), 0);
  EXPECT_FALSE(reg_.find("lt")->validate(json("x")).ok());
}

TEST_F(OperatorsTest, HasNothave) {
  json list = json::array({"a", "b"});
  EXPECT_EQ(run("has", list, json("b")), 1);
  EXPECT_EQ(run("has", list, json("c")), 0);
  EXPECT_EQ(run("has", json({{"k", 1}}), json("k")), 1);
  EXPECT_EQ(run("has", json("--flag=x,y"), json("x,y")), 1);
  EXPECT_EQ(run("nothave", list, json("c")), 1);
  EXPECT_EQ(run("nothave", list, json("a")), 0);
  EXPECT_EQ(run("nothave", nullptr, json("a")), 1);
  EXPECT_EQ(run("has", nullptr, json("a")), 0);
}

TEST_F(OperatorsTest, Regex) {
  EXPECT_EQ(run("regex", json("aes128-cbc,aes256-ctr"), json("-cbc")), 1);
  EXPECT_EQ(run("regex", json("No"), json("(?i)^no$")), 1);
  EXPECT_EQ(run("regex", json::array({"-w /x -p r", "-w /etc/passwd -p wa -k id"}),
                json("-w /etc/passwd -p r?wx?a")),
            1);
  EXPECT_EQ(run("regex", nullptr, json(".*")), 0);
  EXPECT_EQ(run("notregex", json("aes256-ctr"), json("-cbc")), 1);
  EXPECT_EQ(run("notregex", json::array({"a", "x-cbc"}), json("-cbc")), 0);
  EXPECT_EQ(run("notregex", nullptr, json("1")), 1);
  EXPECT_FALSE(reg_.find("regex")->validate(json("(unclosed")).ok());
}

TEST_F(OperatorsTest, ValidElements) {
  json allowed = json::array({"aes256-ctr", "aes128-ctr"});
  EXPECT_EQ(run("valid_elements", json("aes256-ctr, aes128-ctr"), allowed), 1);
  EXPECT_EQ(run("valid_elements", json("aes256-ctr,3des-cbc"), allowed), 0);
  EXPECT_EQ(run("valid_elements", json::array({"root"}), json::array({"root"})), 1);
  EXPECT_EQ(run("valid_elements", json::array({"root", "toor"}), json::array({"root"})), 0);
  EXPECT_EQ(run("valid_elements", json("a,b"), json("a,b,c")), 1);  // comma text as the list
  EXPECT_EQ(run("valid_elements", nullptr, allowed), 0);
}

TEST_F(OperatorsTest, EmptyAndSet) {
  EXPECT_EQ(run("empty", json::array(), json()), 1);
  EXPECT_EQ(run("empty", json::array({"x"}), json()), 0);
  EXPECT_EQ(run("empty", json::array({"x"}), json("false")), 1);
  EXPECT_EQ(run("empty", nullptr, json()), 1);
  EXPECT_EQ(run("set", json("v"), json()), 1);
  EXPECT_EQ(run("set", nullptr, json()), 0);
  EXPECT_EQ(run("set", nullptr, json("false")), 1);
  EXPECT_EQ(run("set", json("v"), json("false")), 0);
  EXPECT_FALSE(reg_.find("set")->validate(json("maybe")).ok());
}

TEST_F(OperatorsTest, ModeIsOrMoreRestrictive) {
  auto st = [](int mode) {
    return json({{"mode", mode}, {"user", "root"}, {"group", "root"}, {"uid", 0}, {"gid", 0}});
  };
  EXPECT_EQ(run("mode", st(0600), json("600")), 1);
  EXPECT_EQ(run("mode", st(0400), json("600")), 1);  // stricter
  EXPECT_EQ(run("mode", st(0000), json("600")), 1);
  EXPECT_EQ(run("mode", st(0640), json("600")), 0);  // group read is extra
  EXPECT_EQ(run("mode", st(0604), json("0600")), 0);
  EXPECT_EQ(run("mode", st(0644), json("644")), 1);
  EXPECT_EQ(run("mode", st(0755), json("700")), 0);
  EXPECT_EQ(run("mode", st(04755), json("755")), 0);     // setuid is a bit too
  EXPECT_EQ(run("mode", json("0640"), json("640")), 1);  // a bare octal value
  EXPECT_EQ(run("mode", nullptr, json("600")), 0);
  EXPECT_EQ(run("mode", json("rw-"), json("600")), -1);
  EXPECT_FALSE(reg_.find("mode")->validate(json("689")).ok());
  EXPECT_FALSE(reg_.find("mode")->validate(json("17777")).ok());
}

TEST_F(OperatorsTest, OwnerAndGroup) {
  json st = {{"user", "root"}, {"group", "shadow"}, {"uid", 0}, {"gid", 42}};
  EXPECT_EQ(run("owner", st, json("root")), 1);
  EXPECT_EQ(run("owner", st, json("root:shadow")), 1);
  EXPECT_EQ(run("owner", st, json("root:root")), 0);
  EXPECT_EQ(run("owner", st, json::array({"root:root", "root:shadow"})), 1);
  EXPECT_EQ(run("owner", st, json("0:42")), 1);  // numeric ids
  EXPECT_EQ(run("owner", st, json("daemon")), 0);
  EXPECT_EQ(run("group", st, json("shadow")), 1);
  EXPECT_EQ(run("group", st, json("root")), 0);
  json orphan = {{"user", nullptr}, {"group", nullptr}, {"uid", 1234}, {"gid", 1234}};
  EXPECT_EQ(run("owner", orphan, json("root")), 0);
  EXPECT_EQ(run("owner", orphan, json("1234:1234")), 1);
  EXPECT_EQ(run("owner", json("root"), json("root")), -1);  // not a stat
  EXPECT_FALSE(reg_.find("owner")->validate(json("root:")).ok());
}

}  // namespace
}  // namespace hivesec::policy
