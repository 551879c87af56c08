// Test helper: writes small synthetic ELF files (any class and byte order) with chosen
// PT_LOAD segments and named sections. Test-only; not part of hivesec_core.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hivesec::analyze::testing {

struct TestSegment {
  uint64_t vaddr = 0;
  std::string data;
  uint32_t flags = 6;  // PF_R | PF_W
};

struct TestSection {
  std::string name;
  std::string data;
  uint64_t addr = 0;
  uint32_t type = 1;  // SHT_PROGBITS
};

inline void put_uint(std::string& out, size_t at, uint64_t v, size_t width, bool big_endian) {
  if (out.size() < at + width) out.resize(at + width, '\0');
  for (size_t i = 0; i < width; ++i) {
    size_t idx = big_endian ? at + width - 1 - i : at + i;
    out[idx] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

// Layout: ELF header, program headers, segment bytes, section bytes, .shstrtab, section headers.
inline std::string build_test_elf(bool is64, bool big_endian,
                                  const std::vector<TestSegment>& segments,
                                  const std::vector<TestSection>& sections) {
  const size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, sh = is64 ? 64 : 40;
  std::string f(eh, '\0');
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F';
  f[4] = is64 ? 2 : 1;
  f[5] = big_endian ? 2 : 1;
  f[6] = 1;
  auto put = [&](size_t at, uint64_t v, size_t w) { put_uint(f, at, v, w, big_endian); };
  put(16, 2, 2);              // ET_EXEC
  put(18, is64 ? 62 : 3, 2);  // x86-64 / i386
  put(20, 1, 4);
  const size_t phoff = eh;
  f.resize(phoff + ph * segments.size(), '\0');
  std::vector<uint64_t> seg_off;
  for (const auto& s : segments) {
    seg_off.push_back(f.size());
    f += s.data;
  }
  std::vector<uint64_t> sec_off;
  for (const auto& s : sections) {
    sec_off.push_back(f.size());
    f += s.data;
  }
  std::string names(1, '\0');
  std::vector<uint64_t> name_off;
  for (const auto& s : sections) {
    name_off.push_back(names.size());
    names += s.name + '\0';
  }
  uint64_t shstr_name = names.size();
  names += std::string(".shstrtab") + '\0';
  uint64_t shstr_off = f.size();
  f += names;
  while (f.size() % 8) f.push_back('\0');
  const uint64_t shoff = f.size();
  const size_t shnum = sections.size() + 2;
  f.resize(shoff + sh * shnum, '\0');
  for (size_t i = 0; i < segments.size(); ++i) {
    size_t at = phoff + i * ph;
    const auto& s = segments[i];
    put(at, 1, 4);  // PT_LOAD
    if (is64) {
      put(at + 4, s.flags, 4);
      put(at + 8, seg_off[i], 8);
      put(at + 16, s.vaddr, 8);
      put(at + 24, s.vaddr, 8);
      put(at + 32, s.data.size(), 8);
      put(at + 40, s.data.size(), 8);
    } else {
      put(at + 4, seg_off[i], 4);
      put(at + 8, s.vaddr, 4);
      put(at + 12, s.vaddr, 4);
      put(at + 16, s.data.size(), 4);
      put(at + 20, s.data.size(), 4);
      put(at + 24, s.flags, 4);
    }
  }
  auto put_sh = [&](size_t idx, uint64_t name, uint32_t type, uint64_t addr, uint64_t off,
                    uint64_t size) {
    size_t at = shoff + idx * sh;
    put(at, name, 4);
    put(at + 4, type, 4);
    if (is64) {
      put(at + 16, addr, 8);
      put(at + 24, off, 8);
      put(at + 32, size, 8);
    } else {
      put(at + 12, addr, 4);
      put(at + 16, off, 4);
      put(at + 20, size, 4);
    }
  };
  for (size_t i = 0; i < sections.size(); ++i) {
    put_sh(i + 1, name_off[i], sections[i].type, sections[i].addr, sec_off[i],
           sections[i].data.size());
  }
  put_sh(shnum - 1, shstr_name, 3, 0, shstr_off, names.size());
  if (is64) {
    put(32, segments.empty() ? 0 : phoff, 8);
    put(40, shoff, 8);
    put(52, eh, 2);
    put(54, ph, 2);
    put(56, segments.size(), 2);
    put(58, sh, 2);
    put(60, shnum, 2);
    put(62, shnum - 1, 2);
  } else {
    put(28, segments.empty() ? 0 : phoff, 4);
    put(32, shoff, 4);
    put(40, eh, 2);
    put(42, ph, 2);
    put(44, segments.size(), 2);
    put(46, sh, 2);
    put(48, shnum, 2);
    put(50, shnum - 1, 2);
  }
  return f;
}

}  // namespace hivesec::analyze::testing
