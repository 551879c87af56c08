// Rule file loading: a Falco-format file using every construct (testdata/falco_interop.yaml)
// plus a local override file behave as Falco documents; malformed files give diagnostics with
// the right code and line.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "runtime/rules/filter.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::rules {
namespace {

std::string testdata(const std::string& name) {
  return std::string(HIVESEC_SOURCE_DIR) + "/src/runtime/rules/testdata/" + name;
}

const LoadResult& interop() {
  static LoadResult r =
      load_rule_files({testdata("falco_interop.yaml"), testdata("falco_interop_local.yaml")});
  return r;
}

std::shared_ptr<ContainerInfo> container(std::string name, std::string image) {
  auto c = std::make_shared<ContainerInfo>();
  c->id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  c->name = std::move(name);
  c->image = std::move(image);
  return c;
}

Event shell_exec(std::string name, std::string parent = "containerd-shim",
                 std::string image = "docker.io/library/alpine:3.19", std::string cname = "web") {
  Event ev;
  ev.type = EventType::kExec;
  ev.syscall = "execve";
  ev.ts_ns = 1700000000123456789ull;
  ev.proc.pid = 77;
  ev.proc.name = std::move(name);
  ev.proc.args = {"-i"};
  ev.proc.user = "app";
  ev.ancestors.push_back(AncestorInfo{70, std::move(parent), "/usr/bin/x", "x"});
  ev.container = container(std::move(cname), std::move(image));
  return ev;
}

struct Match {
  std::string rule;
  Priority priority;
  std::string output;
};
std::vector<Match> run(const Event& ev) {
  std::vector<Match> out;
  interop().ruleset->evaluate(ev, [&](const Rule& r, const Alert& a) {
    out.push_back(Match{r.name, r.priority, a.output});
  });
  return out;
}
std::set<std::string> names(const Event& ev) {
  std::set<std::string> s;
  for (const auto& m : run(ev)) s.insert(m.rule);
  return s;
}

TEST(RuntimeRulesInterop, LoadsWithOnlyTheSkipWarning) {
  const auto& r = interop();
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics[0].to_string();
  EXPECT_EQ(r.diagnostics[0].code, "unknown-field-skipped");
  EXPECT_EQ(r.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].lists, 7);
  EXPECT_EQ(r.files[0].macros, 4);
  EXPECT_EQ(r.files[0].rules, 6);
  EXPECT_EQ(r.files[1].rules, 4);
  EXPECT_EQ(r.ruleset->find("Future field"), nullptr);
  EXPECT_NE(r.ruleset->find("Disabled rule"), nullptr);  // re-enabled by the local file
}

TEST(RuntimeRulesInterop, MacrosOfMacrosNestedListsAndOverrides) {
  auto m = run(shell_exec("bash"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].rule, "Shell in container");
  EXPECT_EQ(m[0].priority, Priority::kCritical);  // override: priority replace
  EXPECT_EQ(m[0].output, "Shell bash in web (parent=containerd-shim gp=<NA> cmd=bash -i)");
  EXPECT_EQ(names(shell_exec("zsh")).count("Shell in container"), 1u);   // nested list
  EXPECT_EQ(names(shell_exec("fish")).count("Shell in container"), 1u);  // two levels
  EXPECT_EQ(names(shell_exec("ash")).count("Shell in container"), 1u);   // list append
  EXPECT_TRUE(names(shell_exec("python3")).empty());
  // in_container macro with the appended condition.
  EXPECT_TRUE(names(shell_exec("bash", "x", "alpine", "ignored")).empty());
  // Not in a container.
  Event host = shell_exec("bash");
  auto h = std::make_shared<ContainerInfo>();
  h->id = "host";
  host.container = h;
  EXPECT_TRUE(names(host).empty());
}

