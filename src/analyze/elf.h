// A small, bounds-checked ELF reader for hostile input (ELF32/ELF64, little and big endian).
//
// It parses the file header, the section headers (named through .shstrtab) and the program
// headers, and hands out section contents and virtual-address ranges as views into the caller's
// buffer. Every offset and size is checked against the buffer; header counts are capped.
// Sections or segments whose bytes lie outside the file are kept (their headers are facts) but
// their contents read as errors.
//
// Thread-safety: an ElfFile is immutable after parse(); concurrent reads are safe.
// Lifetime: an ElfFile and every view it returns borrow the buffer given to parse(); the buffer
// must outlive them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/analyzer.h"
#include "common/result.h"

namespace hivesec::analyze {

// True when `data` starts with the ELF magic (\x7fELF).
bool is_elf(std::string_view data);

// The path filter shared by analyzers of executables (Go build info, cargo-auditable): regular
// files with an execute bit, big enough to be a real binary. Content is checked for ELF later.
inline bool is_binary_candidate(const FileInfo& file) {
  return file.type == FileType::kRegular && file.executable() && file.size >= 4096;
}
// Go and Rust binaries are large (static, with debug info); this covers the biggest real ones.
inline constexpr int64_t kMaxBinarySize = 256ll << 20;

struct ElfSection {
  std::string name;
  uint32_t type = 0;  // SHT_*
  uint64_t flags = 0;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct ElfSegment {
  uint32_t type = 0;   // PT_*
  uint32_t flags = 0;  // PF_X = 1, PF_W = 2, PF_R = 4
  uint64_t offset = 0;
  uint64_t vaddr = 0;
  uint64_t filesz = 0;
  uint64_t memsz = 0;
};

class ElfFile {
 public:
  static constexpr uint32_t kShtNobits = 8;
  static constexpr uint32_t kPtLoad = 1;
  static constexpr uint32_t kPfX = 1;
  static constexpr uint32_t kPfW = 2;
  // Caps on header counts: real binaries have a few dozen of each.
  static constexpr size_t kMaxSections = 8192;
  static constexpr size_t kMaxSegments = 1024;

  // Parses the headers of `data`. Errors: kCorrupt for a file that is not ELF or whose headers
  // are truncated or inconsistent, kLimit for header counts above the caps.
  static Result<ElfFile> parse(std::string_view data);

  bool is_64() const { return is_64_; }
  bool big_endian() const { return big_endian_; }
  uint16_t type() const { return type_; }  // ET_EXEC = 2, ET_DYN = 3
  uint16_t machine() const { return machine_; }
  std::string_view data() const { return data_; }

  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }

  // The first section with this exact name, or nullptr.
  const ElfSection* find_section(std::string_view name) const;
  // The bytes of a section. SHT_NOBITS sections read as empty. kCorrupt when the section
  // lies outside the file.
  Result<std::string_view> section_data(const ElfSection& section) const;

  // Maps a virtual address to a file offset through the PT_LOAD segments (file-backed part
  // only). nullopt when no segment covers it.
  std::optional<uint64_t> vaddr_to_offset(uint64_t vaddr) const;
  // Reads `size` bytes at a virtual address; the whole range must be file-backed by the same
  // segment. kCorrupt otherwise.
  Result<std::string_view> read_vaddr(uint64_t vaddr, uint64_t size) const;

  // Decodes an unsigned integer of 1, 2, 4 or 8 bytes in this file's byte order.
  // REQUIRES: bytes.size() >= width.
  uint64_t decode_uint(std::string_view bytes, size_t width) const;

 private:
  std::string_view data_;
  bool is_64_ = false;
  bool big_endian_ = false;
  uint16_t type_ = 0;
  uint16_t machine_ = 0;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
};

// Decodes an unsigned integer in the given byte order. REQUIRES: bytes.size() >= width <= 8.
uint64_t decode_uint(std::string_view bytes, size_t width, bool big_endian);

}  // namespace hivesec::analyze
