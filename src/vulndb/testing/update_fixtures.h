// Test helpers for the vulndb update tests: zips written with libarchive, whole-file reads, and
// the loopback OSV mirror of tests/integration/lib/osv_mirror.py run as a child process.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hivesec::vulndb::testing {

// Writes a zip of (name, content) entries at `path` (parents created). `store`: no compression.
inline void write_zip(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, std::string>>& entries,
                      bool store = false) {
  std::filesystem::create_directories(path.parent_path());
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (store) archive_write_zip_set_compression_store(a);
  archive_write_open_filename(a, path.c_str());
  for (const auto& [name, content] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& data) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// A minimal OSV record of `ecosystem`/`package` fixed at 2.0.0.
inline std::string osv_record(const std::string& id, const std::string& ecosystem,
                              const std::string& package,
                              const std::string& modified = "2024-01-01T00:00:00Z") {
  return R"({"id": ")" + id + R"(", "modified": ")" + modified +
         R"(", "affected": [{"package": {"ecosystem": ")" + ecosystem + R"(", "name": ")" +
         package +
         R"("}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]})";
}

// tests/integration/lib/osv_mirror.py serving `root` on 127.0.0.1; not started when python3 or
// the script is missing (ok() false).
class MirrorServer {
 public:
  MirrorServer(const std::filesystem::path& root, const std::filesystem::path& work) {
    const std::string script =
        std::string(HIVESEC_SOURCE_DIR) + "/tests/integration/lib/osv_mirror.py";
    if (!std::filesystem::exists(script) || std::system("python3 -c '' 2>/dev/null") != 0) return;
    port_file_ = (work / "mirror.port").string();
    log_ = (work / "mirror.log").string();
    std::filesystem::remove(port_file_);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execlp("python3", "python3", script.c_str(), "--root", root.c_str(), "--port-file",
               port_file_.c_str(), "--log", log_.c_str(), "--slow-interval", "0.2",
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::ifstream in(port_file_);
      in >> port_;
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~MirrorServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  MirrorServer(const MirrorServer&) = delete;
  MirrorServer& operator=(const MirrorServer&) = delete;

  bool ok() const { return port_ != 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& log_path() const { return log_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string port_file_, log_;
};

}  // namespace hivesec::vulndb::testing
