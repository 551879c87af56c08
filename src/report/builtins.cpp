// The one visible list of report formats.
#include "report/writer.h"

namespace hivesec::report {

Status register_builtin_writers(WriterRegistry& r) {
  (void)r;
  return ok_status();
}

}  // namespace hivesec::report
