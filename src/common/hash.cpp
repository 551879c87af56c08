#include "common/hash.h"

#include <openssl/evp.h>

#include <array>

namespace hivesec {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr);
}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) { EVP_DigestUpdate(ctx_->md, data, size); }

std::string Sha256::hex_final() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, out.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    s.push_back(kHex[out[i] >> 4]);
    s.push_back(kHex[out[i] & 15]);
  }
  return s;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex_final();
}

std::string sha256_digest(std::string_view data) { return "sha256:" + sha256_hex(data); }

Status validate_digest(std::string_view digest) {
  auto colon = digest.find(':');
  if (colon == std::string_view::npos) {
    return make_error(Errc::kCorrupt, "invalid digest '{}'", digest);
  }
  auto algo = digest.substr(0, colon);
  auto hex = digest.substr(colon + 1);
  size_t want = algo == "sha256" ? 64 : algo == "sha512" ? 128 : 0;
  if (want == 0) return make_error(Errc::kCorrupt, "unsupported digest algorithm '{}'", algo);
  if (hex.size() != want) return make_error(Errc::kCorrupt, "invalid digest '{}'", digest);
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return make_error(Errc::kCorrupt, "invalid digest '{}'", digest);
    }
  }
  return ok_status();
}

}  // namespace hivesec
