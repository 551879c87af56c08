#include "image/oci_archive.h"

#include "common/hash.h"
#include "image/blob_store.h"
#include "image/local_ref.h"
#include "image/oci_image.h"
#include "image/oci_layout.h"
#include "image/tar_index.h"

namespace hivesec::image {

namespace {

using detail::TarEntry;
using detail::TarFile;

class TarBlobStore : public BlobStore {
 public:
  explicit TarBlobStore(std::shared_ptr<TarFile> tar) : tar_(std::move(tar)) {}

  Result<std::string> read_blob(const std::string& digest, size_t max_bytes) const override {
    HIVESEC_TRY(const TarEntry* e, find(digest));
    HIVESEC_TRY(std::string data, tar_->read(*e, max_bytes));
    if (!digest.starts_with("sha256:")) {
      return make_error(Errc::kUnsupported, "blob {}: only sha256 digests can be verified", digest);
    }
    if (std::string got = sha256_digest(data); got != digest) {
      return make_error(Errc::kCorrupt, "blob {}: digest mismatch (got {})", digest, got);
    }
    return data;
  }

  Result<std::unique_ptr<ByteStream>> open_blob(const std::string& digest,
                                                int64_t size) const override {
    HIVESEC_TRY(const TarEntry* e, find(digest));
    return verifying_stream(tar_->open_stream(*e), digest, size, "blob " + digest);
  }

 private:
  Result<const TarEntry*> find(const std::string& digest) const {
    HIVESEC_TRY_STATUS(validate_digest(digest));
    size_t colon = digest.find(':');
    std::string name = "blobs/" + digest.substr(0, colon) + "/" + digest.substr(colon + 1);
    const TarEntry* e = tar_->find(name);
    if (e == nullptr) return make_error(Errc::kNotFound, "blob {} is not in the archive", digest);
    return e;
  }

  std::shared_ptr<TarFile> tar_;
};

Result<std::unique_ptr<ImageSource>> open_oci_archive(const std::string& ref,
                                                      const SourceOptions& opts) {
  auto lr = detail::split_local_ref(ref, detail::LocalKind::kFile);
  auto run = [&]() -> Result<std::unique_ptr<ImageSource>> {
    HIVESEC_TRY(std::shared_ptr<TarFile> tar, TarFile::open(lr.path));
    const TarEntry* marker = tar->find("oci-layout");
    if (marker == nullptr) {
      return make_error(Errc::kNotFound, "no oci-layout file (not an oci-archive)");
    }
    HIVESEC_TRY(std::string marker_text, tar->read(*marker, 4096));
    HIVESEC_TRY_STATUS(detail::check_oci_layout_marker(marker_text));
    const TarEntry* index = tar->find("index.json");
    if (index == nullptr) return make_error(Errc::kNotFound, "no index.json in the archive");
    HIVESEC_TRY(std::string index_json, tar->read(*index, kMaxManifestBytes));
    return detail::open_oci_layout(std::make_shared<TarBlobStore>(std::move(tar)), index_json, ref,
                                   "oci-archive", lr.selector, opts.platform);
  };
  auto r = run();
  if (!r.ok()) {
    if (r.error().message.starts_with(lr.path)) return std::move(r).error();
    return std::move(r).error().wrap("oci-archive " + lr.path);
  }
  return r;
}

}  // namespace

SourceKind oci_archive_source_kind() {
  SourceKind k;
  k.name = "oci-archive";
  k.detect = [](const std::string& ref) -> bool {
    auto lr = detail::split_local_ref(ref, detail::LocalKind::kFile);
    return detail::tar_file_has_entries(lr.path, {"oci-layout"})[0];
  };
  k.open = open_oci_archive;
  return k;
}

}  // namespace hivesec::image
