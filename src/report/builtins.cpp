// The one visible list of report formats.
#include "report/util.h"
#include "report/writer.h"

namespace hivesec::report {

Status register_builtin_writers(WriterRegistry& r) {
  HIVESEC_TRY_STATUS(r.add(make_table_writer()));
  HIVESEC_TRY_STATUS(r.add(make_json_writer()));
  HIVESEC_TRY_STATUS(r.add(make_cyclonedx_writer("cyclonedx", "1.6")));
  HIVESEC_TRY_STATUS(r.add(make_cyclonedx_writer("cyclonedx-1.5", "1.5")));
  HIVESEC_TRY_STATUS(r.add(make_spdx_writer()));
  HIVESEC_TRY_STATUS(r.add(make_sarif_writer()));
  HIVESEC_TRY_STATUS(r.add(make_html_writer()));
  return ok_status();
}

}  // namespace hivesec::report
