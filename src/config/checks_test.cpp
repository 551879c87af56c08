// Unit tests of the "config" checks: the catalogue/registry contract, and each check on
// Dockerfiles, image configs/histories and layer files, positive and negative.
#include "config/checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analyze/builtins.h"
#include "config/check_util.h"
#include "config/file_kinds.h"
#include "config/layer_checks.h"
#include "config/run_checks.h"

namespace hivesec::config {
namespace {

// ---------------------------------------------------------------- catalogue and registries

TEST(ConfigCatalogue, BundledCatalogueMatchesTheCode) {
  auto cat = builtin_catalogue();
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_GE((*cat)->all().size(), 16u);
  for (const auto& m : (*cat)->all()) {
    EXPECT_TRUE(m.id.starts_with("HS-IMG-")) << m.id;
    EXPECT_FALSE(m.remediation.empty()) << m.id;
    EXPECT_FALSE(m.description.empty()) << m.id;
  }
  model::Finding f = (*cat)->finding("HS-IMG-001");
  EXPECT_EQ(f.kind, model::FindingKind::kMisconfig);
  EXPECT_EQ(f.aliases, std::vector<std::string>{"CIS-DOCKER-4.1"});
  EXPECT_TRUE((*cat)->finding("HS-IMG-007").aliases.empty());  // no CIS recommendation
}

TEST(ConfigCatalogue, CheckWithoutCodeOrCodeWithoutCheckIsAnError) {
  auto full = builtin_catalogue();
  ASSERT_TRUE(full.ok());
  // Drop one entry: its code is now orphaned.
  std::string yaml = "checks:\n";
  auto add = [&](const CheckMeta& m, const std::string& targets) {
    yaml += "  - {id: " + m.id + ", title: t, severity: low, description: d, remediation: r, targets: [" +
            targets + "]}\n";
  };
  auto targets_of = [](const CheckMeta& m) {
    std::string t;
    for (Target x : m.targets) t += (t.empty() ? "" : ", ") + std::string(target_name(x));
    return t;
  };
  for (const auto& m : (*full)->all()) {
    if (m.id != "HS-IMG-002") add(m, targets_of(m));
  }
  auto missing = Catalogue::parse(yaml, "test.yaml");
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  auto st = verify_registries(*missing);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("HS-IMG-002"), std::string::npos) << st.error().message;

  // A check claiming a target it has no code for.
  std::string extra = yaml;
  extra += "  - {id: HS-IMG-002, title: t, severity: low, description: d, remediation: r, targets: [image, dockerfile, layer]}\n";
  auto more = Catalogue::parse(extra, "test.yaml");
  ASSERT_TRUE(more.ok());
  st = verify_registries(*more);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("HS-IMG-002: target layer has no code"), std::string::npos)
      << st.error().message;
  // A check with no code at all.
  auto unknown = Catalogue::parse(
      yaml + "  - {id: HS-IMG-002, title: t, severity: low, description: d, remediation: r, targets: [image, dockerfile]}\n"
             "  - {id: HS-IMG-999, title: t, severity: low, description: d, remediation: r, targets: [image]}\n",
      "test.yaml");
  ASSERT_TRUE(unknown.ok());
  st = verify_registries(*unknown);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("HS-IMG-999"), std::string::npos);
}

TEST(ConfigCatalogue, MalformedCatalogues) {
  EXPECT_FALSE(Catalogue::parse("checks: [", "x.yaml").ok());
  EXPECT_FALSE(Catalogue::parse("nothing: 1", "x.yaml").ok());
  auto bad_sev = Catalogue::parse(
      "checks:\n  - {id: A, title: t, severity: huge, description: d, remediation: r, targets: [image]}\n", "x.yaml");
  ASSERT_FALSE(bad_sev.ok());
  EXPECT_NE(bad_sev.error().message.find("bad severity"), std::string::npos);
  auto dup = Catalogue::parse(
      "checks:\n  - {id: A, title: t, severity: low, description: d, remediation: r, targets: [image]}\n"
      "  - {id: A, title: t, severity: low, description: d, remediation: r, targets: [image]}\n", "x.yaml");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos);
  auto no_rem = Catalogue::parse("checks:\n  - {id: A, title: t, severity: low, description: d, targets: [image]}\n", "x.yaml");
  ASSERT_FALSE(no_rem.ok());
  EXPECT_NE(no_rem.error().message.find("remediation"), std::string::npos);
  auto bad_target = Catalogue::parse(
      "checks:\n  - {id: A, title: t, severity: low, description: d, remediation: r, targets: [cloud]}\n", "x.yaml");
  EXPECT_FALSE(bad_target.ok());
}

