#include "config/file_kinds.h"

#include <cctype>

#include "config/checks.h"
#include "dockerfile/parser.h"

namespace hivesec::config {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

Result<std::vector<model::Finding>> scan_dockerfile(std::string_view path, std::string_view content) {
  HIVESEC_TRY(auto df, dockerfile::parse(content));
  return check_dockerfile(df, path);
}

}  // namespace

bool is_dockerfile_name(std::string_view n) {
  for (std::string_view base : {"dockerfile", "containerfile"}) {
    if (iequals(n, base)) return true;
    if (n.size() > base.size() + 1) {
      if (iequals(n.substr(0, base.size() + 1), std::string(base) + ".")) return true;
      if (iequals(n.substr(n.size() - base.size() - 1), "." + std::string(base))) return true;
    }
  }
  return false;
}

Status FileKindRegistry::add(FileKind kind) {
  for (const auto& k : kinds_) {
    if (k.name == kind.name) return make_error(Errc::kInternal, "file kind {} registered twice", kind.name);
  }
  kinds_.push_back(kind);
  return ok_status();
}

const FileKind* FileKindRegistry::match(std::string_view file_name) const {
  for (const auto& k : kinds_) {
    if (k.matches(file_name)) return &k;
  }
  return nullptr;
}

Status register_builtin_file_kinds(FileKindRegistry& r) {
  HIVESEC_TRY_STATUS(r.add({"dockerfile", "Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*",
                            is_dockerfile_name, scan_dockerfile, dockerfile::kMaxDockerfileSize}));
  return ok_status();
}

}  // namespace hivesec::config