TEST(RuntimeRulesInterop, Exceptions) {
  // fields + comps (=, startswith)
  EXPECT_TRUE(
      names(shell_exec("bash", "supervisord", "registry.example.com/tools/debug:1")).empty());
  EXPECT_FALSE(names(shell_exec("bash", "supervisord", "registry.example.com/app:1")).empty());
  // single field, default comp `in`, plus values appended by the local file
  EXPECT_TRUE(names(shell_exec("bash", "x", "cron-runner:2")).empty());
  EXPECT_TRUE(names(shell_exec("bash", "x", "debug-runner:2")).empty());
  EXPECT_FALSE(names(shell_exec("bash", "x", "cron-runner-evil:2")).empty());
  // list value and list name: any ancestor in (jenkins-agent, gitlab-runner) and a shell
  Event j = shell_exec("sh", "gitlab-runner");
  EXPECT_TRUE(names(j).empty());
  Event jz = shell_exec("zsh", "gitlab-runner");  // zsh is not in `shells`
  EXPECT_FALSE(names(jz).empty());
  Event deep = shell_exec("sh", "make");
  deep.ancestors.push_back(AncestorInfo{60, "jenkins-agent", "/x", "x"});
  EXPECT_TRUE(names(deep).empty());  // proc.aname without index: any ancestor
  // exception added by the local file
  Event ops = shell_exec("bash");
  ops.proc.user = "ops";
  EXPECT_TRUE(names(ops).empty());
}

Event operators_event() {
  Event ev;
  ev.type = EventType::kOpen;
  ev.syscall = "openat";
  ev.proc.pid = 400;
  ev.proc.ppid = 2;
  ev.proc.name = "cat";
  ev.proc.args = {"--READ-only", "/srv/data/app.key"};
  ev.proc.uid = 1000;
  ev.ancestors = {{2, "bash", "/bin/bash", "bash"}, {1, "sshd", "/usr/sbin/sshd", "sshd"}};
  ev.fd.num = 3;
  ev.fd.typechar = 'f';
  ev.fd.name = "/srv/data/app.key";
  ev.args.res = 3;
  ev.args.path = ev.fd.name;
  ev.container = container("web", "nginx:1");
  return ev;
}

TEST(RuntimeRulesInterop, EveryOperator) {
  Event ev = operators_event();
  auto m = run(ev);
  std::set<std::string> got;
  for (const auto& x : m) got.insert(x.rule);
  EXPECT_EQ(got, (std::set<std::string>{"Operators", "Disabled rule"}));
  for (const auto& x : m) {
    if (x.rule == "Operators") {
      EXPECT_EQ(x.output, "cat read /srv/data/app.key (type=openat dir=< res=SUCCESS)");
    }
  }
  auto without = [&](auto mutate) {
    Event e = operators_event();
    mutate(e);
    return names(e).count("Operators") == 0;
  };
  EXPECT_TRUE(without([](Event& e) { e.proc.pid = 600; }));     // <=
  EXPECT_TRUE(without([](Event& e) { e.proc.ppid = 1; }));      // >
  EXPECT_TRUE(without([](Event& e) { e.proc.args = {"x"}; }));  // icontains
  EXPECT_TRUE(
      without([](Event& e) { e.fd.name = "/srv/data/sub/app.key"; }));  // glob: * stops at /
  EXPECT_TRUE(without([](Event& e) { e.ancestors.pop_back(); }));       // intersects
  EXPECT_TRUE(without([](Event& e) { e.proc.vpid = 9; }));              // not exists
  EXPECT_TRUE(without([](Event& e) { e.fd.num = -1; }));                // exists
  EXPECT_TRUE(without([](Event& e) { e.proc.name = "less"; }));         // iglob C?T
  EXPECT_TRUE(without([](Event& e) { e.proc.uid = 4242; }));            // legacy append
  EXPECT_TRUE(without([](Event& e) { e.syscall = "open"; }));           // evt.type
}

Event connect_to(std::string sip, uint16_t port, uint8_t proto = 6) {
  Event ev;
  ev.type = EventType::kConnect;
  ev.syscall = "connect";
  ev.proc.name = "ssh";
  ev.fd.num = 3;
  ev.fd.typechar = sip.find(':') != std::string::npos ? '6' : '4';
  ev.fd.cip = ev.fd.typechar == '6' ? "2001:db8::2" : "10.0.0.2";
  ev.fd.sip = sip;
  ev.fd.cport = 50000;
  ev.fd.sport = port;
  ev.fd.l4proto = proto;
  ev.fd.name = ev.fd.cip + ":50000->" + sip + ":" + std::to_string(port);
  return ev;
}

