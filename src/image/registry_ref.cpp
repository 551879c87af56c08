// Reference grammar (github.com/distribution/reference, summarized):
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [domain "/"] path-component ["/" path-component]*
//   domain         := host [":" port]      host := domain-name | IPv4 | "[" IPv6 "]"
//   path-component := [a-z0-9]+ ( ("." | "_" | "__" | "-"+) [a-z0-9]+ )*
//   tag            := [\w][\w.-]{0,127}
// The first component is a domain when it holds "." or ":", is "localhost", or has uppercase.
#include "image/registry_ref.h"

#include <cctype>

#include "common/hash.h"

namespace hivesec::image {
namespace {

constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxRefLength = 512;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool valid_path_component(std::string_view s) {
  size_t i = 0;
  auto alnum_run = [&] {
    size_t start = i;
    while (i < s.size() && is_lower_alnum(s[i])) ++i;
    return i > start;
  };
  if (!alnum_run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!alnum_run()) return false;
  }
  return true;
}

bool valid_tag(std::string_view s) {
  if (s.empty() || s.size() > 128 || !is_word(s[0])) return false;
  for (char c : s) {
    if (!is_word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

bool valid_domain_component(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

bool valid_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool valid_domain(std::string_view d) {
  std::string_view host = d;
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : d.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    std::string_view rest = d.substr(close + 1);
    if (rest.empty()) return true;
    return rest.front() == ':' && valid_port(rest.substr(1));
  }
  size_t colon = d.rfind(':');
  if (colon != std::string_view::npos) {
    if (!valid_port(d.substr(colon + 1))) return false;
    host = d.substr(0, colon);
  }
  if (host.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string_view comp = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!valid_domain_component(comp)) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool has_upper(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

// Strips the port (and IPv6 brackets) from a domain.
std::string_view host_part(std::string_view d) {
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    return close == std::string_view::npos ? d.substr(1) : d.substr(1, close - 1);
  }
  size_t colon = d.find(':');
  return colon == std::string_view::npos ? d : d.substr(0, colon);
}

}  // namespace

bool is_loopback_domain(std::string_view domain) {
  std::string_view h = host_part(domain);
  if (h == "localhost" || h == "::1") return true;
  if (h.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : h) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool RegistryRef::is_loopback() const { return is_loopback_domain(domain); }

std::string RegistryRef::full_name() const { return domain + "/" + repository; }

std::string RegistryRef::familiar_name() const {
  if (!is_docker_hub()) return full_name();
  if (repository.rfind("library/", 0) == 0 && repository.find('/', 8) == std::string::npos) {
    return repository.substr(8);
  }
  return repository;
}

Result<RegistryRef> parse_registry_ref(std::string_view ref) {
  auto bad = [&](std::string_view why) {
    return make_error(Errc::kInvalidArgument, "invalid image reference \"{}\": {}",
                      ref.substr(0, 200), why);
  };
  if (ref.empty()) return bad("empty");
  if (ref.size() > kMaxRefLength) return bad("too long");
  RegistryRef out;
  std::string_view rest = ref;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    out.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!validate_digest(out.digest).ok()) return bad("malformed digest");
  }
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    out.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!valid_tag(out.tag)) return bad("malformed tag");
  }
  if (rest.empty()) return bad("empty repository name");
  std::string_view path = rest;
  size_t first_slash = rest.find('/');
  if (first_slash != std::string_view::npos) {
    std::string_view first = rest.substr(0, first_slash);
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
        has_upper(first)) {
      if (!valid_domain(first)) return bad("malformed registry domain");
      out.domain = std::string(first);
      path = rest.substr(first_slash + 1);
    }
  }
  if (out.domain.empty() || out.domain == "index.docker.io") out.domain = "docker.io";
  if (path.size() > kMaxNameLength) return bad("repository name too long");
  size_t start = 0;
  int components = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view comp =
        path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (comp.empty()) return bad("empty path component");
    if (has_upper(comp)) return bad("repository name must be lowercase");
    if (!valid_path_component(comp)) return bad("malformed repository path component");
    ++components;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  out.repository = std::string(path);
  if (out.is_docker_hub() && components == 1) out.repository = "library/" + out.repository;
  out.host = out.is_docker_hub() ? "registry-1.docker.io" : out.domain;
  if (out.tag.empty() && out.digest.empty()) out.tag = "latest";
  return out;
}

bool looks_like_registry_ref(std::string_view ref) {
  if (ref.empty() || ref.front() == '/' || ref.front() == '.') return false;
  return parse_registry_ref(ref).ok();
}

}  // namespace hivesec::image
