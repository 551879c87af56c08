// Container attribution without a kernel: cgroup path patterns, /proc/<pid>/cgroup and
// mountinfo parsing, Engine API inspect bodies, RFC 3339 times, and the cache's first-sight
// resolution off the event path (slow engine), reuse, outage degradation and eviction over real
// files in a temporary proc root.
#include "runtime/sensor/container.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace hivesec::runtime::sensor {
namespace {

const std::string kId = "0977f75188a5f8cbd0fd5e8212de43522a7307c85716ccbef6ace0d8c331f53f";

TEST(SensorContainerTest, CgroupPathPatterns) {
  struct Case {
    std::string path, runtime, id;
  };
  const Case cases[] = {
      {"/libpod_parent/libpod-" + kId, "podman", kId},
      {"/machine.slice/libpod-" + kId + ".scope", "podman", kId},
      {"/machine.slice/libpod-" + kId + ".scope/container", "podman", kId},
      {"/system.slice/docker-" + kId + ".scope", "docker", kId},
      {"/docker/" + kId, "docker", kId},
      {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-" +
           kId + ".scope", "containerd", kId},
      {"/kubepods.slice/kubepods-pod2.slice/crio-" + kId + ".scope", "crio", kId},
      {"/kubepods/besteffort/pod3/" + kId, "", kId},
      {"/user.slice/user-0.slice/session-1.scope", "", ""},
      {"/machine.slice/libpod-conmon-" + kId + ".scope", "", ""},  // conmon is not the container
      {"/libpod_parent/libpod-" + kId.substr(1), "", ""},          // 63 hex digits
      {"/libpod_parent/libpod-" + std::string(64, 'G'), "", ""},
      {"/", "", ""},
      {"", "", ""},
  };
  for (const Case& c : cases) {
    auto r = container_from_cgroup_path(c.path);
    if (c.id.empty()) {
      EXPECT_FALSE(r.has_value()) << c.path;
    } else {
      ASSERT_TRUE(r.has_value()) << c.path;
      EXPECT_EQ(r->id, c.id) << c.path;
      EXPECT_EQ(r->runtime, c.runtime) << c.path;
    }
  }
}

TEST(SensorContainerTest, ProcCgroupHybridAndUnified) {
  // As seen here for a podman+runc container on a hybrid host.
  std::string hybrid = "9:name=systemd:/libpod_parent/libpod-" + kId + "\n4:memory:/libpod_parent/libpod-" +
                       kId + "\n0::/libpod_parent/libpod-" + kId + "\n";
  ProcCgroup p = parse_proc_cgroup(hybrid);
  EXPECT_EQ(p.unified_path, "/libpod_parent/libpod-" + kId);
  ASSERT_TRUE(p.container);
  EXPECT_EQ(p.container->id, kId);
  // v1-only runtime: the unified line is "/" but a controller line names the container.
  ProcCgroup v1 = parse_proc_cgroup("4:memory:/docker/" + kId + "\n0::/\n");
  EXPECT_EQ(v1.unified_path, "/");
  ASSERT_TRUE(v1.container);
  EXPECT_EQ(v1.container->id, kId);
  ProcCgroup host = parse_proc_cgroup("0::/user.slice\n");
  EXPECT_FALSE(host.container);
  EXPECT_FALSE(parse_proc_cgroup("garbage without colons\n::\n").container);
}

TEST(SensorContainerTest, OverlayUpperdirOfRootMount) {
  std::string mi =
      "78 77 0:43 / /proc rw - proc proc rw\n"
      "77 50 0:40 / / rw,relatime - overlay overlay rw,lowerdir=/s/l/A:/s/l/B,"
      "upperdir=/var/lib/containers/storage/overlay/55\\040x/diff,workdir=/s/55/work\n";
  EXPECT_EQ(overlay_upperdir(mi), "/var/lib/containers/storage/overlay/55 x/diff");
  EXPECT_EQ(overlay_upperdir("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"), "");
  EXPECT_EQ(overlay_upperdir("short line\n"), "");
}

TEST(SensorContainerTest, Rfc3339) {
  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T00:00:01Z"), 1000000000ull);
  EXPECT_EQ(parse_rfc3339_ns("2024-05-01T10:00:00.5Z"), 1714557600500000000ull);
  EXPECT_EQ(parse_rfc3339_ns("2024-05-01T12:00:00.123456789+02:00"), 1714557600123456789ull);
  EXPECT_EQ(parse_rfc3339_ns("0001-01-01T00:00:00Z"), 0ull);
  EXPECT_FALSE(parse_rfc3339_ns("2024-05-01 junk"));
  EXPECT_FALSE(parse_rfc3339_ns("2024-05-01T10:00:00"));
  EXPECT_FALSE(parse_rfc3339_ns("2024-05-01T10:00:00Zextra"));
}

TEST(SensorContainerTest, InspectJson) {
  std::string body = R"({"Id":")" + kId + R"(","Name":"/web","Image":"sha256:abc",
    "Config":{"Image":"docker.io/library/nginx:1.25","Labels":{"io.kubernetes.pod.name":"web-0",
    "io.kubernetes.pod.namespace":"prod","io.kubernetes.pod.uid":"u1","team":"a","n":1}},
    "HostConfig":{"Privileged":true},"State":{"StartedAt":"1970-01-01T00:00:02Z"}})";
  auto r = parse_inspect_json(body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "web");
  EXPECT_EQ(r->image, "docker.io/library/nginx:1.25");
  EXPECT_EQ(r->image_id, "sha256:abc");
  EXPECT_EQ(r->pod_name, "web-0");
  EXPECT_EQ(r->pod_namespace, "prod");
  EXPECT_EQ(r->pod_uid, "u1");
  EXPECT_EQ(r->labels.at("team"), "a");
  EXPECT_EQ(r->labels.count("n"), 0u);  // non-string label values are ignored
  EXPECT_TRUE(r->privileged);
  EXPECT_EQ(r->started_ns, 2000000000ull);
  EXPECT_TRUE(r->metadata_complete);
  EXPECT_FALSE(parse_inspect_json("{not json").ok());
  EXPECT_FALSE(parse_inspect_json("[1,2]").ok());
  auto sparse = parse_inspect_json(R"({"Config":null,"State":5})");
  ASSERT_TRUE(sparse.ok());
  EXPECT_EQ(sparse->name, "");
}

