#include "image/local_ref.h"

#include <sys/stat.h>

namespace hivesec::image::detail {

namespace {
bool exists_as(const std::string& path, LocalKind kind) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return kind == LocalKind::kFile ? S_ISREG(st.st_mode) : S_ISDIR(st.st_mode);
}
}  // namespace

LocalRef split_local_ref(const std::string& ref, LocalKind kind) {
  if (exists_as(ref, kind)) return {ref, ""};
  for (size_t colon = ref.find(':'); colon != std::string::npos; colon = ref.find(':', colon + 1)) {
    std::string path = ref.substr(0, colon);
    if (!path.empty() && exists_as(path, kind)) return {path, ref.substr(colon + 1)};
  }
  return {ref, ""};
}

std::string_view sniff_compression(std::string_view head) {
  if (head.starts_with("\x1f\x8b")) return "gzip";
  if (head.starts_with("\x28\xb5\x2f\xfd")) return "zstd";
  if (head.starts_with(std::string_view("\xfd"
                                        "7zXZ\x00",
                                        6)))
    return "xz";
  if (head.size() >= 4 && head.starts_with("BZh") && head[3] >= '1' && head[3] <= '9') {
    return "bzip2";
  }
  return "";
}

}  // namespace hivesec::image::detail
