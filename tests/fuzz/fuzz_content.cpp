// libFuzzer target for issue 4's content parsers, all fed hostile bytes from image layers or
// user files: Dockerfiles (parse, then every check), passwd/shadow files, secret rule files,
// and the secret engine (bundled rules) over arbitrary file content in random chunks. The
// first input byte picks the target; the rest is the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyze/account_files.h"
#include "config/checks.h"
#include "dockerfile/parser.h"
#include "secrets/engine.h"
#include "secrets/rules.h"

namespace {

const hivesec::secrets::Engine* engine() {
  static const auto e = hivesec::secrets::shared_engine({});
  return e.ok() ? e->get() : nullptr;
}

}  // namespace

// Compiling the bundled rules takes seconds in a sanitizer build: done once, before the
// fuzzing starts, so it never counts against the per-input timeout.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto df = hivesec::dockerfile::parse(text);
      if (df.ok()) (void)hivesec::config::check_dockerfile(*df, "Dockerfile");
      break;
    }
    case 1:
      (void)hivesec::analyze::parse_passwd(text);
      break;
    case 2:
      (void)hivesec::analyze::parse_shadow(text);
      break;
    case 3:
      (void)hivesec::secrets::parse_rule_file("fuzz.yaml", text);
      break;
    case 4: {
      const auto* e = engine();
      if (!e) __builtin_trap();  // the bundled rules must always build
      auto stream = e->open("app/config.txt");
      if (!stream.ok()) __builtin_trap();
      // Chunk sizes from the input itself, so boundaries land everywhere.
      size_t pos = 0;
      size_t step = 1 + (size % 97);
      while (pos < text.size()) {
        size_t n = std::min(step, text.size() - pos);
        if (!(*stream)->feed(text.substr(pos, n)).ok()) __builtin_trap();
        pos += n;
        step = step * 7 % 4093 + 1;
      }
      auto r = (*stream)->finish();
      if (!r.ok()) __builtin_trap();
      // Block mode must agree with streaming.
      auto whole = e->scan("app/config.txt", text);
      if (!whole.ok() || whole->matches.size() != r->matches.size()) __builtin_trap();
      break;
    }
  }
  return 0;
}
