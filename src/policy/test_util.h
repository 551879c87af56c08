// Test helpers for src/policy tests: a temporary target tree with files written by the test,
// and registries/loader shortcuts. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "policy/engine.h"
#include "policy/loader.h"

namespace hivesec::policy::testing {

class TempTree {
 public:
  TempTree() {
    char tmpl[] = "/tmp/hivesec-policy-XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    root_ = d ? d : "/tmp/hivesec-policy-failed";
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::permissions(root_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  // Writes root + path (absolute target path) with `mode`, creating parent directories.
  std::string write(const std::string& path, const std::string& content, mode_t mode = 0644) {
    std::string full = root_ + path;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    ::chmod(full.c_str(), mode);
    return full;
  }
  std::string mkdir(const std::string& path, mode_t mode = 0755) {
    std::string full = root_ + path;
    std::filesystem::create_directories(full);
    ::chmod(full.c_str(), mode);
    return full;
  }
  std::string symlink(const std::string& target, const std::string& path) {
    std::string full = root_ + path;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    (void)::symlink(target.c_str(), full.c_str());
    return full;
  }
  HostOptions offline() const {
    HostOptions o;
    o.root = root_;
    o.live = false;
    return o;
  }

 private:
  std::string root_;
};

struct Regs {
  CollectorRegistry collectors;
  OperatorRegistry operators;
  Regs() {
    EXPECT_TRUE(register_builtin_collectors(collectors).ok());
    EXPECT_TRUE(register_builtin_operators(operators).ok());
  }
  Registries reg() const { return Registries{&collectors, &operators}; }
};

}  // namespace hivesec::policy::testing