// A metadata source that answers from a table and counts calls; `down` simulates an outage,
// `delay_ms` a slow engine. Called on the cache's resolver thread.
class TableSource : public ContainerMetadataSource {
 public:
  Result<ContainerInfo> inspect(std::string_view id, int) override {
    ++calls;
    if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
    if (down) return make_error(Errc::kNetwork, "engine down");
    if (id != kId) return make_error(Errc::kNotFound, "unknown");
    ContainerInfo c;
    c.name = "web";
    c.image = "nginx:1";
    return c;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> down{false};
  std::atomic<int> delay_ms{0};
};

class SensorContainerCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("hs-cc-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void proc(int pid, const std::string& cgroup) {
    std::filesystem::create_directories(root_ / std::to_string(pid));
    std::ofstream(root_ / std::to_string(pid) / "cgroup") << cgroup;
  }
  std::unique_ptr<ContainerCache> make(TableSource*& src) {
    auto s = std::make_unique<TableSource>();
    src = s.get();
    ContainerCache::Options o;
    o.proc_root = root_.string();
    o.cgroup2_root = "/nonexistent-cgroup2";
    o.retry_ns = 0;
    return std::make_unique<ContainerCache>(std::move(s), o);
  }
  // The next finished lookup (fails the test after 5 s).
  static ContainerUpdate next_update(ContainerCache& cc) {
    auto u = cc.wait(5000);
    EXPECT_EQ(u.size(), 1u);
    return u.empty() ? ContainerUpdate{} : u.front();
  }
  std::filesystem::path root_;
};

TEST_F(SensorContainerCacheTest, ResolvesOnFirstSightThenCaches) {
  TableSource* src;
  auto cc = make(src);
  proc(100, "0::/libpod_parent/libpod-" + kId + "\n");
  proc(101, "0::/libpod_parent/libpod-" + kId + "\n");
  const ContainerState& a = cc->resolve(42, 42, 100);
  ASSERT_TRUE(a.info);
  EXPECT_EQ(a.info->id, kId);  // the id at once, the rest from the resolver
  EXPECT_TRUE(a.pending);
  ContainerUpdate u = next_update(*cc);
  EXPECT_EQ(u.key, 42u);
  ASSERT_TRUE(u.info);
  EXPECT_EQ(u.info->name, "web");
  EXPECT_TRUE(u.info->metadata_complete);
  const ContainerState& b = cc->resolve(42, 42, 101);
  EXPECT_FALSE(b.pending);
  EXPECT_EQ(b.info, u.info);
  EXPECT_EQ(src->calls, 1);
}

TEST_F(SensorContainerCacheTest, ASlowEngineNeverBlocksResolve) {
  TableSource* src;
  auto cc = make(src);
  src->delay_ms = 400;
  proc(100, "0::/docker/" + kId + "\n");
  auto t0 = std::chrono::steady_clock::now();
  const ContainerState& a = cc->resolve(5, 5, 100);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));
  EXPECT_TRUE(a.pending);
  EXPECT_FALSE(a.info->metadata_complete);
  EXPECT_TRUE(cc->poll().empty());  // not answered yet
  ContainerUpdate u = next_update(*cc);
  EXPECT_TRUE(u.info && u.info->metadata_complete);
  EXPECT_EQ(cc->resolve(5, 5, 100).info->image, "nginx:1");
}

TEST_F(SensorContainerCacheTest, HostProcessesShareTheHostEntry) {
  TableSource* src;
  auto cc = make(src);
  proc(7, "0::/user.slice\n");
  EXPECT_EQ(cc->resolve(9, 9, 7).info, ContainerCache::host());
  EXPECT_FALSE(cc->resolve(9, 9, 7).pending);
  EXPECT_EQ(src->calls, 0);
  // A vanished pid whose cgroup cannot be found is attributed to the host, not dropped.
  EXPECT_EQ(cc->resolve(10, 10, 999999).info->id, "host");
}

