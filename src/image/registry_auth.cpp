#include "image/registry_auth.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

namespace hivesec::image {
namespace {

constexpr size_t kMaxChallenge = 8 << 10;
constexpr size_t kMaxConfig = 4 << 20;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~/:").find(c) != std::string_view::npos;
}

// "https://index.docker.io/v1/" -> "index.docker.io"; "host:5000" -> "host:5000".
std::string config_key_domain(std::string_view key) {
  if (size_t p = key.find("://"); p != std::string_view::npos) key = key.substr(p + 3);
  if (size_t slash = key.find('/'); slash != std::string_view::npos) key = key.substr(0, slash);
  return lower(key);
}

}  // namespace

Result<AuthChallenge> parse_www_authenticate(std::string_view h) {
  auto bad = [](std::string_view why) {
    return make_error(Errc::kInvalidArgument, "malformed WWW-Authenticate header: {}", why);
  };
  if (h.size() > kMaxChallenge) return bad("too long");
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
  };
  skip_ws();
  size_t start = i;
  while (i < h.size() && is_token_char(h[i])) ++i;
  if (i == start) return bad("missing scheme");
  AuthChallenge out;
  out.scheme = lower(h.substr(start, i - start));
  while (true) {
    skip_ws();
    while (i < h.size() && h[i] == ',') {
      ++i;
      skip_ws();
    }
    if (i >= h.size()) break;
    size_t ns = i;
    while (i < h.size() && is_token_char(h[i]) && h[i] != '=') ++i;
    if (i == ns) return bad("expected a parameter name");
    std::string name = lower(h.substr(ns, i - ns));
    skip_ws();
    if (i >= h.size() || h[i] != '=') return bad("expected '=' after " + name);
    ++i;
    skip_ws();
    std::string value;
    if (i < h.size() && h[i] == '"') {
      ++i;
      bool closed = false;
      while (i < h.size()) {
        char c = h[i++];
        if (c == '\\' && i < h.size()) {
          value.push_back(h[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return bad("unterminated quoted value");
    } else {
      size_t vs = i;
      while (i < h.size() && h[i] != ',' && h[i] != ' ' && h[i] != '\t') ++i;
      value = std::string(h.substr(vs, i - vs));
    }
    out.params[name] = value;
    skip_ws();
    if (i < h.size() && h[i] != ',') return bad("expected ',' between parameters");
  }
  return out;
}

std::string base64_encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view in) {
  std::string s;
  for (char c : in) {
    if (c != '\n' && c != '\r' && c != ' ') s.push_back(c);
  }
  if (s.size() % 4 != 0) {
    return make_error(Errc::kInvalidArgument, "invalid base64 (length {})", s.size());
  }
  std::string out(s.size() / 4 * 3, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return make_error(Errc::kInvalidArgument, "invalid base64");
  size_t pad = 0;
  if (!s.empty() && s.back() == '=') ++pad;
  if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string docker_config_path() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) {
    return std::string(d) + "/config.json";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.docker/config.json";
  }
  return "";
}

Result<std::optional<Credentials>> find_docker_config_credentials(std::string_view config_json,
                                                                  const RegistryRef& ref) {
  if (config_json.size() > kMaxConfig) {
    return make_error(Errc::kInvalidArgument, "docker config too large");
  }
  nlohmann::json j = nlohmann::json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(Errc::kInvalidArgument, "docker config is not a JSON object");
  }
  auto auths = j.find("auths");
  if (auths == j.end() || !auths->is_object()) return std::optional<Credentials>{};
  std::vector<std::string> wanted;
  if (ref.is_docker_hub()) {
    wanted = {"index.docker.io", "docker.io", "registry-1.docker.io"};
  } else {
    wanted = {lower(ref.domain)};
  }
  for (const std::string& want : wanted) {
    for (auto it = auths->begin(); it != auths->end(); ++it) {
      if (config_key_domain(it.key()) != want) continue;
      if (!it->is_object()) {
        return make_error(Errc::kInvalidArgument, "docker config: auths entry {} is malformed",
                          it.key());
      }
      auto auth = it->find("auth");
      if (auth != it->end() && auth->is_string() && !auth->get<std::string>().empty()) {
        auto decoded = base64_decode(auth->get<std::string>());
        if (!decoded.ok()) {
          return make_error(Errc::kInvalidArgument, "docker config: auth for {} is not base64",
                            it.key());
        }
        size_t colon = decoded->find(':');
        if (colon == std::string::npos) {
          return make_error(Errc::kInvalidArgument,
                            "docker config: auth for {} is not user:password", it.key());
        }
        return std::optional<Credentials>(
            Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)});
      }
      auto user = it->find("username");
      auto pass = it->find("password");
      if (user != it->end() && pass != it->end() && user->is_string() && pass->is_string()) {
        return std::optional<Credentials>(
            Credentials{user->get<std::string>(), pass->get<std::string>()});
      }
    }
  }
  return std::optional<Credentials>{};
}

}  // namespace hivesec::image