// ---------------------------------------------------------------- Dockerfile checks

// "ID@line" of every finding.
std::multiset<std::string> df_hits(std::string_view text) {
  auto df = dockerfile::parse(text);
  EXPECT_TRUE(df.ok()) << (df.ok() ? "" : df.error().message);
  if (!df.ok()) return {};
  auto found = check_dockerfile(*df, "Dockerfile");
  EXPECT_TRUE(found.ok());
  std::multiset<std::string> out;
  for (const auto& f : *found) {
    EXPECT_EQ(f.evidence.path, "Dockerfile");
    EXPECT_FALSE(f.remediation.empty());
    out.insert(f.rule_id + "@" + std::to_string(f.evidence.line));
  }
  return out;
}

bool has(const std::multiset<std::string>& hits, std::string_view id_at) {
  return hits.count(std::string(id_at)) > 0;
}
bool has_id(const std::multiset<std::string>& hits, std::string_view id) {
  return std::any_of(hits.begin(), hits.end(), [&](const std::string& h) { return h.starts_with(std::string(id) + "@"); });
}

// A Dockerfile with no findings at all: the negative baseline each positive case departs from.
constexpr std::string_view kClean =
    "FROM debian:12@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"
    "COPY app /app\n"
    "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
    "USER 10001\n";

TEST(ConfigDockerfileChecks, CleanDockerfileHasNoFindings) {
  EXPECT_TRUE(df_hits(kClean).empty());
}

TEST(ConfigDockerfileChecks, RootUser) {
  EXPECT_TRUE(has(df_hits("FROM debian:12@sha256:00\nHEALTHCHECK NONE\n"), "HS-IMG-001@1"));
  EXPECT_TRUE(has(df_hits("FROM a@sha256:0\nUSER app\nUSER 0:0\n"), "HS-IMG-001@3"));
  EXPECT_TRUE(has(df_hits("FROM a@sha256:0\nUSER root\n"), "HS-IMG-001@2"));
  // USER applies to the final stage only; a builder stage's USER does not count.
  auto multi = df_hits("FROM a@sha256:0 AS b\nUSER app\nFROM c@sha256:0\nCOPY --from=b /x /x\n");
  EXPECT_TRUE(has(multi, "HS-IMG-001@3"));
  // ... but a stage built FROM that stage inherits it.
  EXPECT_FALSE(has_id(df_hits("FROM a@sha256:0 AS b\nUSER app\nFROM b\n"), "HS-IMG-001"));
  EXPECT_FALSE(has_id(df_hits("ARG U=app\nFROM a@sha256:0\nARG U\nUSER $U\n"), "HS-IMG-001"));
}

TEST(ConfigDockerfileChecks, Healthcheck) {
  EXPECT_TRUE(has(df_hits("FROM a@sha256:0\nUSER 1\n"), "HS-IMG-002@1"));
  EXPECT_TRUE(has(df_hits("FROM a@sha256:0\nHEALTHCHECK NONE\nUSER 1\n"), "HS-IMG-002@2"));
  EXPECT_FALSE(has_id(df_hits("FROM a@sha256:0\nHEALTHCHECK --interval=5s CMD true\n"), "HS-IMG-002"));
}

TEST(ConfigDockerfileChecks, AddRemoteOrArchive) {
  auto h = df_hits(std::string(kClean) + "ADD https://example.com/x.sh /x.sh\nADD rootfs.tar.xz /\n"
                   "ADD ./conf /etc/conf\nADD --checksum=sha256:00 https://example.com/y /y\n"
                   "ADD [\"a.tgz\", \"/opt/\"]\n");
  EXPECT_TRUE(has(h, "HS-IMG-003@6"));
  EXPECT_TRUE(has(h, "HS-IMG-003@7"));
  EXPECT_TRUE(has(h, "HS-IMG-003@10"));
  EXPECT_EQ(h.count("HS-IMG-003@8") + h.count("HS-IMG-003@9"), 0u);
}