TEST(RuntimeRulesInterop, NetworkCidrsAndOutputOverride) {
  auto m = run(connect_to("192.168.1.5", 22));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].output, "net 10.0.0.2:50000->192.168.1.5:22 proto=tcp");
  EXPECT_EQ(names(connect_to("2001:db8::1", 2222)).size(), 1u);
  EXPECT_TRUE(names(connect_to("192.168.7.7", 22)).empty());      // not fd.sip = ...
  EXPECT_TRUE(names(connect_to("10.0.0.9", 22)).empty());         // outside the networks
  EXPECT_TRUE(names(connect_to("192.168.1.5", 23)).empty());      // port list
  EXPECT_TRUE(names(connect_to("192.168.1.5", 22, 17)).empty());  // udp
}

TEST(RuntimeRulesInterop, ListReplaceAndEventTypeIndex) {
  Event e = shell_exec("emacs");
  auto m = run(e);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].rule, "Editor opened");
  EXPECT_EQ(m[0].output,
            "editor emacs by app (0) login -1 gid 0 container_id=0123456789ab container_name=web");
  EXPECT_TRUE(names(shell_exec("vi")).empty());
  EXPECT_TRUE(names(shell_exec("nano")).empty());
  const RuleSet& rs = *interop().ruleset;
  EXPECT_EQ(rs.candidate_count("connect"), 1u);  // Network
  EXPECT_EQ(rs.candidate_count("execve"), 2u);   // Shell in container, Editor opened
  EXPECT_EQ(rs.candidate_count("openat"), 2u);   // Operators, Disabled rule
  EXPECT_EQ(rs.candidate_count("ptrace"), 0u);
}

// ---- malformed input -----------------------------------------------------------------------

LoadResult load_text(const std::string& text) { return load_rules({RuleSource{"t.yaml", text}}); }

