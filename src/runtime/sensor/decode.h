// Pure decoding of the sensor's ring-buffer records (sensor_abi.h) into Event fields: syscall
// arguments, sockaddrs, fd descriptions, argv. No process table, no container lookups, no I/O,
// so every rule of decoding is unit-tested without a kernel.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/event.h"
#include "runtime/sensor/sensor_abi.h"

namespace hivesec::runtime::sensor {

// Converts the kernel's boot-clock nanoseconds to CLOCK_REALTIME nanoseconds.
struct ClockOffset {
  int64_t boot_to_real_ns = 0;
  static ClockOffset now();  // measured once at start
  uint64_t to_real(uint64_t boot_ns) const { return boot_ns + boot_to_real_ns; }
};

// The C string in a fixed-size field (stops at the first NUL or the field's end).
std::string_view field_string(const char* p, size_t cap);

// Splits a NUL-separated argv block.
void split_args(std::string_view block, std::vector<std::string>& out);

// "1.2.3.4" / "::1" for a 4- or 16-byte address.
std::string ip_text(const uint8_t* addr, int family);

// A sockaddr as the kernel copied it from user memory: family, address text, port (host order)
// or unix path ("@name" for the abstract namespace). False when too short or unknown family.
struct SockAddr {
  int family = 0;
  std::string addr;  // IP text or unix path
  uint16_t port = 0;
};
bool parse_sockaddr(std::span<const uint8_t> raw, SockAddr& out);

// Record size check: kCorrupt when `size` is smaller than the record its kind needs.
Status check_record(const void* data, size_t size);

// Fills the parts of `ev` that come from the record alone: type, syscall, timestamps, process
// identity from the header, args, fd, paths. Process names, ancestors and the container are
// added by the caller. `rec` must have passed check_record.
void decode_record(const void* rec, const ClockOffset& clock, Event& ev);

// The header of any record.
inline const hs_hdr& header_of(const void* rec) { return *static_cast<const hs_hdr*>(rec); }

}  // namespace hivesec::runtime::sensor