TEST(ConfigDockerfileChecks, BaseImageTagAndDigest) {
  auto h = df_hits(
      "ARG V=3.19\n"
      "FROM golang AS build\n"
      "FROM alpine:latest AS a\n"
      "FROM alpine:${V} AS b\n"
      "FROM build AS c\n"
      "FROM scratch\n"
      "FROM registry:5000/team/app\n"
      "USER 1\nHEALTHCHECK CMD true\n");
  EXPECT_TRUE(has(h, "HS-IMG-004@2"));
  EXPECT_TRUE(has(h, "HS-IMG-004@3"));
  EXPECT_TRUE(has(h, "HS-IMG-005@4"));  // tagged, not pinned
  EXPECT_FALSE(has(h, "HS-IMG-004@4"));
  EXPECT_FALSE(has_id(h, "HS-IMG-004@5") || has(h, "HS-IMG-005@5"));  // a stage, not an image
  EXPECT_FALSE(has(h, "HS-IMG-004@6") || has(h, "HS-IMG-005@6"));     // scratch
  EXPECT_TRUE(has(h, "HS-IMG-004@7"));  // the port is not a tag
}

TEST(ConfigDockerfileChecks, SecretsInEnvAndArg) {
  auto df = dockerfile::parse(
      "FROM a@sha256:0\n"
      "ENV DB_PASSWORD=hunter2hunter2 APP_NAME=x\n"
      "ARG GITHUB_TOKEN=ghp_abcdefghijkl\n"
      "ARG NPM_TOKEN\n"
      "ENV API_KEY $API_KEY\n"
      "ENV PASSWORD_FILE=/run/secrets/pw TOKENIZERS_PARALLELISM=false\n"
      "ENV AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-abcdefgh1234}\n");
  ASSERT_TRUE(df.ok());
  auto found = check_dockerfile(*df, "Dockerfile");
  ASSERT_TRUE(found.ok());
  std::vector<std::string> got;
  for (const auto& f : *found) {
    if (f.rule_id != "HS-IMG-006") continue;
    got.push_back(std::to_string(f.evidence.line) + " " + f.evidence.match);
    EXPECT_EQ(f.aliases, std::vector<std::string>{"CIS-DOCKER-4.10"});
  }
  EXPECT_EQ(got, (std::vector<std::string>{"2 DB_PASSWORD=hu****", "3 GITHUB_TOKEN=gh****",
                                           "7 AWS_SECRET_ACCESS_KEY=${****"}));
  for (const auto& f : *found) EXPECT_EQ(f.evidence.match.find("hunter2"), std::string::npos);
}

TEST(ConfigDockerfileChecks, SshPort) {
  EXPECT_TRUE(has(df_hits(std::string(kClean) + "EXPOSE 80 22/tcp\n"), "HS-IMG-007@6"));
  EXPECT_TRUE(has(df_hits(std::string(kClean) + "ARG P=22\nEXPOSE $P\n"), "HS-IMG-007@7"));
  EXPECT_TRUE(has(df_hits(std::string(kClean) + "EXPOSE 20-30\n"), "HS-IMG-007@6"));
  EXPECT_FALSE(has_id(df_hits(std::string(kClean) + "EXPOSE 2222 22/udp 8022\n"), "HS-IMG-007"));
}

