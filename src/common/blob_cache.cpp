#include "common/blob_cache.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "common/hash.h"

namespace hivesec {

std::optional<std::string> read_checked_blob(const std::string& path, std::string_view magic) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (blob.size() < magic.size() + 65 || !blob.starts_with(magic)) return std::nullopt;
  std::string_view rest(blob);
  rest.remove_prefix(magic.size());
  if (rest[64] != '\n') return std::nullopt;
  std::string_view digest = rest.substr(0, 64);
  std::string_view payload = rest.substr(65);
  if (sha256_hex(payload) != digest) return std::nullopt;
  return std::string(payload);
}

void write_checked_blob(const std::string& path, std::string_view magic,
                        std::string_view payload) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = fmt::format("{}.tmp.{}.{}", path, getpid(), std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << magic << sha256_hex(payload) << '\n';
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) std::remove(tmp.c_str());
}

}  // namespace hivesec
