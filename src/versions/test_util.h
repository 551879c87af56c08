// Test-only helpers for the differential version-scheme tests (not part of the library API).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace hivesec::versions::testing {

// Runs `cmd` through the shell with `input` as stdin; returns stdout split into lines, or nullopt
// when the command cannot run or exits non-zero.
inline std::optional<std::vector<std::string>> run_with_stdin(const std::string& cmd,
                                                              const std::string& input) {
  char tmpl[] = "/tmp/hivesec_vers_XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return std::nullopt;
  close(fd);
  std::string path = tmpl;
  {
    std::ofstream f(path, std::ios::binary);
    f << input;
  }
  std::string full = cmd + " < " + path;
  FILE* p = popen(full.c_str(), "r");
  if (!p) {
    std::remove(path.c_str());
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  std::remove(path.c_str());
  if (rc != 0) return std::nullopt;
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

inline bool have_command(const std::string& cmd) {
  return std::system(("command -v " + cmd + " >/dev/null 2>&1").c_str()) == 0;
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// Deterministic picks for generators.
class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return uniform(0, 99) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
  std::string garbage(int max_len) {
    static const std::string kAlphabet =
        "0123456789.-+~^*xXv=<>|! abcdefghijklmnopqrstuvwxyzABCDEFG_:,\t\x01\xff";
    std::string s;
    int n = uniform(0, max_len);
    for (int i = 0; i < n; ++i)
      s.push_back(
          kAlphabet[static_cast<size_t>(uniform(0, static_cast<int>(kAlphabet.size()) - 1))]);
    return s;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace hivesec::versions::testing
