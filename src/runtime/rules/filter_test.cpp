// Field extraction and operator semantics on single conditions (compiled through the real
// parser and compiler), plus the glob, pmatch and CIDR helpers.
#include "runtime/rules/filter.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include "runtime/rules/compiler.h"
#include "runtime/rules/output.h"
#include "runtime/rules/parser.h"

namespace hivesec::runtime::rules {
namespace {

Event sample() {
  Event ev;
  ev.type = EventType::kOpen;
  ev.syscall = "openat";
  ev.ts_ns = 1700000000123456789ull;  // 2023-11-14T22:13:20.123456789Z
  ev.cpu = 3;
  ev.proc.pid = 1234;
  ev.proc.ppid = 1000;
  ev.proc.vpid = 7;
  ev.proc.uid = 1000;
  ev.proc.euid = 0;
  ev.proc.gid = 1001;
  ev.proc.name = "python3";
  ev.proc.exe = "python3";
  ev.proc.exepath = "/usr/bin/python3.11";
  ev.proc.args = {"-c", "print(1)"};
  ev.proc.cwd = "/app";
  ev.proc.user = "app";
  ev.proc.tty = true;
  ev.ancestors = {{1000, "bash", "/bin/bash", "bash -l"},
                  {900, "sshd", "/usr/sbin/sshd", "sshd: app"},
                  {1, "systemd", "/lib/systemd/systemd", "/sbin/init"}};
  ev.fd.num = 5;
  ev.fd.typechar = 'f';
  ev.fd.name = "/etc/ssl/private/Server.KEY";
  ev.args.res = 5;
  ev.args.flags = O_WRONLY | O_CREAT | O_TRUNC;
  ev.args.mode = 0640;
  ev.args.path = ev.fd.name;
  auto c = std::make_shared<ContainerInfo>();
  c->id = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
  c->name = "api";
  c->image = "registry.example.com:5000/team/api:2.1@sha256:feed";
  c->labels = {{"app", "shop"}, {"io.kubernetes.pod.name", "api-0"}};
  c->pod_namespace = "prod";
  c->pod_name = "api-0";
  c->privileged = true;
  ev.container = c;
  return ev;
}

// Compiles `cond` (no macros or lists) and evaluates it on `ev`.
bool eval(std::string_view cond, const Event& ev) {
  auto ast = parse_condition(cond);
  EXPECT_TRUE(ast.ok()) << cond << ": " << (ast.ok() ? "" : ast.error().message);
  if (!ast.ok()) return false;
  CompileEnv env;
  static const std::vector<std::string> kList = {"bash", "zsh"};
  env.lists["shells"] = &kList;
  std::unique_ptr<Filter> f;
  CompileError err;
  bool ok = compile_condition(**ast, env, f, err);
  EXPECT_TRUE(ok) << cond << ": " << err.code << " " << err.message;
  if (!ok) return false;
  EvalContext ctx;
  ctx.type_id = event_type_id(ev.syscall);
  return f->matches(ev, ctx);
}

std::string text(std::string_view tmpl, const Event& ev) {
  auto f = OutputFormat::compile(tmpl);
  EXPECT_TRUE(f.ok()) << tmpl;
  if (!f.ok()) return {};
  FieldScratch s;
  std::string out;
  f->format(ev, s, out);
  return out;
}

TEST(RuntimeRulesFields, ValuesAsFalcoRendersThem) {
  Event ev = sample();
  struct Case {
    const char* tmpl;
    const char* want;
  };
  const Case cases[] = {
      {"%evt.type", "openat"},
      {"%evt.dir", "<"},
      {"%evt.time", "22:13:20.123456789"},
      {"%evt.datetime", "2023-11-14 22:13:20.123456789"},
      {"%evt.time.iso8601", "2023-11-14T22:13:20.123456789Z"},
      {"%evt.rawtime", "1700000000123456789"},
      {"%evt.cpu", "3"},
      {"%evt.res %evt.rawres %evt.failed", "SUCCESS 5 false"},
      {"%evt.is_open_write %evt.is_open_read %evt.is_open_create", "true false true"},
      {"%evt.arg.flags", "O_WRONLY|O_CREAT|O_TRUNC"},
      {"%evt.arg.mode %evt.arg.name", "0640 /etc/ssl/private/Server.KEY"},
      {"%evt.arg[1]|%evt.rawarg.flags", "/etc/ssl/private/Server.KEY|577"},
      {"%evt.args",
       "res=5 name=/etc/ssl/private/Server.KEY flags=O_WRONLY|O_CREAT|O_TRUNC "
       "mode=0640"},
      {"%proc.name %proc.exe %proc.exepath", "python3 python3 /usr/bin/python3.11"},
      {"%proc.args|%proc.cmdline|%proc.exeline",
       "-c print(1)|python3 -c print(1)|python3 -c print(1)"},
      {"%proc.pid %proc.ppid %proc.vpid %proc.tty %proc.cwd", "1234 1000 7 1 /app"},
      {"%proc.pname|%proc.pcmdline|%proc.pexepath", "bash|bash -l|/bin/bash"},
      {"%proc.aname[0] %proc.aname[1] %proc.aname[2] %proc.aname[3] %proc.aname[4]",
       "python3 bash sshd systemd <NA>"},
      {"%proc.apid[2] %proc.aexepath[3] %proc.acmdline[2]", "900 /lib/systemd/systemd sshd: app"},
      {"%user.name %user.uid %user.euid %user.loginuid %group.gid", "app 1000 0 -1 1001"},
      {"%fd.num %fd.type %fd.typechar", "5 file f"},
      {"%fd.directory|%fd.filename", "/etc/ssl/private|Server.KEY"},
      {"%fd.sip %fd.sport %fd.l4proto", "<NA> <NA> <NA>"},
      {"%container.id %container.name", "abcdef012345 api"},
      {"%container.image", "registry.example.com:5000/team/api:2.1@sha256:feed"},
      {"%container.image.repository|%container.image.tag|%container.image.digest",
       "registry.example.com:5000/team/api|2.1|sha256:feed"},
      {"%container.privileged %container.label[app] %container.label[nope]", "true shop <NA>"},
      {"%k8s.ns.name %k8s.pod.name %k8s.pod.label[app]", "prod api-0 shop"},
      {"100% %proc.name.", "100% python3."},
  };
  for (const auto& c : cases) EXPECT_EQ(text(c.tmpl, ev), c.want) << c.tmpl;
}

TEST(RuntimeRulesFields, ResultNames) {
  Event ev = sample();
  ev.args.res = -2;
  EXPECT_EQ(text("%evt.res %evt.rawres %evt.failed", ev), "ENOENT -2 true");
  ev.args.res = INT64_MIN;  // hostile recording: no overflow, the raw number
  EXPECT_EQ(text("%evt.res", ev), "-9223372036854775808");
  ev.args.res = -4000;  // in errno range but unnamed
  EXPECT_EQ(text("%evt.res", ev), "E4000");
}

TEST(RuntimeRulesFields, NetworkEnds) {
  Event ev = sample();
  ev.type = EventType::kAccept;
  ev.syscall = "accept4";
  ev.fd = FdInfo{7, '4', "203.0.113.5:40000->10.0.0.2:443", "203.0.113.5", "10.0.0.2", 40000, 443,
                 6, true};
  EXPECT_EQ(text("%fd.lip:%fd.lport %fd.rip:%fd.rport %fd.cip %fd.sip %fd.l4proto", ev),
            "10.0.0.2:443 203.0.113.5:40000 203.0.113.5 10.0.0.2 tcp");
  EXPECT_TRUE(eval("fd.lnet = 10.0.0.0/8 and fd.rnet = 203.0.113.0/24", ev));
  EXPECT_TRUE(eval("fd.net = 203.0.113.0/24 and fd.net = 10.0.0.0/8", ev));  // either end
  EXPECT_TRUE(eval("fd.port = 443 and fd.port = 40000 and fd.lport = 443", ev));
  EXPECT_FALSE(eval("fd.snet in (192.168.0.0/16, 172.16.0.0/12)", ev));
  EXPECT_TRUE(eval("fd.sip = 10.0.0.2 and fd.cip != 10.0.0.2", ev));
  EXPECT_TRUE(eval("fd.sip = \"10.0.0.2\" and fd.sockfamily = ip and fd.is_server = true", ev));
  ev.fd.typechar = '6';
  ev.fd.cip = "2001:db8::5";
  ev.fd.sip = "::1";
  EXPECT_TRUE(eval("fd.sip = \"::1\" and fd.cnet = \"2001:db8::/32\"", ev));
  EXPECT_FALSE(eval("fd.cnet = 10.0.0.0/8", ev));  // family mismatch
}

TEST(RuntimeRulesFilter, OperatorSemantics) {
  Event ev = sample();
  EXPECT_TRUE(eval("evt.type = openat and evt.type in (open, openat) and evt.type != execve", ev));
  EXPECT_TRUE(eval("evt.type intersects (openat)", ev));
  EXPECT_TRUE(eval("proc.name icontains PYTH and fd.name icontains server.key", ev));
  EXPECT_FALSE(eval("fd.name contains server.key", ev));  // contains is case-sensitive
  EXPECT_TRUE(eval("evt.arg.flags contains O_TRUNC and not evt.arg.flags contains O_APPEND", ev));
  EXPECT_TRUE(eval("fd.name glob /etc/*/private/*.KEY", ev));
  EXPECT_FALSE(eval("fd.name glob /etc/*.KEY", ev));  // * does not cross '/'
  EXPECT_TRUE(eval("fd.name iglob /ETC/SSL/PRIVATE/*.key", ev));
  EXPECT_TRUE(eval("fd.name pmatch (/etc/ssl) and not fd.name pmatch (/etc/ss)", ev));
  EXPECT_TRUE(eval("fd.name pmatch (/etc/*/private)", ev));
  EXPECT_TRUE(eval("fd.filename regex \"[A-Za-z]+\\.KEY\"", ev));
  EXPECT_FALSE(eval("fd.filename regex \"Server\"", ev));  // the whole value must match
  EXPECT_TRUE(
      eval("proc.pid > 1000 and proc.pid >= 1234 and proc.pid < 1235 and proc.pid <= 1234", ev));
  EXPECT_TRUE(eval("proc.pid in (1, 1234) and proc.pid = 0x4d2", ev));
  EXPECT_TRUE(eval("proc.aname = sshd and proc.aname[2] = sshd and not proc.aname[1] = sshd", ev));
  EXPECT_TRUE(eval("proc.aname in (shells) and proc.aname intersects (zsh, systemd)", ev));
  EXPECT_TRUE(eval("proc.apid = 1 and proc.aexepath endswith /sshd", ev));
  EXPECT_TRUE(eval("container.label[app] = shop and container.privileged = true", ev));
  EXPECT_TRUE(eval("tolower(fd.filename) = server.key and toupper(proc.name) = PYTHON3", ev));
  EXPECT_TRUE(eval("basename(proc.exepath) = python3.11 and len(proc.name) = 7", ev));
  EXPECT_TRUE(eval("fd.name bcontains 2f73736c and fd.name bstartswith 2f657463", ev));
  EXPECT_TRUE(eval("proc.vpid exists and not container.label[nope] exists", ev));
  // A missing value makes every comparison false, including != ...
  EXPECT_FALSE(eval("fd.sport != 22", ev));
  EXPECT_FALSE(eval("container.label[nope] != x", ev));
  // ... while `not` inverts the result.
  EXPECT_TRUE(eval("not container.label[nope] = x", ev));
  // Large `in` lists are hashed: same answers.
  std::string big = "proc.name in (";
  for (int i = 0; i < 100; ++i) big += "p" + std::to_string(i) + ", ";
  EXPECT_TRUE(eval(big + "python3)", ev));
  EXPECT_FALSE(eval(big + "ruby)", ev));
}

TEST(RuntimeRulesFilter, CompileErrorsAreTyped) {
  struct Case {
    const char* cond;
    const char* code;
  };
  const Case cases[] = {
      {"proc.pid = abc", "invalid-constant"},
      {"proc.name > a", "invalid-operator"},
      {"container.privileged = maybe", "invalid-constant"},
      {"container.privileged contains x", "invalid-operator"},
      {"fd.sip in (10.0.0.0/99)", "invalid-constant"},
      {"len(proc.pid) = 1", "invalid-operator"},
      {"b64(proc.name) = x", "invalid-operator"},
      {"proc.nope = 1", "unknown-field"},
      {"proc.aname[x] = 1", "invalid-constant"},
      {"container.label = 1", "invalid-constant"},
      {"proc.name[1] = x", "invalid-constant"},
      {"evt.rawarg.name = 1", "invalid-constant"},
      {"fd.name bcontains zz", "invalid-constant"},
      {"nosuchmacro", "unknown-macro"},
  };
  for (const auto& c : cases) {
    auto ast = parse_condition(c.cond);
    ASSERT_TRUE(ast.ok()) << c.cond;
    CompileEnv env;
    std::unique_ptr<Filter> f;
    CompileError err;
    EXPECT_FALSE(compile_condition(**ast, env, f, err)) << c.cond;
    EXPECT_EQ(err.code, c.code) << c.cond << ": " << err.message;
  }
}

TEST(RuntimeRulesFilter, EventTypeSets) {
  auto types = [](std::string_view cond) {
    auto ast = parse_condition(cond);
    CompileEnv env;
    std::unique_ptr<Filter> f;
    CompileError err;
    EXPECT_TRUE(compile_condition(**ast, env, f, err)) << err.message;
    return f->event_types();
  };
  TypeMask open = TypeMask{1} << event_type_id("open");
  TypeMask openat = TypeMask{1} << event_type_id("openat");
  TypeMask connect = TypeMask{1} << event_type_id("connect");
  EXPECT_EQ(types("evt.type = open"), open);
  EXPECT_EQ(types("evt.type in (open, openat) and proc.name = x"), open | openat);
  EXPECT_EQ(types("evt.type = open or evt.type = connect"), open | connect);
  EXPECT_EQ(types("evt.type = open and evt.type = connect"), 0u);
  EXPECT_EQ(types("proc.name = x"), kAllTypes);
  EXPECT_EQ(types("evt.type = open or proc.name = x"), kAllTypes);
  EXPECT_EQ(types("not evt.type = open"), ~open);
  EXPECT_EQ(types("evt.type != open"), ~open);
  EXPECT_EQ(types("not (evt.type = open and proc.name = x)"), kAllTypes);
  TypeMask other = TypeMask{1} << kOtherTypeId;
  EXPECT_EQ(types("evt.type = some_new_syscall"), other);
}

TEST(RuntimeRulesFilter, Glob) {
  EXPECT_TRUE(glob_match("a*c", "abbbc", false));
  EXPECT_TRUE(glob_match("*", "", false));
  EXPECT_FALSE(glob_match("*", "a/b", false));
  EXPECT_TRUE(glob_match("*/*", "a/b", false));
  EXPECT_TRUE(glob_match("?x[a-c]", "yxb", false));
  EXPECT_FALSE(glob_match("?x[a-c]", "yxd", false));
  EXPECT_TRUE(glob_match("[!a]x", "bx", false));
  EXPECT_FALSE(glob_match("[!a]x", "ax", false));
  EXPECT_TRUE(glob_match("\\*", "*", false));
  EXPECT_FALSE(glob_match("\\*", "a", false));
  EXPECT_TRUE(glob_match("A[B-C]*", "abz", true));
  EXPECT_TRUE(glob_match("[", "[", false));  // malformed class: literal
  EXPECT_FALSE(glob_match("abc", "abcd", false));
}

TEST(RuntimeRulesFilter, PathPrefix) {
  EXPECT_TRUE(path_prefix_match("/etc", "/etc"));
  EXPECT_TRUE(path_prefix_match("/etc", "/etc/passwd"));
  EXPECT_FALSE(path_prefix_match("/etc", "/etcetera"));
  EXPECT_FALSE(path_prefix_match("/etc", "etc/x"));
  EXPECT_TRUE(path_prefix_match("/", "/anything"));
  EXPECT_TRUE(path_prefix_match("/var/*/x", "/var/run/x/y"));
  EXPECT_FALSE(path_prefix_match("/var/*/x", "/var/run/y"));
  EXPECT_FALSE(path_prefix_match("/var/*/x", "/var/run"));
}

TEST(RuntimeRulesFilter, Cidr) {
  Cidr c;
  ASSERT_TRUE(parse_cidr("10.1.0.0/16", c));
  EXPECT_TRUE(cidr_contains(c, "10.1.200.3"));
  EXPECT_FALSE(cidr_contains(c, "10.2.0.1"));
  EXPECT_FALSE(cidr_contains(c, "not an ip"));
  ASSERT_TRUE(parse_cidr("172.16.0.0/12", c));
  EXPECT_TRUE(cidr_contains(c, "172.31.255.255"));
  EXPECT_FALSE(cidr_contains(c, "172.32.0.0"));
  ASSERT_TRUE(parse_cidr("fe80::/10", c));
  EXPECT_TRUE(cidr_contains(c, "fe80::1"));
  EXPECT_TRUE(cidr_contains(c, "febf::1"));
  EXPECT_FALSE(cidr_contains(c, "fec0::1"));
  ASSERT_TRUE(parse_cidr("1.2.3.4", c));
  EXPECT_EQ(c.prefix, 32);
  ASSERT_TRUE(parse_cidr("0.0.0.0/0", c));
  EXPECT_TRUE(cidr_contains(c, "8.8.8.8"));
  EXPECT_FALSE(parse_cidr("1.2.3.4/33", c));
  EXPECT_FALSE(parse_cidr("1.2.3/8", c));
  EXPECT_FALSE(parse_cidr("::1/129", c));
  EXPECT_FALSE(parse_cidr("1.2.3.4/", c));
}

}  // namespace
}  // namespace hivesec::runtime::rules