const Diagnostic* find_code(const LoadResult& r, std::string_view code) {
  for (const auto& d : r.diagnostics) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

constexpr const char* kRuleHead = "- rule: r\n  desc: d\n  output: o\n  priority: info\n";

struct BadCase {
  const char* name;
  std::string text;
  const char* code;
  int line;
};

TEST(RuntimeRulesMalformed, DiagnosticsHaveCodeAndLine) {
  const std::vector<BadCase> cases = {
      {"yaml syntax", "- rule: x\n  desc: [unclosed\n", "yaml-parse", 3},
      {"not a list", "rule: x\n", "yaml-schema", 1},
      {"item not a map", "- just a string\n", "yaml-schema", 1},
      {"macro cycle",
       "- macro: a\n  condition: b\n- macro: b\n  condition: a\n" + std::string(kRuleHead) +
           "  condition: evt.type = open and a\n",
       "macro-cycle", 9},
      {"self cycle", "- macro: a\n  condition: a\n" + std::string(kRuleHead) + "  condition: a\n",
       "macro-cycle", 7},
      {"unknown field", std::string(kRuleHead) + "  condition: proc.nope = 1\n", "unknown-field",
       5},
      {"unknown evt.arg", std::string(kRuleHead) + "  condition: evt.arg.bogus = 1\n",
       "unknown-field", 5},
      {"unknown macro", std::string(kRuleHead) + "  condition: nosuchmacro\n", "unknown-macro", 5},
      {"unknown list", std::string(kRuleHead) + "  condition: proc.name in nosuchlist\n",
       "unknown-list", 5},
      {"syntax", std::string(kRuleHead) + "  condition: (proc.name = x\n", "condition-syntax", 5},
      {"bad number", std::string(kRuleHead) + "  condition: proc.pid > ten\n", "invalid-constant",
       5},
      {"bad cidr", std::string(kRuleHead) + "  condition: fd.net = 10.0.0.0/33\n",
       "invalid-constant", 5},
      {"bad regex", std::string(kRuleHead) + "  condition: proc.name regex \"(\"\n",
       "invalid-constant", 5},
      {"numeric op on string", std::string(kRuleHead) + "  condition: proc.name < a\n",
       "invalid-operator", 5},
      {"missing condition", std::string(kRuleHead), "missing-key", 1},
      {"bad priority", "- rule: r\n  desc: d\n  output: o\n  priority: loud\n  condition: a\n",
       "invalid-value", 4},
      {"append without base", "- rule: r\n  append: true\n  condition: and x\n",
       "no-previous-definition", 1},
      {"override without base", "- list: l\n  override:\n    items: append\n  items: [a]\n",
       "no-previous-definition", 1},
      {"append and override",
       "- list: l\n  items: [a]\n- list: l\n  append: true\n  override:\n    items: append\n  "
       "items: [b]\n",
       "invalid-override", 4},
      {"override key missing",
       "- list: l\n  items: [a]\n- list: l\n  override:\n    items: append\n", "invalid-override",
       5},
      {"engine too new", "- required_engine_version: 99.0.0\n", "engine-version", 1},
      {"output unknown field",
       "- rule: r\n  desc: d\n  output: '%proc.nope'\n  priority: info\n"
       "  condition: evt.type = open\n",
       "unknown-field", 1},
      {"exception arity",
       std::string(kRuleHead) +
           "  condition: evt.type = open\n  exceptions:\n    - name: e\n      fields: [proc.name, "
           "fd.name]\n      comps: [=]\n",
       "invalid-value", 9},
      {"duplicate exception",
       std::string(kRuleHead) +
           "  condition: evt.type = open\n  exceptions:\n    - name: e\n      fields: proc.name\n"
           "    - name: e\n      fields: fd.name\n",
       "duplicate-exception", 9},
      {"deep yaml", std::string(200, '[') + std::string(200, ']'), "limit", 1},
      {"deep indentation", "- rule: x\n" + std::string(300, ' ') + "desc: d\n", "limit", 2},
      {"sequence chain",
       [] {
         std::string t;
         for (int i = 0; i < 100; ++i) t += "- ";
         return t + "x\n";
       }(),
       "limit", 1},
      {"deep condition",
       std::string(kRuleHead) + "  condition: " + std::string(150, '(') + "evt.type = open" +
           std::string(150, ')') + "\n",
       "limit", 5},
  };
  for (const auto& c : cases) {
    LoadResult r = load_text(c.text);
    EXPECT_TRUE(r.has_errors()) << c.name;
    const Diagnostic* d = find_code(r, c.code);
    if (!d) {
      std::string all;
      for (const auto& x : r.diagnostics) all += x.to_string() + "\n";
      ADD_FAILURE() << c.name << ": no diagnostic with code " << c.code << "; got:\n" << all;
      continue;
    }
    EXPECT_EQ(d->line, c.line) << c.name << ": " << d->to_string();
    EXPECT_EQ(d->file, "t.yaml");
    EXPECT_EQ(d->to_string().find('\n'), std::string::npos) << c.name;
  }
}

TEST(RuntimeRulesMalformed, SkipIfUnknownFilterOnlyCoversFields) {
  LoadResult r = load_text(std::string(kRuleHead) +
                           "  condition: evt.type = open and undefined_macro\n"
                           "  skip-if-unknown-filter: true\n");
  EXPECT_NE(find_code(r, "unknown-macro"), nullptr);
  r = load_text(std::string(kRuleHead) +
                "  condition: evt.type = open and proc.nope = 1\n  skip-if-unknown-filter: true\n");
  EXPECT_FALSE(r.has_errors());
  EXPECT_TRUE(r.ruleset->rules().empty());
}

TEST(RuntimeRulesMalformed, BadItemDoesNotStopTheFile) {
  LoadResult r = load_text(std::string(kRuleHead) + "  condition: proc.nope = 1\n" +
                           "- rule: good\n  desc: d\n  output: o\n  priority: info\n"
                           "  condition: evt.type = open\n");
  EXPECT_TRUE(r.has_errors());
  ASSERT_EQ(r.ruleset->rules().size(), 1u);
  EXPECT_EQ(r.ruleset->rules()[0]->name, "good");
}

TEST(RuntimeRulesMalformed, ExponentialMacroExpansionIsBounded) {
  std::string text = "- macro: m0\n  condition: proc.name = a\n";
  for (int i = 1; i < 40; ++i) {
    text += "- macro: m" + std::to_string(i) + "\n  condition: m" + std::to_string(i - 1) +
            " or m" + std::to_string(i - 1) + "\n";
  }
  text += std::string(kRuleHead) + "  condition: evt.type = open and m39\n";
  LoadResult r = load_text(text);
  EXPECT_NE(find_code(r, "limit"), nullptr);
}

TEST(RuntimeRulesMalformed, DeepNestingThroughMacrosIsBounded) {
  // Each macro nests 90 levels (`not not ... m`) and uses the previous one: parse-depth limits
  // alone would allow 64 x 90 levels.
  std::string nots;
  for (int i = 0; i < 90; ++i) nots += "not ";
  std::string text = "- macro: m0\n  condition: proc.name = a\n";
  for (int i = 1; i < 20; ++i) {
    text += "- macro: m" + std::to_string(i) + "\n  condition: " + nots + "m" +
            std::to_string(i - 1) + "\n";
  }
  text += std::string(kRuleHead) + "  condition: evt.type = open and m19\n";
  LoadResult r = load_text(text);
  const Diagnostic* d = find_code(r, "limit");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("after macro expansion"), std::string::npos) << d->message;
}

