#include "common/result.h"

namespace hivesec {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid-argument";
    case Errc::kNotFound:
      return "not-found";
    case Errc::kIo:
      return "io";
    case Errc::kCorrupt:
      return "corrupt";
    case Errc::kUnsupported:
      return "unsupported";
    case Errc::kLimit:
      return "limit";
    case Errc::kNetwork:
      return "network";
    case Errc::kAuth:
      return "auth";
    case Errc::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace hivesec
