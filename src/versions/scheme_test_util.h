// Test-only helpers for the version-scheme tests: random strings and a batch reference oracle.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "versions/scheme.h"

namespace hivesec::versions::testing {

using Pair = std::pair<std::string, std::string>;

// Runs `command` once with "A\tB" lines on stdin; returns one output line per pair ("<", "=",
// ">" or "E"), or nullopt if the command failed or answered a different number of lines.
inline std::optional<std::vector<std::string>> run_oracle(const std::string& command,
                                                          const std::vector<Pair>& pairs) {
  char path[] = "/tmp/hivesec-version-pairs-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  close(fd);
  {
    std::ofstream f(path, std::ios::binary);
    for (const auto& [a, b] : pairs) f << a << '\t' << b << '\n';
  }
  std::string cmd = command + " < " + path;
  FILE* p = popen(cmd.c_str(), "r");
  std::vector<std::string> out;
  if (p != nullptr) {
    char buf[64];
    while (fgets(buf, sizeof buf, p) != nullptr) {
      std::string line(buf);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      out.push_back(line);
    }
  }
  int rc = p != nullptr ? pclose(p) : -1;
  std::remove(path);
  if (rc != 0 || out.size() != pairs.size()) return std::nullopt;
  return out;
}

inline const char* sign_name(int c) { return c < 0 ? "<" : c > 0 ? ">" : "="; }

// Random bytes, printable or not: the "garbage" side of the fuzz-like tests.
inline std::string random_garbage(std::mt19937& rng, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> pick(0, 3);
  const std::string punct = "0123456789.:-~+^_abcrpz";
  std::string s(len(rng), '\0');
  for (char& c : s) {
    c = pick(rng) == 0 ? static_cast<char>(byte(rng))
                       : punct[static_cast<std::size_t>(byte(rng)) % punct.size()];
  }
  return s;
}

// Never crashes on garbage, and stays antisymmetric on what it accepts.
inline void check_garbage(const Scheme& scheme, unsigned seed, int rounds) {
  std::mt19937 rng(seed);
  for (int i = 0; i < rounds; ++i) {
    std::string a = random_garbage(rng, i % 50 == 0 ? 3000 : 24);
    std::string b = random_garbage(rng, 24);
    (void)scheme.validate(a);
    int c1 = scheme.compare(a, b);
    int c2 = scheme.compare(b, a);
    (void)c1;
    (void)c2;
    auto r = compare_versions(scheme, a, b);
    if (r.ok()) {
      auto back = compare_versions(scheme, b, a);
      if (!back.ok() || *back != -*r) {
        ADD_FAILURE() << scheme.name() << " not antisymmetric on '" << a << "' '" << b << "'";
        return;
      }
    }
  }
}

}  // namespace hivesec::versions::testing
