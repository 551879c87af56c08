// The secret-matching engine: every enabled rule's regex compiled into one Hyperscan streaming
// database; each file is matched in one pass over its bytes, fed in chunks of any size.
//
// How a finding is made: Hyperscan reports where a rule's pattern can end (a prefilter: rules
// Hyperscan cannot compile exactly are compiled with HS_FLAG_PREFILTER, which over-reports).
// Candidate ends of a rule that lie close together form a group; once enough bytes past the
// group have arrived, RE2 confirms the rule in a window of bytes around the group (at most the
// rule's longest match, capped at kMaxWindow, on each side) and keeps RE2 matches ending inside
// the group. A confirmed match must contain one of the rule's keywords, its secret must reach
// the rule's entropy and must not be allowlisted. The window edges are fixed by the content
// alone, so the findings do not depend on how the file is chunked. Memory per open stream is
// bounded (the last chunk plus about 200 KiB), whatever the file size.
//
// Files whose first 8 KiB contain a NUL byte are binary: only rules whose `paths` select the
// file look at them.
//
// Thread-safety: an Engine is immutable and may be shared by threads; a Stream is used by one
// thread at a time. Secrets never leave the engine unmasked.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "secrets/rules.h"

namespace hivesec::secrets {

inline constexpr size_t kMaxWindow = 16 << 10;       // longest match looked at, each side
inline constexpr size_t kBinarySniff = 8 << 10;      // bytes looked at for NULs
inline constexpr size_t kMaxFindingsPerFile = 200;  // more are dropped (with `truncated`)
// The analyzer's note for a skipped binary file is "secrets: " + this + path; the secret
// scanner folds those notes into one summary.
inline constexpr std::string_view kBinarySkippedNote = "binary file not scanned: ";

// Shannon entropy of the bytes of `s`, in bits per byte (0 for an empty string).
double shannon_entropy(std::string_view s);

// The secret as shown anywhere: up to 4 leading and 4 trailing characters are kept, never more
// than a third of the secret in all (min(4, len/6) each side); the rest is '*' (at most 24 of
// them). Non-printable kept characters become '*' too.
std::string mask_secret(std::string_view secret);

struct SecretMatch {
  size_t rule = 0;      // index into Engine::rules()
  int line = 0;         // 1-based line of the secret's first byte
  uint64_t offset = 0;  // byte offset of the secret in the file
  uint64_t length = 0;  // its length in bytes
  std::string masked;   // mask_secret(secret)
};

struct StreamOptions {
  // Ignore rules' `paths` and the global allow.paths (rule example tests, image config).
  bool ignore_paths = false;
  // Treat the input as text even with NUL bytes (image config strings).
  bool text = false;
  // The input's total size when known (-1: unknown). Inputs of at most kBlockMax bytes are
  // buffered and matched at once with Hyperscan's block mode: opening and closing a stream
  // costs more than matching a small file. The findings are the same either way.
  int64_t size_hint = -1;
};

inline constexpr int64_t kBlockMax = 1 << 20;

struct StreamResult {
  std::vector<SecretMatch> matches;  // sorted by offset, then rule
  bool binary_skipped = false;       // binary, and no rule selects it by path
  bool truncated = false;            // more than kMaxFindingsPerFile distinct findings
};

class Stream {
 public:
  virtual ~Stream() = default;
  // Never fails on content; kInternal if Hyperscan does.
  virtual Status feed(std::string_view chunk) = 0;
  // Call once, after the last feed.
  virtual Result<StreamResult> finish() = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Compiles the rules. kInvalidArgument "FILE:LINE: rule ID: reason" when Hyperscan refuses a
  // regex even as a prefilter; kInternal on other Hyperscan failures. With a `cache_dir`, the
  // Hyperscan database is kept in <cache_dir>/secrets/ and loaded from there next time.
  static Result<std::unique_ptr<Engine>> build(RuleSet rules, const std::string& cache_dir = "");

  virtual const RuleSet& rules() const = 0;

  // Whether a file can be skipped by its path alone: the global allow.paths, and names that are
  // never text worth scanning (shared objects, archives, images, fonts, compiled bytecode).
  // Does not allocate.
  virtual bool skips_path(std::string_view path) const = 0;

  // A matcher for one file (`path` is image-relative, used for the rules' path filters).
  virtual Result<std::unique_ptr<Stream>> open(std::string_view path,
                                               StreamOptions options = {}) const = 0;

  // One whole text at once (the same as a single feed).
  Result<StreamResult> scan(std::string_view path, std::string_view text,
                            StreamOptions options = {}) const;
};

// The engine for the built-in rules plus `user_files`, built once per process per list of files
// and shared (the layer pass and the image-config pass use the same one). Thread-safe.
Result<std::shared_ptr<const Engine>> shared_engine(const std::vector<std::string>& user_files,
                                                    const std::string& cache_dir = "");

}  // namespace hivesec::secrets
