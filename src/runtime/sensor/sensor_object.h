// The compiled BPF object embedded in hivesec (from the bpftool skeleton), for checks that
// compare its BTF with the C++ view of sensor_abi.h.
#pragma once

#include <string_view>

namespace hivesec::runtime::sensor {

// The ELF bytes of sensor.bpf.o; valid for the life of the program.
std::string_view sensor_bpf_object();

}  // namespace hivesec::runtime::sensor
