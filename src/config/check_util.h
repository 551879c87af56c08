// Small helpers the image and Dockerfile checks share: secret-like variable names, masking,
// image references, ADD sources.
#pragma once

#include <string>
#include <string_view>

namespace hivesec::config {

// PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY, PRIVATE_KEY, CREDENTIALS... as a part of the
// name (case-insensitive), except names that point to a secret rather than hold it
// (*_FILE, *_PATH, *_DIR, *_URL, *_NAME, ...).
bool secret_like_name(std::string_view name);

// A literal value: non-empty and not only a reference to another variable ("$X", "${X}").
bool literal_value(std::string_view value);

// A value that can be a secret: a literal that is not a boolean or a small number
// (TOKENIZERS_PARALLELISM=false is not a token).
bool secret_value(std::string_view value);

// "ab****" (at most two characters of the value, never the whole of a short one).
std::string mask_value(std::string_view value);

struct ImageRef {
  std::string name;    // "docker.io/library/debian" as written, without tag and digest
  std::string tag;     // "" when absent
  std::string digest;  // "sha256:..." or ""
};
ImageRef parse_image_ref(std::string_view ref);

// ADD sources: a URL or git remote, or a file name that ADD unpacks (a tar archive).
bool remote_source(std::string_view src);
bool archive_source(std::string_view src);

// "EXPOSE"/ExposedPorts entries: "22", "22/tcp", "20-25/tcp" include port 22.
bool exposes_ssh(std::string_view port_spec);

}  // namespace hivesec::config
