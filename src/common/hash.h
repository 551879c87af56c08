// Streaming SHA-256 (OpenSSL EVP) and helpers for OCI digests ("sha256:<hex>").
// Not thread-safe per instance; use one Sha256 per stream.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Returns lowercase hex of the digest; the object must not be updated afterwards.
  std::string hex_final();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view data);
// "sha256:<hex>"
std::string sha256_digest(std::string_view data);

// Validates an OCI digest string ("sha256:" + 64 lowercase hex). Only sha256 and sha512 are
// accepted; anything else is kCorrupt.
Status validate_digest(std::string_view digest);

}  // namespace hivesec