TEST(ConfigDockerfileChecks, RunCommandChecks) {
  auto h = df_hits(std::string(kClean) +
                   "RUN apt-get install -y curl\n"                              // 6: 010 012
                   "RUN apt-get update\n"                                       // 7: 014
                   "RUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*\n"  // 8: 013
                   "RUN apk add sudo\n"                                         // 9: 010 011
                   "RUN curl -fsSL https://get.example.com | sh\n"              // 10: 015
                   "RUN chmod 777 /app && chmod u+s /app/tool\n"                // 11: 016 008
                   "COPY --chmod=4755 tool /usr/local/bin/tool\n"               // 12: 008
                   "RUN --mount=type=cache,target=/var/cache/apt apt-get install -y --no-install-recommends x\n"  // 13
                   "RUN pip install --no-cache-dir flask && chmod 1777 /tmp/x\n"  // 14
                   "RUN sh -c \"$(wget -qO- https://x/install)\"\n"             // 15: 015
                   "RUN <<EOF\n"                                                // 16: 014
                   "set -e\n"
                   "apt-get update\n"
                   "EOF\n");
  std::multiset<std::string> want = {"HS-IMG-010@6", "HS-IMG-012@6", "HS-IMG-014@7", "HS-IMG-013@8",
                                     "HS-IMG-010@9", "HS-IMG-011@9", "HS-IMG-015@10", "HS-IMG-016@11",
                                     "HS-IMG-008@11", "HS-IMG-008@12", "HS-IMG-015@15", "HS-IMG-014@16"};
  EXPECT_EQ(h, want);
}

TEST(ConfigDockerfileChecks, ModeHelpers) {
  EXPECT_TRUE(mode_sets_id("4755"));
  EXPECT_TRUE(mode_sets_id("g+s"));
  EXPECT_FALSE(mode_sets_id("755"));
  EXPECT_FALSE(mode_sets_id("u-s"));
  EXPECT_TRUE(mode_world_writable("0777"));
  EXPECT_TRUE(mode_world_writable("a+rwx"));
  EXPECT_TRUE(mode_world_writable("u+x,o+w"));
  EXPECT_FALSE(mode_world_writable("1777"));
  EXPECT_FALSE(mode_world_writable("+w"));
  EXPECT_FALSE(mode_world_writable("755"));
}

TEST(ConfigFileKinds, DockerfileNames) {
  for (auto n : {"Dockerfile", "dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.prod",
                 "x.containerfile"}) {
    EXPECT_TRUE(is_dockerfile_name(n)) << n;
  }
  for (auto n : {"Dockerfile.", ".Dockerfile", "Dockerfiles", "docker-compose.yml", "README.md"}) {
    EXPECT_FALSE(is_dockerfile_name(n)) << n;
  }
}

// ---------------------------------------------------------------- image checks

model::ScanResult image_result() {
  model::ScanResult r;
  r.asset.id = "sha256:img";
  r.image.emplace();
  r.image->config.user = "10001";
  r.image->config.healthcheck = "curl -f localhost";
  r.image->layers = {{"d0", "sha256:l0"}, {"d1", "sha256:l1"}};
  r.image->history = {{"", "/bin/sh -c #(nop) ADD file:abc in / ", "", false},
                      {"", "/bin/sh -c #(nop)  CMD [\"bash\"]", "", true},
                      {"", "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/* # buildkit", "", false}};
  return r;
}

std::multiset<std::string> image_hits(model::ScanResult r) {
  auto st = run_image_checks(r);
  EXPECT_TRUE(st.ok());
  std::multiset<std::string> out;
  for (const auto& f : r.findings) {
    EXPECT_FALSE(f.evidence.extra.count("per-file")) << f.rule_id;
    out.insert(f.rule_id + (f.evidence.layer.empty() ? "" : "@" + f.evidence.layer));
  }
  return out;
}

TEST(ConfigImageChecks, CleanImageHasNoFindings) {
  EXPECT_TRUE(image_hits(image_result()).empty());
}

TEST(ConfigImageChecks, RootUser) {
  for (std::string user : {"", "root", "0", "0:0", "root:staff"}) {
    auto r = image_result();
    r.image->config.user = user;
    EXPECT_EQ(image_hits(r), std::multiset<std::string>{"HS-IMG-001"}) << user;
  }
  auto r = image_result();
  r.image->config.user = "1000:0";
  EXPECT_TRUE(image_hits(r).empty());
  model::ScanResult fs;  // a filesystem has no config: nothing to say
  EXPECT_TRUE(image_hits(fs).empty());
}

