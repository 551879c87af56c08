// Where the advisory database lives: the user's own, or the one shipped with hivesec.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "vulndb/vulndb.h"

namespace hivesec::vulndb {

namespace {

std::string exe_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().string();
}

bool exists(const std::string& p) { return !p.empty() && access(p.c_str(), R_OK) == 0; }

}  // namespace

std::string bundled_db_path() {
  std::string dir = exe_dir();
  if (dir.empty()) return {};
  for (const char* rel : {"/share/hivesec/vuln.db", "/../share/hivesec/vuln.db"}) {
    std::string p = dir + rel;
    if (exists(p)) return std::filesystem::path(p).lexically_normal().string();
  }
  return {};
}

std::string locate_db(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("HIVESEC_DB"); env != nullptr && *env != '\0') return env;
  std::string user = default_db_path();
  if (exists(user)) return user;
  std::string bundled = bundled_db_path();
  return bundled.empty() ? user : bundled;
}

}  // namespace hivesec::vulndb
