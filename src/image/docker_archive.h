// The docker-archive source: tars written by `docker save` / `podman save` (manifest.json +
// config JSON + layers as <id>/layer.tar, <hex>.tar or blobs/sha256/<hex>, possibly gzip/zstd
// compressed). Registered as kind "docker-archive"; also used by the engine source, which spools
// an engine export to a file and opens it here.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "image/source.h"

namespace hivesec::image {

// Opens the archive at `path`. `selector` picks one image by a RepoTags entry ("repo:tag";
// "repo" means "repo:latest"; "docker.io/library/" and "localhost/" prefixes are ignored when
// comparing); "" takes the first image. The config must hash to its file name when that name is
// a digest; layers are verified while read (uncompressed data against the config's diff_id,
// compressed data against the digest in its file name). kNotFound when the file, a listed entry
// or the selected image is missing (the message lists the available tags), kCorrupt on
// malformed content, kUnsupported for a compressed outer archive. The returned source is
// thread-safe for open_layer() and keeps the file open until destroyed.
Result<std::unique_ptr<ImageSource>> open_docker_archive(const std::string& path,
                                                         const std::string& selector = "");

// The SourceKind registered in builtins.cpp: ref "file.tar" or "file.tar:repo:tag"; detects a
// tar with manifest.json and without oci-layout.
SourceKind docker_archive_source_kind();

}  // namespace hivesec::image