TEST(ConfigImageChecks, HealthcheckPortsEnvLabels) {
  auto r = image_result();
  r.image->config.healthcheck = "";
  r.image->config.exposed_ports = {"80/tcp", "22/tcp"};
  r.image->config.env = {"PATH=/usr/bin", "MYSQL_ROOT_PASSWORD=s3cretvalue", "DB_PASSWORD_FILE=/run/x"};
  r.image->config.labels["org.opencontainers.image.base.name"] = "docker.io/library/debian:latest";
  auto h = image_hits(r);
  EXPECT_EQ(h, (std::multiset<std::string>{"HS-IMG-002", "HS-IMG-007", "HS-IMG-006", "HS-IMG-004"}));
  r = image_result();
  r.image->config.labels["org.opencontainers.image.base.name"] = "docker.io/library/debian:12";
  r.image->config.exposed_ports = {"2222/tcp"};
  EXPECT_TRUE(image_hits(r).empty());
}

TEST(ConfigImageChecks, History) {
  auto r = image_result();
  r.image->layers.push_back({"d2", "sha256:l2"});
  r.image->layers.push_back({"d3", "sha256:l3"});
  r.image->history.push_back({"", "ADD https://example.com/tool.tar.gz /opt/ # buildkit", "", false});
  r.image->history.push_back({"", "ARG API_TOKEN=abcdef123456", "", true});
  r.image->history.push_back({"", "|1 API_TOKEN=abcdef123456 /bin/sh -c apt-get update", "", false});
  auto h = image_hits(r);
  EXPECT_EQ(h, (std::multiset<std::string>{"HS-IMG-003@sha256:l2", "HS-IMG-006", "HS-IMG-014@sha256:l3"}));
  // The classic builder's "ADD file:<hash> in /" of a base image is not an archive we can see.
  EXPECT_TRUE(image_hits(image_result()).empty());
}

model::Finding per_file(std::string_view id, std::string path, std::string layer,
                        const analyze::FileInfo& info) {
  auto cat = builtin_catalogue();
  model::Finding f = (*cat)->finding(id);
  f.evidence.path = path;
  f.evidence.layer = layer;
  layer_checks().at(id).describe(info, f);
  return f;
}

TEST(ConfigImageChecks, SetidAggregationAndCaches) {
  auto r = image_result();
  analyze::FileInfo suid;
  suid.mode = 04755;
  suid.type = analyze::FileType::kRegular;
  for (std::string p : {"usr/bin/su", "usr/bin/passwd"}) {
    suid.path = p;
    r.findings.push_back(per_file("HS-IMG-008", p, "sha256:l0", suid));
  }
  suid.path = "opt/app/helper";
  r.findings.push_back(per_file("HS-IMG-008", "opt/app/helper", "sha256:l1", suid));
  analyze::FileInfo cache;
  cache.type = analyze::FileType::kRegular;
  for (auto [p, size] : {std::pair{"var/lib/apt/lists/a_Packages", 100}, {"var/lib/apt/lists/b_Release", 20}}) {
    cache.path = p;
    cache.size = size;
    r.findings.push_back(per_file("HS-IMG-010", p, "sha256:l1", cache));
  }
  model::Package pkg;
  pkg.type = "deb";
  pkg.name = "login";
  pkg.files = {"bin/su", "usr/bin/passwd"};  // merged /usr: dpkg lists /bin/su
  r.packages.push_back(pkg);
  pkg.name = "sudo";
  pkg.files = {};
  pkg.layer = "sha256:l1";
  r.packages.push_back(pkg);

  ASSERT_TRUE(run_image_checks(r).ok());
  std::vector<std::string> got;
  for (const auto& f : r.findings) {
    got.push_back(f.rule_id + " " + model::severity_name(f.severity) + " " + f.evidence.path + " " +
                  f.evidence.layer + " " + f.title);
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "HS-IMG-008 low usr/bin/passwd sha256:l0 2 setuid/setgid files from OS packages (passwd, su)",
                     "HS-IMG-008 medium opt/app/helper sha256:l1 setuid file opt/app/helper not owned by any package",
                     "HS-IMG-010 low var/lib/apt/lists sha256:l1 Package manager cache left in var/lib/apt/lists (2 files, 120 bytes)",
                     "HS-IMG-011 medium  sha256:l1 sudo installed (sudo )"}));
}

