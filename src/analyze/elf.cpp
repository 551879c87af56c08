#include "analyze/elf.h"

namespace hivesec::analyze {
namespace {

constexpr size_t kEhdr32Size = 52;
constexpr size_t kEhdr64Size = 64;
constexpr size_t kShdr32Size = 40;
constexpr size_t kShdr64Size = 64;
constexpr size_t kPhdr32Size = 32;
constexpr size_t kPhdr64Size = 56;
constexpr uint16_t kShnXindex = 0xffff;

// True when [offset, offset+size) lies inside a buffer of `total` bytes (overflow-safe).
bool in_bounds(uint64_t offset, uint64_t size, uint64_t total) {
  return offset <= total && size <= total - offset;
}

}  // namespace

uint64_t decode_uint(std::string_view bytes, size_t width, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    size_t idx = big_endian ? i : width - 1 - i;
    v = (v << 8) | static_cast<unsigned char>(bytes[idx]);
  }
  return v;
}

bool is_elf(std::string_view data) {
  return data.size() >= 4 && data.substr(0, 4) ==
                                 "\x7f"
                                 "ELF";
}

uint64_t ElfFile::decode_uint(std::string_view bytes, size_t width) const {
  return analyze::decode_uint(bytes, width, big_endian_);
}

Result<ElfFile> ElfFile::parse(std::string_view data) {
  if (!is_elf(data)) return make_error(Errc::kCorrupt, "not an ELF file");
  if (data.size() < 16) return make_error(Errc::kCorrupt, "truncated ELF identification");
  ElfFile f;
  f.data_ = data;
  unsigned char cls = static_cast<unsigned char>(data[4]);
  unsigned char enc = static_cast<unsigned char>(data[5]);
  if (cls != 1 && cls != 2) return make_error(Errc::kCorrupt, "bad ELF class {}", cls);
  if (enc != 1 && enc != 2) return make_error(Errc::kCorrupt, "bad ELF data encoding {}", enc);
  f.is_64_ = cls == 2;
  f.big_endian_ = enc == 2;
  size_t ehsize = f.is_64_ ? kEhdr64Size : kEhdr32Size;
  if (data.size() < ehsize) return make_error(Errc::kCorrupt, "truncated ELF header");

  auto u = [&](size_t off, size_t width) { return f.decode_uint(data.substr(off, width), width); };
  f.type_ = static_cast<uint16_t>(u(16, 2));
  f.machine_ = static_cast<uint16_t>(u(18, 2));
  uint64_t phoff, shoff;
  uint64_t phentsize, phnum, shentsize, shnum, shstrndx;
  if (f.is_64_) {
    phoff = u(32, 8);
    shoff = u(40, 8);
    phentsize = u(54, 2);
    phnum = u(56, 2);
    shentsize = u(58, 2);
    shnum = u(60, 2);
    shstrndx = u(62, 2);
  } else {
    phoff = u(28, 4);
    shoff = u(32, 4);
    phentsize = u(42, 2);
    phnum = u(44, 2);
    shentsize = u(46, 2);
    shnum = u(48, 2);
    shstrndx = u(50, 2);
  }
  const size_t shdr_min = f.is_64_ ? kShdr64Size : kShdr32Size;
  const size_t phdr_min = f.is_64_ ? kPhdr64Size : kPhdr32Size;

  // Section headers.
  auto read_shdr = [&](uint64_t index) {
    std::string_view h = data.substr(shoff + index * shentsize, shdr_min);
    ElfSection s;
    uint32_t name_off = static_cast<uint32_t>(f.decode_uint(h.substr(0, 4), 4));
    s.type = static_cast<uint32_t>(f.decode_uint(h.substr(4, 4), 4));
    uint64_t link;
    if (f.is_64_) {
      s.flags = f.decode_uint(h.substr(8, 8), 8);
      s.addr = f.decode_uint(h.substr(16, 8), 8);
      s.offset = f.decode_uint(h.substr(24, 8), 8);
      s.size = f.decode_uint(h.substr(32, 8), 8);
      link = f.decode_uint(h.substr(40, 4), 4);
    } else {
      s.flags = f.decode_uint(h.substr(8, 4), 4);
      s.addr = f.decode_uint(h.substr(12, 4), 4);
      s.offset = f.decode_uint(h.substr(16, 4), 4);
      s.size = f.decode_uint(h.substr(20, 4), 4);
      link = f.decode_uint(h.substr(24, 4), 4);
    }
    return std::tuple<ElfSection, uint32_t, uint64_t>(std::move(s), name_off, link);
  };
  if (shoff != 0) {
    if (shentsize < shdr_min) return make_error(Errc::kCorrupt, "bad section header size");
    if (!in_bounds(shoff, shdr_min, data.size())) {
      return make_error(Errc::kCorrupt, "section header table outside the file");
    }
    if (shnum == 0 || shstrndx == kShnXindex) {
      // Extended numbering: the real values live in section header 0.
      auto [s0, name0, link0] = read_shdr(0);
      (void)name0;
      if (shnum == 0) shnum = s0.size;
      if (shstrndx == kShnXindex) shstrndx = link0;
    }
    if (shnum > kMaxSections) {
      return make_error(Errc::kLimit, "{} section headers (limit {})", shnum, kMaxSections);
    }
    if (shnum > 0 && (shnum - 1 > (data.size() - shoff) / shentsize ||
                      !in_bounds(shoff + (shnum - 1) * shentsize, shdr_min, data.size()))) {
      return make_error(Errc::kCorrupt, "section header table outside the file");
    }
    std::vector<uint32_t> name_offsets;
    f.sections_.reserve(shnum);
    name_offsets.reserve(shnum);
    for (uint64_t i = 0; i < shnum; ++i) {
      auto [s, name_off, link] = read_shdr(i);
      (void)link;
      f.sections_.push_back(std::move(s));
      name_offsets.push_back(name_off);
    }
    if (shstrndx < f.sections_.size()) {
      const ElfSection& strtab = f.sections_[shstrndx];
      if (strtab.type != kShtNobits && in_bounds(strtab.offset, strtab.size, data.size())) {
        std::string_view names = data.substr(strtab.offset, strtab.size);
        for (size_t i = 0; i < f.sections_.size(); ++i) {
          if (name_offsets[i] >= names.size()) continue;
          std::string_view n = names.substr(name_offsets[i]);
          f.sections_[i].name = std::string(n.substr(0, n.find('\0')));
        }
      }
    }
  }

  // Program headers.
  if (phoff != 0 && phnum != 0) {
    if (phentsize < phdr_min) return make_error(Errc::kCorrupt, "bad program header size");
    if (phnum > kMaxSegments) {
      return make_error(Errc::kLimit, "{} program headers (limit {})", phnum, kMaxSegments);
    }
    if (!in_bounds(phoff, phdr_min, data.size()) || phnum - 1 > (data.size() - phoff) / phentsize ||
        !in_bounds(phoff + (phnum - 1) * phentsize, phdr_min, data.size())) {
      return make_error(Errc::kCorrupt, "program header table outside the file");
    }
    f.segments_.reserve(phnum);
    for (uint64_t i = 0; i < phnum; ++i) {
      std::string_view h = data.substr(phoff + i * phentsize, phdr_min);
      ElfSegment p;
      p.type = static_cast<uint32_t>(f.decode_uint(h.substr(0, 4), 4));
      if (f.is_64_) {
        p.flags = static_cast<uint32_t>(f.decode_uint(h.substr(4, 4), 4));
        p.offset = f.decode_uint(h.substr(8, 8), 8);
        p.vaddr = f.decode_uint(h.substr(16, 8), 8);
        p.filesz = f.decode_uint(h.substr(32, 8), 8);
        p.memsz = f.decode_uint(h.substr(40, 8), 8);
      } else {
        p.offset = f.decode_uint(h.substr(4, 4), 4);
        p.vaddr = f.decode_uint(h.substr(8, 4), 4);
        p.filesz = f.decode_uint(h.substr(16, 4), 4);
        p.memsz = f.decode_uint(h.substr(20, 4), 4);
        p.flags = static_cast<uint32_t>(f.decode_uint(h.substr(24, 4), 4));
      }
      f.segments_.push_back(p);
    }
  }
  return f;
}

