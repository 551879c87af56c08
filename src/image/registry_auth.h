// Registry authentication pieces (private to src/image): WWW-Authenticate challenges, Docker
// config credentials and base64. Pure functions, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "image/registry_ref.h"

namespace hivesec::image {

struct AuthChallenge {
  std::string scheme;                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params;  // lowercased names: realm, service, scope
};

// Parses `Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"`.
// kInvalidArgument on malformed input (unterminated quote, missing scheme, too long).
Result<AuthChallenge> parse_www_authenticate(std::string_view header);

struct Credentials {
  std::string username;
  std::string password;
};

// Finds credentials for `ref`'s registry in a Docker config.json (`auths.<key>.auth`, base64 of
// "user:password"; keys may carry a scheme and path, Docker Hub is "https://index.docker.io/v1/").
// nullopt when there is no entry; kInvalidArgument when the JSON or the entry is malformed.
// Credential helpers (credsStore/credHelpers) are not consulted.
Result<std::optional<Credentials>> find_docker_config_credentials(std::string_view config_json,
                                                                  const RegistryRef& ref);

// $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json ("" when neither is set).
std::string docker_config_path();

std::string base64_encode(std::string_view in);
// kInvalidArgument on bad input.
Result<std::string> base64_decode(std::string_view in);

}  // namespace hivesec::image