// ---------------------------------------------------------------- layer checks

TEST(ConfigLayerChecks, Analyzer) {
  auto made = analyze::make_config_files_analyzer();
  ASSERT_TRUE(made.ok());
  const analyze::Analyzer& a = **made;
  EXPECT_EQ(a.max_size(), 0);
  EXPECT_EQ(a.scanner(), "config");
  auto ids = [&](std::string_view path, analyze::FileType type, uint32_t mode) {
    analyze::FileInfo f;
    f.path = path;
    f.type = type;
    f.mode = mode;
    std::vector<std::string> out;
    if (!a.required(f)) return out;
    analyze::AnalysisOutput o;
    EXPECT_TRUE(a.analyze(f, {}, o).ok());
    for (const auto& x : o.findings) out.push_back(x.rule_id);
    return out;
  };
  using analyze::FileType;
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("usr/bin/sudo", FileType::kRegular, 04755), V{"HS-IMG-008"});
  EXPECT_EQ(ids("usr/bin/wall", FileType::kRegular, 02755), V{"HS-IMG-008"});
  EXPECT_EQ(ids("usr/bin/ls", FileType::kRegular, 0755), V{});
  EXPECT_EQ(ids("usr/bin/x", FileType::kSymlink, 04777), V{});
  EXPECT_EQ(ids("usr/local/bin/tool", FileType::kRegular, 0777), V{"HS-IMG-009"});
  EXPECT_EQ(ids("usr/local/bin", FileType::kDirectory, 0777), V{"HS-IMG-009"});
  EXPECT_EQ(ids("usr/local/bin", FileType::kDirectory, 01777), V{});
  EXPECT_EQ(ids("usr/local/bin/sub/tool", FileType::kRegular, 0777), V{});
  EXPECT_EQ(ids("tmp/x", FileType::kRegular, 0777), V{});
  EXPECT_EQ(ids("var/cache/apt/archives/curl_8.deb", FileType::kRegular, 0644), V{"HS-IMG-010"});
  EXPECT_EQ(ids("var/cache/apt/archives/lock", FileType::kRegular, 0644), V{});
  EXPECT_EQ(ids("var/lib/apt/lists/lock", FileType::kRegular, 0644), V{});
  EXPECT_EQ(ids("var/lib/apt/lists/partial/x", FileType::kRegular, 0644), V{});
  EXPECT_EQ(ids("home/u/.cache/pip/http/a", FileType::kRegular, 0644), V{"HS-IMG-010"});
  EXPECT_EQ(cache_dir_of("home/u/.cache/pip/http/a"), "home/u/.cache/pip");
  EXPECT_EQ(cache_dir_of("root/.npm/_cacache/index-v5/x"), "root/.npm/_cacache");
  EXPECT_EQ(cache_dir_of("var/cache/apk/APKINDEX.tar.gz"), "var/cache/apk");
  EXPECT_EQ(cache_dir_of("var/cache/apt/archives/x.deb"), "var/cache/apt/archives");
  EXPECT_EQ(cache_dir_of("var/cache/debconf/config.dat"), "");
}

TEST(ConfigCheckUtil, Helpers) {
  EXPECT_TRUE(secret_like_name("db_password"));
  EXPECT_TRUE(secret_like_name("STRIPE_API_KEY"));
  EXPECT_FALSE(secret_like_name("PASSWORD_FILE"));
  EXPECT_FALSE(secret_like_name("GPG_KEY"));
  EXPECT_TRUE(secret_value("abc123"));
  EXPECT_FALSE(secret_value("$X"));
  EXPECT_FALSE(secret_value("${X}"));
  EXPECT_FALSE(secret_value("false"));
  auto ref = parse_image_ref("localhost:5000/a/b:1.2@sha256:ab");
  EXPECT_EQ(ref.name, "localhost:5000/a/b");
  EXPECT_EQ(ref.tag, "1.2");
  EXPECT_EQ(ref.digest, "sha256:ab");
  EXPECT_EQ(parse_image_ref("localhost:5000/a").tag, "");
}

}  // namespace
}  // namespace hivesec::config
