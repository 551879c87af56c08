// The built-in collectors, in one visible list (STYLE §4). Later areas (Docker Engine API,
// Kubernetes manifests) add theirs here.
#include "policy/collector.h"

namespace hivesec::policy {

namespace collectors {
std::unique_ptr<Collector> make_file_collector();
std::unique_ptr<Collector> make_stat_collector();
std::unique_ptr<Collector> make_sysctl_collector();
std::unique_ptr<Collector> make_process_collector();
std::unique_ptr<Collector> make_audit_rules_collector();
std::unique_ptr<Collector> make_kernel_config_collector();
std::unique_ptr<Collector> make_kernel_release_collector();
std::unique_ptr<Collector> make_systemd_units_collector();
std::unique_ptr<Collector> make_accounts_collector();
std::unique_ptr<Collector> make_find_files_collector();
std::unique_ptr<Collector> make_file_perms_collector();
std::unique_ptr<Collector> make_k8s_component_collector();
std::unique_ptr<Collector> make_k8s_path_collector();
std::unique_ptr<Collector> make_k8s_etcd_ca_collector();
std::unique_ptr<Collector> make_engine_collector();
std::unique_ptr<Collector> make_env_collector();
std::unique_ptr<Collector> make_k8s_manifests_collector();
}  // namespace collectors

Status register_builtin_collectors(CollectorRegistry& r) {
  using namespace collectors;
  for (auto* make :
       {make_file_collector, make_stat_collector, make_sysctl_collector, make_process_collector,
        make_audit_rules_collector, make_kernel_config_collector, make_kernel_release_collector,
        make_systemd_units_collector, make_accounts_collector, make_find_files_collector,
        make_file_perms_collector, make_k8s_component_collector, make_k8s_path_collector,
        make_k8s_etcd_ca_collector, make_engine_collector, make_env_collector,
        make_k8s_manifests_collector}) {
    HIVESEC_TRY_STATUS(r.add(make()));
  }
  return ok_status();
}

}  // namespace hivesec::policy