TEST_F(SensorContainerCacheTest, OutageDegradesToIdAndRecovers) {
  TableSource* src;
  auto cc = make(src);
  src->down = true;
  proc(100, "0::/docker/" + kId + "\n");
  auto first = cc->resolve(5, 5, 100).info;
  ContainerUpdate failed = next_update(*cc);
  ASSERT_TRUE(failed.info);
  EXPECT_EQ(failed.info->id, kId);
  EXPECT_FALSE(failed.info->metadata_complete);
  EXPECT_EQ(cc->lookup_failures(), 1u);
  src->down = false;
  EXPECT_TRUE(cc->resolve(5, 5, 100).pending);  // retry_ns = 0: asks again
  ContainerUpdate later = next_update(*cc);
  EXPECT_TRUE(later.info->metadata_complete);
  EXPECT_EQ(later.info->name, "web");
  EXPECT_EQ(first->name, "");  // handed-out infos are immutable
}

TEST_F(SensorContainerCacheTest, AnswersForEvictedContainersStillArrive) {
  TableSource* src;
  auto cc = make(src);
  src->delay_ms = 100;
  proc(100, "0::/docker/" + kId + "\n");
  cc->resolve(5, 5, 100);
  cc->retain(5);
  EXPECT_TRUE(cc->release(5));  // the container's only process exited before the answer
  EXPECT_EQ(cc->sweep(), 1u);   // and its cgroup is gone (none exists under this root)
  ContainerUpdate u = next_update(*cc);
  EXPECT_EQ(u.key, 5u);
  EXPECT_TRUE(u.info && u.info->metadata_complete);
  EXPECT_EQ(cc->size(), 0u);
}

TEST_F(SensorContainerCacheTest, DestructionWithALookupInFlight) {
  TableSource* src;
  auto cc = make(src);
  src->delay_ms = 200;
  proc(100, "0::/docker/" + kId + "\n");
  cc->resolve(5, 5, 100);
  cc.reset();  // joins the resolver; nothing dangles
  SUCCEED();
}

TEST_F(SensorContainerCacheTest, EvictsOnceTheContainerIsGone) {
  // A cgroup2 tree of our own: the container's cgroup exists until "the container exits".
  auto cg = root_ / "cgroup2";
  std::filesystem::create_directories(cg / "docker" / kId);
  auto s = std::make_unique<TableSource>();
  TableSource* src = s.get();
  ContainerCache::Options o;
  o.proc_root = root_.string();
  o.cgroup2_root = cg.string();
  o.idle_ns = 3'600'000'000'000;  // an hour: only the cgroup's removal evicts here
  ContainerCache cc(std::move(s), o);
  proc(100, "0::/docker/" + kId + "\n");
  cc.resolve(5, 5, 100);
  next_update(cc);
  cc.retain(5);
  cc.retain(5);
  EXPECT_FALSE(cc.release(5));
  EXPECT_TRUE(cc.release(5));  // no process left: idle
  EXPECT_EQ(cc.sweep(), 0u);   // but the cgroup is still there (processes come and go)
  cc.resolve(5, 5, 100);
  EXPECT_EQ(src->calls, 1);  // served from the entry, not looked up again
  cc.retain(5);              // a new process arrives: no longer idle
  std::filesystem::remove(cg / "docker" / kId);
  EXPECT_EQ(cc.sweep(), 0u);  // a live process keeps it whatever the cgroup says
  EXPECT_TRUE(cc.release(5));
  EXPECT_EQ(cc.sweep(), 1u);  // the container is gone
  EXPECT_EQ(cc.size(), 0u);
  EXPECT_FALSE(cc.release(5));  // unknown key
  cc.resolve(5, 5, 100);
  next_update(cc);
  EXPECT_EQ(src->calls, 2);  // resolved again after eviction
}

TEST_F(SensorContainerCacheTest, IdleEntriesExpireWhenTheCgroupStays) {
  auto cg = root_ / "cgroup2";
  std::filesystem::create_directories(cg / "docker" / kId);
  ContainerCache::Options o;
  o.proc_root = root_.string();
  o.cgroup2_root = cg.string();
  o.idle_ns = 1;
  ContainerCache cc(std::make_unique<TableSource>(), o);
  proc(100, "0::/docker/" + kId + "\n");
  cc.resolve(5, 5, 100);
  cc.retain(5);
  cc.release(5);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(cc.sweep(), 1u);
}

TEST_F(SensorContainerCacheTest, RootCgroupKeysByPidNamespace) {
  TableSource* src;
  auto cc = make(src);
  // cgroup2 root unknown here: id 1 stands for the root, so keys fall back to the pid ns.
  EXPECT_NE(cc->key_for(1, 4026531836u), cc->key_for(1, 4026532252u));
  EXPECT_EQ(cc->key_for(12345, 4026531836u), 12345u);
}

}  // namespace
}  // namespace hivesec::runtime::sensor
