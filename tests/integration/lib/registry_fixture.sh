#!/usr/bin/env bash
# Sets up (start) or tears down (stop) the registries used by the registry integration tests.
#   registry_fixture.sh start DIR  -> writes DIR/env (KEY=VALUE lines), exit 77 when tools miss
#   registry_fixture.sh stop DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/registry.sh"
cmd=$1 dir=$2

if [ "$cmd" = stop ]; then
  for d in anon basic token corrupt; do registry_stop "$dir/$d"; done
  exit 0
fi

for tool in docker-registry skopeo python3 htpasswd curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool" >&2; exit 77; }
done
mkdir -p "$dir"
python3 "$here/make_oci.py" "$dir/oci-single" 1.0 amd64
python3 "$here/make_oci.py" "$dir/oci-multi" multi amd64 arm64
skopeo copy --quiet oci:"$dir/oci-single":1.0 docker-archive:"$dir/single.tar":test/single:1.0

anon=$(registry_start anon "$dir/anon")
registry_push oci:"$dir/oci-single":1.0 "$anon/test/single:1.0"
registry_push oci:"$dir/oci-multi":multi "$anon/test/multi:1"

basic=$(registry_start basic "$dir/basic" alice s3cret)
registry_push oci:"$dir/oci-single":1.0 "$basic/test/single:1.0" alice s3cret

token=$(registry_start token "$dir/token" bob t0ken-pw --redirect-blobs)
registry_push oci:"$dir/oci-single":1.0 "$(cat "$dir/token/inner_addr")/test/single:1.0"
registry_push oci:"$dir/oci-single":1.0 "$(cat "$dir/token/inner_addr")/other/repo:1.0"

corrupt=$(registry_start anon "$dir/corrupt")
registry_push oci:"$dir/oci-single":1.0 "$corrupt/test/single:1.0"

{
  echo "ANON=$anon"
  echo "BASIC=$basic"
  echo "TOKEN=$token"
  echo "CORRUPT=$corrupt"
  echo "CORRUPT_DIR=$dir/corrupt"
  echo "ARCHIVE=$dir/single.tar"
  echo "OCI_SINGLE=$dir/oci-single"
} > "$dir/env"
