// Fuzzes the outer tar indexer and the image metadata parsers (config, manifest/index) on
// arbitrary bytes. The first byte picks the target.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "image/blob_store.h"
#include "image/image.h"
#include "image/oci_image.h"
#include "image/tar_index.h"

namespace {

// A blob store with no blobs: resolution stops at the first fetch.
class EmptyStore : public hivesec::image::BlobStore {
 public:
  hivesec::Result<std::string> read_blob(const std::string& digest, size_t) const override {
    return hivesec::make_error(hivesec::Errc::kNotFound, "no blob {}", digest);
  }
  hivesec::Result<std::unique_ptr<hivesec::image::ByteStream>> open_blob(const std::string& d,
                                                                         int64_t) const override {
    return hivesec::make_error(hivesec::Errc::kNotFound, "no blob {}", d);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto idx = hivesec::image::detail::index_tar(hivesec::image::detail::buffer_tar_reader(in));
      if (idx.ok()) {
        for (const auto& [name, e] : *idx) {
          if (e.offset < 0 || e.size < 0 || e.offset + e.size > static_cast<int64_t>(in.size())) {
            __builtin_trap();
          }
        }
      }
      break;
    }
    case 1: {
      hivesec::image::ImageMeta meta;
      (void)hivesec::image::parse_image_config(in, meta);
      break;
    }
    default: {
      EmptyStore store;
      (void)hivesec::image::resolve_oci_image(store, std::string(in), "", std::nullopt);
      break;
    }
  }
  return 0;
}
