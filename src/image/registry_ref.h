// Registry image references ("debian:12", "localhost:5000/app/x:1.0", "host/x@sha256:...")
// parsed and normalized the way Docker does, validated with the distribution reference grammar.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::image {

struct RegistryRef {
  std::string domain;      // as written, normalized: "docker.io", "localhost:5000", "[::1]:5000"
  std::string host;        // where to connect: "registry-1.docker.io" for docker.io, else domain
  std::string repository;  // "library/debian", "app/x"
  std::string tag;         // "" when only a digest was given; "latest" when neither was
  std::string digest;      // "sha256:<hex>" or ""

  // The manifest reference to fetch: the digest when present (it wins over the tag), else the tag.
  const std::string& reference() const { return digest.empty() ? tag : digest; }
  // "docker.io/library/debian" style full name without tag/digest.
  std::string full_name() const;
  // Docker's short form: "debian", "user/app", "localhost:5000/x".
  std::string familiar_name() const;
  bool is_docker_hub() const { return domain == "docker.io"; }
  // True for localhost, 127.0.0.0/8 and ::1 (plain HTTP is used for these).
  bool is_loopback() const;
};

// Parses a reference. kInvalidArgument with the reason when it does not follow the grammar
// (uppercase repository, bad tag, bad digest, empty component, too long).
Result<RegistryRef> parse_registry_ref(std::string_view ref);

// Cheap syntactic check used by source detection.
bool looks_like_registry_ref(std::string_view ref);

// True for "localhost", "127.x.y.z" and "::1" hosts (with or without port / brackets).
bool is_loopback_domain(std::string_view domain);

}  // namespace hivesec::image
