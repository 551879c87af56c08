// The records shared with the BPF program have the same layout on both sides: member offsets
// and struct sizes read from the BTF of the embedded sensor.bpf.o equal the C++ offsetof/sizeof.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "runtime/sensor/sensor_abi.h"
#include "runtime/sensor/sensor_object.h"

namespace hivesec::runtime::sensor {
namespace {

struct Field {
  const char* strct;
  const char* member;
  size_t offset;
};

#define HS_FIELD(S, M) Field{#S, #M, offsetof(S, M)}

class SensorLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string_view elf = sensor_bpf_object();
    ASSERT_FALSE(elf.empty());
    LIBBPF_OPTS(bpf_object_open_opts, opts);
    obj_ = bpf_object__open_mem(elf.data(), elf.size(), &opts);  // parses, loads nothing
    ASSERT_NE(obj_, nullptr);
    btf_view_ = bpf_object__btf(obj_);
    ASSERT_NE(btf_view_, nullptr);
  }
  void TearDown() override {
    if (obj_) bpf_object__close(obj_);
  }

  const btf_type* find(const char* name, __s32* id = nullptr) {
    __s32 i = btf__find_by_name_kind(btf_view_, name, BTF_KIND_STRUCT);
    if (id) *id = i;
    return i < 0 ? nullptr : btf__type_by_id(btf_view_, i);
  }

  long member_offset(const char* strct, const char* member) {
    const btf_type* t = find(strct);
    if (!t) return -1;
    const btf_member* m = btf_members(t);
    for (int i = 0; i < btf_vlen(t); ++i, ++m) {
      if (std::string(btf__name_by_offset(btf_view_, m->name_off)) == member) {
        return static_cast<long>(btf_member_bit_offset(t, i) / 8);
      }
    }
    return -2;
  }

  const btf* btf_view_ = nullptr;
  bpf_object* obj_ = nullptr;
};

TEST_F(SensorLayoutTest, StructSizesMatchTheBpfObject) {
  const std::pair<const char*, size_t> sizes[] = {
      {"hs_hdr", sizeof(hs_hdr)},   {"hs_exec", sizeof(hs_exec)},
      {"hs_task", sizeof(hs_task)}, {"hs_sys", sizeof(hs_sys)},
      {"hs_fd", sizeof(hs_fd)},     {"hs_syscall_desc", sizeof(hs_syscall_desc)},
      {"hs_lpm_key", sizeof(hs_lpm_key)}, {"hs_config", sizeof(hs_config)},
  };
  for (const auto& [name, size] : sizes) {
    const btf_type* t = find(name);
    ASSERT_NE(t, nullptr) << name << " missing from the BPF object's BTF";
    EXPECT_EQ(t->size, size) << name;
  }
}

TEST_F(SensorLayoutTest, MemberOffsetsMatchTheBpfObject) {
  const Field fields[] = {
      HS_FIELD(hs_hdr, ts_boot_ns),   HS_FIELD(hs_hdr, cgroup_id),  HS_FIELD(hs_hdr, kind),
      HS_FIELD(hs_hdr, syscall_nr),   HS_FIELD(hs_hdr, pid),        HS_FIELD(hs_hdr, vpid),
      HS_FIELD(hs_hdr, pidns_ino),    HS_FIELD(hs_hdr, loginuid),   HS_FIELD(hs_hdr, cpu),
      HS_FIELD(hs_hdr, tty),          HS_FIELD(hs_hdr, comm),       HS_FIELD(hs_exec, exe_ctime_ns),
      HS_FIELD(hs_exec, flags),       HS_FIELD(hs_exec, args_len),  HS_FIELD(hs_exec, filename),
      HS_FIELD(hs_exec, exepath),     HS_FIELD(hs_exec, cwd),       HS_FIELD(hs_exec, args),
      HS_FIELD(hs_task, child_pid),   HS_FIELD(hs_task, exit_code), HS_FIELD(hs_sys, ret),
      HS_FIELD(hs_sys, args),         HS_FIELD(hs_sys, blob_len),   HS_FIELD(hs_sys, fd),
      HS_FIELD(hs_sys, path),         HS_FIELD(hs_sys, path2),      HS_FIELD(hs_sys, blob),
      HS_FIELD(hs_fd, family),        HS_FIELD(hs_fd, lport),       HS_FIELD(hs_fd, laddr),
      HS_FIELD(hs_fd, raddr),         HS_FIELD(hs_syscall_desc, dirfd2_arg),
      HS_FIELD(hs_syscall_desc, flags_arg), HS_FIELD(hs_syscall_desc, flags),
      HS_FIELD(hs_lpm_key, data),     HS_FIELD(hs_config, filter_all_write),
  };
  for (const Field& f : fields) {
    EXPECT_EQ(member_offset(f.strct, f.member), static_cast<long>(f.offset))
        << f.strct << "." << f.member;
  }
}

}  // namespace
}  // namespace hivesec::runtime::sensor
