// Compile-time layout checks of the records shared with the BPF program (sensor_abi.h): the
// C++ compiler must see the same sizes and offsets clang -target bpf uses. sensor_layout_test
// checks the same facts against the BTF of the compiled BPF object.
#include <cstddef>

#include "runtime/sensor/sensor_abi.h"

namespace hivesec::runtime::sensor {

static_assert(sizeof(hs_syscall_desc) == 12);
static_assert(offsetof(hs_syscall_desc, flags) == 10);
static_assert(sizeof(hs_lpm_key) == 4 + HS_LPM_DATA_LEN);
static_assert(sizeof(hs_config) == 8);
static_assert(sizeof(hs_fd) == 44);
static_assert(offsetof(hs_fd, laddr) == 12 && offsetof(hs_fd, raddr) == 28);
static_assert(sizeof(hs_hdr) == 104);
static_assert(offsetof(hs_hdr, kind) == 24 && offsetof(hs_hdr, pid) == 32);
static_assert(offsetof(hs_hdr, cpu) == 76 && offsetof(hs_hdr, tty) == 80);
static_assert(offsetof(hs_hdr, comm) == 88);
static_assert(offsetof(hs_exec, exe_ctime_ns) == 104);
static_assert(offsetof(hs_exec, filename) == 136);
static_assert(offsetof(hs_exec, args) == 136 + 3 * HS_PATH_LEN);
static_assert(sizeof(hs_exec) == 136 + 3 * HS_PATH_LEN + HS_ARGS_LEN);
static_assert(sizeof(hs_task) == 120);
static_assert(offsetof(hs_sys, ret) == 104 && offsetof(hs_sys, args) == 112);
static_assert(offsetof(hs_sys, fd) == 168 && offsetof(hs_sys, path) == 212);
static_assert(offsetof(hs_sys, blob) == 212 + 2 * HS_PATH_LEN);
static_assert(sizeof(hs_sys) == 216 + 2 * HS_PATH_LEN + HS_BLOB_LEN);
// Records are 8-byte aligned in the ring buffer; every record starts with the header.
static_assert(alignof(hs_sys) == 8 && alignof(hs_exec) == 8 && alignof(hs_task) == 8);

}  // namespace hivesec::runtime::sensor
