// Test-only helpers: build small images (layers, config, manifests) and lay them out as a
// docker-archive, an OCI layout directory or an oci-archive. Header-only so it stays out of
// hivesec_core; include it from *_test.cpp only.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/hash.h"

namespace hivesec::image::testing {

struct TarItem {
  std::string name;
  std::string content;
  char type = '0';  // '0' file, '5' directory
};

// Writes a tar (pax restricted) with libarchive, optionally through a "gzip"/"zstd" filter.
inline std::string make_tar(const std::vector<TarItem>& items, const std::string& filter = "") {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  if (filter == "zstd") archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open2(
      a, &out, nullptr,
      [](archive*, void* ud, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(ud)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr, nullptr);
  for (const auto& it : items) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, it.name.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    if (it.type == '5') {
      archive_entry_set_filetype(e, AE_IFDIR);
      archive_entry_set_perm(e, 0755);
      archive_write_header(a, e);
    } else {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, static_cast<la_int64_t>(it.content.size()));
      archive_write_header(a, e);
      archive_write_data(a, it.content.data(), it.content.size());
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

struct Blob {
  std::string media_type;
  std::string data;
  std::string digest() const { return sha256_digest(data); }
};

// One image: layers (uncompressed tars and their stored form), config, manifest.
struct TestImage {
  std::vector<std::string> layer_tars;  // uncompressed
  std::vector<Blob> layers;             // as stored
  Blob config;
  Blob manifest;

  // Builds an image whose layer i holds `files[i]`, stored with `compression` ("", gzip, zstd).
  static TestImage build(const std::vector<std::vector<TarItem>>& files,
                         const std::string& compression = "gzip", const std::string& arch = "amd64",
                         const std::string& variant = "") {
    TestImage img;
    nlohmann::json diff_ids = nlohmann::json::array();
    nlohmann::json history = nlohmann::json::array();
    for (const auto& f : files) {
      std::string tar = make_tar(f);
      img.layer_tars.push_back(tar);
      diff_ids.push_back(sha256_digest(tar));
      std::string mt = compression == "gzip"   ? "application/vnd.oci.image.layer.v1.tar+gzip"
                       : compression == "zstd" ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                               : "application/vnd.oci.image.layer.v1.tar";
      img.layers.push_back({mt, compression.empty() ? tar : make_tar(f, compression)});
      history.push_back({{"created_by", "ADD layer"}});
    }
    nlohmann::json cfg = {{"architecture", arch},
                          {"os", "linux"},
                          {"created", "2024-05-06T07:08:09Z"},
                          {"config",
                           {{"User", "nobody"},
                            {"Env", {"PATH=/bin"}},
                            {"Cmd", {"/bin/sh"}},
                            {"Labels", {{"org.example", "yes"}}}}},
                          {"history", history},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
    if (!variant.empty()) cfg["variant"] = variant;
    img.config = {"application/vnd.oci.image.config.v1+json", cfg.dump()};
    img.rebuild_manifest();
    return img;
  }

  void rebuild_manifest() {
    nlohmann::json layers_json = nlohmann::json::array();
    for (const auto& l : layers) {
      layers_json.push_back(
          {{"mediaType", l.media_type}, {"digest", l.digest()}, {"size", l.data.size()}});
    }
    nlohmann::json m = {{"schemaVersion", 2},
                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                        {"config",
                         {{"mediaType", config.media_type},
                          {"digest", config.digest()},
                          {"size", config.data.size()}}},
                        {"layers", layers_json}};
    manifest = {"application/vnd.oci.image.manifest.v1+json", m.dump()};
  }

  nlohmann::json descriptor(const std::string& tag = "", const std::string& arch = "") const {
    nlohmann::json d = {{"mediaType", manifest.media_type},
                        {"digest", manifest.digest()},
                        {"size", manifest.data.size()}};
    if (!tag.empty()) d["annotations"] = {{"org.opencontainers.image.ref.name", tag}};
    if (!arch.empty()) d["platform"] = {{"os", "linux"}, {"architecture", arch}};
    return d;
  }
};

// The files of an OCI layout: oci-layout, index.json, blobs/sha256/<hex>.
inline std::map<std::string, std::string> oci_layout_files(
    const std::vector<const TestImage*>& images, const nlohmann::json& index) {
  std::map<std::string, std::string> files;
  files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  files["index.json"] = index.dump();
  auto put = [&](const Blob& b) { files["blobs/sha256/" + b.digest().substr(7)] = b.data; };
  for (const TestImage* img : images) {
    put(img->manifest);
    put(img->config);
    for (const auto& l : img->layers) put(l);
  }
  return files;
}

inline nlohmann::json simple_index(const std::vector<nlohmann::json>& descriptors) {
  return {{"schemaVersion", 2},
          {"mediaType", "application/vnd.oci.image.index.v1+json"},
          {"manifests", descriptors}};
}

inline std::vector<TarItem> as_tar_items(const std::map<std::string, std::string>& files) {
  std::vector<TarItem> items;
  for (const auto& [name, content] : files) items.push_back({name, content});
  return items;
}

// A scratch directory removed at destruction.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("hivesec_img_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path(const std::string& rel = "") const { return (path_ / rel).string(); }
  std::string write(const std::string& rel, const std::string& data) const {
    auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace hivesec::image::testing