TEST(RuntimeRulesMalformed, UnusedAndUnknownItemsWarn) {
  LoadResult r = load_text(
      "- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = a\n"
      "- something: else\n");
  EXPECT_FALSE(r.has_errors());
  EXPECT_NE(find_code(r, "unused-list"), nullptr);
  EXPECT_NE(find_code(r, "unused-macro"), nullptr);
  EXPECT_NE(find_code(r, "unknown-item"), nullptr);
}

// A cheap deterministic mutation pass over the interop files (the fuzz target explores more):
// loading must never crash or throw, whatever the bytes.
TEST(RuntimeRulesMalformed, MutatedFilesNeverCrash) {
  std::string base;
  for (const char* f : {"falco_interop.yaml", "falco_interop_local.yaml"}) {
    FILE* in = std::fopen(testdata(f).c_str(), "rb");
    ASSERT_NE(in, nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), in)) > 0) base.append(buf, n);
    std::fclose(in);
  }
  uint32_t seed = 1;
  auto rnd = [&](uint32_t n) {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) % n;
  };
  const char kBytes[] = "()[]{},:-'\"\\ \n\tandornot=<>%#*?x0";
  for (int iter = 0; iter < 300; ++iter) {
    std::string t = base;
    int edits = 1 + static_cast<int>(rnd(8));
    for (int e = 0; e < edits; ++e) {
      size_t pos = rnd(static_cast<uint32_t>(t.size()));
      switch (rnd(3)) {
        case 0:
          t[pos] = kBytes[rnd(sizeof(kBytes) - 1)];
          break;
        case 1:
          t.erase(pos, rnd(20));
          break;
        default:
          t.insert(pos, std::string(1 + rnd(5), kBytes[rnd(sizeof(kBytes) - 1)]));
          break;
      }
    }
    LoadResult r = load_text(t);
    for (const auto& d : r.diagnostics) EXPECT_EQ(d.to_string().find('\n'), std::string::npos);
    Event ev = shell_exec("bash");
    r.ruleset->evaluate(ev, [](const Rule&, const Alert& a) { (void)alert_json_line(a, "h"); });
  }
}

TEST(RuntimeRulesMalformed, UnreadableFileIsAnIoError) {
  LoadResult r = load_rule_files({"/nonexistent/rules.yaml"});
  ASSERT_NE(find_code(r, "io"), nullptr);
  EXPECT_EQ(find_code(r, "io")->file, "/nonexistent/rules.yaml");
}

}  // namespace
}  // namespace hivesec::runtime::rules
