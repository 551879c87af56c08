# The eBPF runtime sensor (src/runtime/sensor): vmlinux.h generated from the build machine's
# kernel BTF, sensor.bpf.c compiled with clang -target bpf (CO-RE), and a bpftool skeleton
# (sensor.skel.h) that embeds the object into hivesec_core. Needs clang, bpftool, libbpf-dev,
# libelf-dev (scripts/setup.sh installs them).
find_program(HIVESEC_BPF_CLANG NAMES clang clang-16 clang-15 clang-14 REQUIRED)
find_program(HIVESEC_BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf)

set(HIVESEC_VMLINUX_BTF "/sys/kernel/btf/vmlinux" CACHE FILEPATH
    "Kernel BTF used to generate vmlinux.h for the sensor")
if(NOT EXISTS ${HIVESEC_VMLINUX_BTF})
  message(FATAL_ERROR "${HIVESEC_VMLINUX_BTF} is missing: the eBPF sensor needs a kernel with "
                      "CONFIG_DEBUG_INFO_BTF (or pass -DHIVESEC_VMLINUX_BTF=<file>)")
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(HIVESEC_BPF_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(HIVESEC_BPF_ARCH arm64)
else()
  message(FATAL_ERROR "eBPF sensor: unsupported architecture ${CMAKE_SYSTEM_PROCESSOR}")
endif()

set(HIVESEC_BPF_DIR ${CMAKE_BINARY_DIR}/generated/bpf)
set(HIVESEC_BPF_SRC ${PROJECT_SOURCE_DIR}/src/runtime/sensor/sensor.bpf.c)
set(HIVESEC_BPF_ABI ${PROJECT_SOURCE_DIR}/src/runtime/sensor/sensor_abi.h)
file(MAKE_DIRECTORY ${HIVESEC_BPF_DIR})

add_custom_command(OUTPUT ${HIVESEC_BPF_DIR}/vmlinux.h
  COMMAND ${HIVESEC_BPFTOOL} btf dump file ${HIVESEC_VMLINUX_BTF} format c > ${HIVESEC_BPF_DIR}/vmlinux.h.tmp
  COMMAND ${CMAKE_COMMAND} -E rename ${HIVESEC_BPF_DIR}/vmlinux.h.tmp ${HIVESEC_BPF_DIR}/vmlinux.h
  COMMENT "Generating vmlinux.h from ${HIVESEC_VMLINUX_BTF}"
  VERBATIM)
add_custom_command(OUTPUT ${HIVESEC_BPF_DIR}/sensor.bpf.o
  COMMAND ${HIVESEC_BPF_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_${HIVESEC_BPF_ARCH}
          -Wall -Werror -I${HIVESEC_BPF_DIR} -I${PROJECT_SOURCE_DIR}/src/runtime/sensor
          -c ${HIVESEC_BPF_SRC} -o ${HIVESEC_BPF_DIR}/sensor.bpf.o
  DEPENDS ${HIVESEC_BPF_SRC} ${HIVESEC_BPF_ABI} ${HIVESEC_BPF_DIR}/vmlinux.h
  COMMENT "Compiling the eBPF sensor (clang -target bpf)"
  VERBATIM)
add_custom_command(OUTPUT ${HIVESEC_BPF_DIR}/sensor.skel.h
  COMMAND ${HIVESEC_BPFTOOL} gen skeleton ${HIVESEC_BPF_DIR}/sensor.bpf.o name hs_sensor
          > ${HIVESEC_BPF_DIR}/sensor.skel.h.tmp
  COMMAND ${CMAKE_COMMAND} -E rename ${HIVESEC_BPF_DIR}/sensor.skel.h.tmp ${HIVESEC_BPF_DIR}/sensor.skel.h
  DEPENDS ${HIVESEC_BPF_DIR}/sensor.bpf.o
  COMMENT "Generating the sensor skeleton (bpftool gen skeleton)"
  VERBATIM)
add_custom_target(hivesec_bpf_skeleton DEPENDS ${HIVESEC_BPF_DIR}/sensor.skel.h)

add_dependencies(hivesec_core hivesec_bpf_skeleton)
# The skeleton is a C header: included with -isystem so project warnings do not apply to it.
target_include_directories(hivesec_core SYSTEM PRIVATE ${HIVESEC_BPF_DIR})
target_link_libraries(hivesec_core PUBLIC PkgConfig::LIBBPF)
