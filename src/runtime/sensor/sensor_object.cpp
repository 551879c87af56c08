// Exposes the skeleton's embedded ELF object (see sensor_object.h).
#include "runtime/sensor/sensor_object.h"

#include "runtime/sensor/sensor_abi.h"  // before the skeleton: it names hs_abi_anchor
#include "sensor.skel.h"

namespace hivesec::runtime::sensor {

std::string_view sensor_bpf_object() {
  size_t size = 0;
  const void* data = hs_sensor__elf_bytes(&size);
  return std::string_view(static_cast<const char*>(data), size);
}

}  // namespace hivesec::runtime::sensor
