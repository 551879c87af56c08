// libFuzzer target: the ELF reader, the Go build-info reader and the binary analyzers
// (gobinary, cargo-auditable) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/builtins.h"
#include "analyze/elf.h"
#include "analyze/gobinary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto go = hivesec::analyze::make_gobinary_analyzer();
  static const auto cargo = hivesec::analyze::make_cargo_auditable_analyzer();
  std::string_view content(reinterpret_cast<const char*>(data), size);
  if (auto elf = hivesec::analyze::ElfFile::parse(content); elf.ok()) {
    for (const auto& s : elf->sections()) (void)elf->section_data(s);
    for (const auto& p : elf->segments()) (void)elf->read_vaddr(p.vaddr, p.filesz);
  }
  (void)hivesec::analyze::read_go_buildinfo(content);
  hivesec::analyze::GoBuildInfo info;
  (void)hivesec::analyze::parse_go_modinfo(content, info);
  (void)hivesec::analyze::go_stdlib_version(content);
  hivesec::analyze::FileInfo file{"usr/bin/app"};
  hivesec::analyze::AnalysisOutput out;
  (void)go->analyze(file, content, out);
  (void)cargo->analyze(file, content, out);
  return 0;
}