const ElfSection* ElfFile::find_section(std::string_view name) const {
  for (const auto& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<std::string_view> ElfFile::section_data(const ElfSection& section) const {
  if (section.type == kShtNobits) return std::string_view();
  if (!in_bounds(section.offset, section.size, data_.size())) {
    return make_error(Errc::kCorrupt, "section {} lies outside the file", section.name);
  }
  return data_.substr(section.offset, section.size);
}

std::optional<uint64_t> ElfFile::vaddr_to_offset(uint64_t vaddr) const {
  for (const auto& p : segments_) {
    if (p.type != kPtLoad) continue;
    if (vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz) {
      uint64_t off = p.offset + (vaddr - p.vaddr);
      if (off < p.offset || off >= data_.size()) return std::nullopt;
      return off;
    }
  }
  return std::nullopt;
}

Result<std::string_view> ElfFile::read_vaddr(uint64_t vaddr, uint64_t size) const {
  for (const auto& p : segments_) {
    if (p.type != kPtLoad) continue;
    if (vaddr < p.vaddr || vaddr - p.vaddr >= p.filesz) continue;
    uint64_t rel = vaddr - p.vaddr;
    if (size > p.filesz - rel) break;
    uint64_t off = p.offset + rel;
    if (off < p.offset || !in_bounds(off, size, data_.size())) break;
    return data_.substr(off, size);
  }
  return make_error(Errc::kCorrupt, "address {:#x}+{} is not mapped from the file", vaddr, size);
}

}  // namespace hivesec::analyze
