// Parsers for the account databases etc/passwd and etc/shadow (the "password" scanner's input).
//
// Both files are hostile input: lines may be huge, miss fields, hold NUL bytes or end in CRLF.
// The parsers never fail; they return the entries they could read and count the lines they
// could not (with the first reason), so the caller can report a corrupted file as a note.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::analyze {

// What the password field of an entry says.
enum class PasswordField {
  kEmpty,     // "": no password at all, anyone can log in
  kLocked,    // "!...", "*...": password login disabled (may keep a hash after '!')
  kShadowed,  // passwd only: "x", the hash is in etc/shadow
  kHash,      // a crypt(3) hash (possibly of a method hivesec does not check)
};

struct AccountEntry {
  std::string name;
  std::string password;         // the raw field
  PasswordField field = PasswordField::kLocked;
  std::optional<uint32_t> uid;  // passwd only
  int line = 0;                 // 1-based
};

struct AccountFile {
  std::vector<AccountEntry> entries;
  int lines = 0;      // non-blank lines seen
  int bad_lines = 0;  // lines that could not be parsed
  int first_bad_line = 0;
  std::string first_bad_reason;  // "no ':' separator", "NUL byte", ...
};

// Longest line accepted; longer ones are counted as bad.
inline constexpr size_t kMaxAccountLine = 4096;

AccountFile parse_passwd(std::string_view content);
AccountFile parse_shadow(std::string_view content);

// How the password field of a passwd (in_passwd) or shadow entry is to be read.
PasswordField classify_password(std::string_view field, bool in_passwd);

// The crypt method of a hash and whether hivesec checks it at bounded cost.
struct HashMethod {
  std::string name;    // "yescrypt", "sha512crypt", "sha256crypt", "md5crypt", "bcrypt",
                       // "descrypt", or the prefix of an unknown method ("$gy$")
  bool checkable = false;
  std::string reason;  // why not, when !checkable ("bcrypt cost 20 exceeds 13")
};

// Cost caps: one try of a hash past these could take many seconds (or gigabytes for
// yescrypt), so such hashes are reported as not checked instead.
inline constexpr int kMaxBcryptCost = 13;
inline constexpr long kMaxShaRounds = 1'000'000;
inline constexpr uint64_t kMaxYescryptBytes = 256ull << 20;

HashMethod hash_method(std::string_view hash);

// The field made safe for a one-line message: bytes other than printable ASCII replaced by
// '?', at most 64 characters.
std::string printable_name(std::string_view s);

}  // namespace hivesec::analyze
