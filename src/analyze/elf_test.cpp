#include "analyze/elf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "analyze/elf_test_util.h"

namespace hivesec::analyze {
namespace {

using testing::build_test_elf;
using testing::TestSection;
using testing::TestSegment;

std::string run_command(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Layout {
  bool is64;
  bool big_endian;
};

class ElfLayoutTest : public ::testing::TestWithParam<Layout> {};

TEST_P(ElfLayoutTest, SectionsSegmentsAndAddresses) {
  const Layout l = GetParam();
  std::string elf = build_test_elf(
      l.is64, l.big_endian, {{0x401000, "CODEBYTES", 5}, {0x602000, "DATA0123456789", 6}},
      {{".text", "CODEBYTES", 0x401000}, {".go.buildinfo", "BUILDINFO", 0}, {".bss", "", 0, 8}});
  auto f = ElfFile::parse(elf);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->is_64(), l.is64);
  EXPECT_EQ(f->big_endian(), l.big_endian);
  EXPECT_EQ(f->type(), 2);
  ASSERT_EQ(f->sections().size(), 5u);  // null, 3 sections, .shstrtab
  const ElfSection* bi = f->find_section(".go.buildinfo");
  ASSERT_NE(bi, nullptr);
  auto data = f->section_data(*bi);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "BUILDINFO");
  EXPECT_EQ(f->find_section(".missing"), nullptr);
  EXPECT_EQ(*f->section_data(*f->find_section(".bss")), "");

  ASSERT_EQ(f->segments().size(), 2u);
  EXPECT_EQ(f->segments()[1].flags, 6u);
  auto r = f->read_vaddr(0x602004, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "0123");
  EXPECT_EQ(*f->read_vaddr(0x401000, 9), "CODEBYTES");
  EXPECT_FALSE(f->read_vaddr(0x401000, 10).ok());  // runs past the segment
  EXPECT_FALSE(f->read_vaddr(0x400fff, 1).ok());
  EXPECT_FALSE(f->read_vaddr(~0ull, 2).ok());
  EXPECT_TRUE(f->vaddr_to_offset(0x602000).has_value());
  EXPECT_FALSE(f->vaddr_to_offset(0x700000).has_value());
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, ElfLayoutTest,
                         ::testing::Values(Layout{true, false}, Layout{true, true},
                                           Layout{false, false}, Layout{false, true}));

TEST(ElfFile, RejectsNonElfAndBadHeaders) {
  EXPECT_FALSE(ElfFile::parse("").ok());
  EXPECT_FALSE(ElfFile::parse("#!/bin/sh\necho hi\n").ok());
  EXPECT_FALSE(ElfFile::parse("\x7f"
                              "ELF")
                   .ok());
  std::string elf = build_test_elf(true, false, {{0x1000, "x", 6}}, {{".a", "b", 0}});
  std::string bad_class = elf;
  bad_class[4] = 9;
  EXPECT_EQ(ElfFile::parse(bad_class).error().code, Errc::kCorrupt);
  // Section header table pointing past the end of the file.
  std::string bad_shoff = elf;
  testing::put_uint(bad_shoff, 40, 1ull << 62, 8, false);
  EXPECT_EQ(ElfFile::parse(bad_shoff).error().code, Errc::kCorrupt);
  // A section whose bytes lie outside the file parses, but its contents do not.
  std::string bad_sec = elf;
  auto f = ElfFile::parse(elf);
  ASSERT_TRUE(f.ok());
  uint64_t shoff = f->data().size() - 3 * 64;
  testing::put_uint(bad_sec, shoff + 64 + 24, ~0ull - 4, 8, false);
  auto g = ElfFile::parse(bad_sec);
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->section_data(*g->find_section(".a")).ok());
}

TEST(ElfFile, EveryTruncationIsHandled) {
  for (bool is64 : {true, false}) {
    std::string elf = build_test_elf(is64, !is64, {{0x1000, "segment", 6}}, {{".s", "xyz", 0}});
    for (size_t n = 0; n < elf.size(); ++n) {
      auto f = ElfFile::parse(std::string_view(elf).substr(0, n));
      if (!f.ok()) continue;
      for (const auto& s : f->sections()) (void)f->section_data(s);
      (void)f->read_vaddr(0x1000, 7);
    }
  }
}

// Differential test against binutils' readelf on a real system binary.
TEST(ElfFile, MatchesReadelfOnSystemBinary) {
  const std::string path = "/usr/bin/ls";
  std::string listing = run_command("readelf -SW " + path + " 2>/dev/null");
  if (listing.empty()) GTEST_SKIP() << "readelf or " << path << " not available";
  std::string content = read_file(path);
  auto f = ElfFile::parse(content);
  ASSERT_TRUE(f.ok()) << f.error().message;
  std::regex row(R"(\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+))");
  size_t compared = 0;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    size_t idx = std::stoul(m[1]);
    if (idx == 0) continue;
    ASSERT_LT(idx, f->sections().size());
    const ElfSection& s = f->sections()[idx];
    EXPECT_EQ(s.name, m[2].str());
    EXPECT_EQ(s.addr, std::stoull(m[4], nullptr, 16)) << s.name;
    EXPECT_EQ(s.offset, std::stoull(m[5], nullptr, 16)) << s.name;
    EXPECT_EQ(s.size, std::stoull(m[6], nullptr, 16)) << s.name;
    ++compared;
  }
  EXPECT_EQ(compared + 1, f->sections().size());
  EXPECT_GT(compared, 10u);
}

}  // namespace
}  // namespace hivesec::analyze
