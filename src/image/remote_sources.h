// The remote image sources: a registry over the OCI distribution API ("registry") and a local
// engine over the Docker Engine API ("docker", alias "podman"; works with `podman system
// service`). Registered in image/builtins.cpp after the local sources.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "image/source.h"

namespace hivesec::image {

// Pulls metadata from a registry and streams layers from it on demand. `ref` is a reference as
// Docker writes it (registry_ref.h). Auth: opts.username/password, else the Docker config's
// `auths`, else anonymous; Bearer token challenges are followed. HTTPS unless the registry is
// loopback or opts.insecure. Errors: kInvalidArgument (bad ref), kAuth (401/403), kNotFound
// (404), kNetwork (transport), kCorrupt (digest mismatch), kNotFound for a missing platform.
Result<std::unique_ptr<ImageSource>> open_registry_image(const std::string& ref,
                                                         const SourceOptions& opts);

// Exports `name` from the engine (opts.docker_host, else DOCKER_HOST, else /var/run/docker.sock,
// else /run/podman/podman.sock) into an anonymous temp file under opts.temp_dir and opens it as
// a docker-archive. Errors: kNotFound (no engine socket, or no such image), kNetwork, kIo.
Result<std::unique_ptr<ImageSource>> open_engine_image(const std::string& name,
                                                       const SourceOptions& opts);

// Detection: a registry-looking ref that is not an existing path (last resort).
bool detect_registry_ref(const std::string& ref);
// Detection: an engine socket exists and has the image (one inspect call, short timeout).
bool detect_engine_image(const std::string& name);

SourceKind registry_source_kind();
SourceKind engine_source_kind(std::string name);  // "docker" or "podman"

}  // namespace hivesec::image
