#!/usr/bin/env python3
"""Writes a kubeadm-like Kubernetes node tree for `hivesec bench kubernetes --root`.

Usage: k8s_node_fixture.py DIR KIND   (KIND: hard | weak | broken | worker)

  hard   control plane + etcd + kubelet, every automatable CIS check satisfied
  weak   the same node with the mistakes bench_kubernetes_test.sh expects to FAIL, including a
         kube-scheduler process (DIR/proc) whose flags differ from its manifest and a kubelet
         flag that overrides its config file
  broken hard, but kube-apiserver.yaml and the kubelet config.yaml are malformed
  worker kubelet only (no control plane)

File modes are set here; owners too when running as root (otherwise the tree's etc/passwd maps
"root" to the current user so ownership checks still read root:root).
"""
import os
import sys

D, KIND = sys.argv[1], sys.argv[2]
ROOT = os.geteuid() == 0
ETCD_UID = 990 if ROOT else os.geteuid()
OTHER_UID = 1000 if ROOT else os.geteuid()


def put(path, text, mode=0o600, owner=None):
    full = D + path
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)
    if ROOT:
        os.chown(full, *(owner or (0, 0)))


def mkdir(path, mode=0o755, owner=None):
    full = D + path
    os.makedirs(full, exist_ok=True)
    os.chmod(full, mode)
    if ROOT:
        os.chown(full, *(owner or (0, 0)))


def pod(name, flags):
    lines = [f"    - {name}"] + [f"    - {f}" for f in flags]
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n"
        f"  name: {name}\n  namespace: kube-system\nspec:\n  hostNetwork: true\n"
        f"  containers:\n  - name: {name}\n    image: registry.k8s.io/{name}:v1.30.0\n"
        "    command:\n" + "\n".join(lines) + "\n"
    )


weak = KIND == "weak"
uid = os.geteuid() if not ROOT else 0
gid = os.getegid() if not ROOT else 0
put("/etc/passwd", f"root:x:{uid}:{gid}:root:/root:/bin/bash\n"
    + ("etcd:x:990:990::/var/lib/etcd:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/sh\n"
       if ROOT else ""), 0o644)
put("/etc/group", f"root:x:{gid}:\n" + ("etcd:x:990:\nalice:x:1000:\n" if ROOT else ""), 0o644)
put("/etc/hostname", f"{KIND}-node\n", 0o644)

STRONG = ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
PKI = "/etc/kubernetes/pki"

if KIND != "worker":
    # ------------------------------------------------------------ PKI
    mkdir(PKI, 0o755)
    mkdir(PKI + "/etcd", 0o755)
    for name in ["ca", "apiserver", "apiserver-kubelet-client", "apiserver-etcd-client",
                 "front-proxy-ca", "etcd/server", "etcd/peer", "etcd/healthcheck-client"]:
        put(f"{PKI}/{name}.crt", f"-----BEGIN CERTIFICATE-----\n{name}\n", 0o600)
        put(f"{PKI}/{name}.key", f"-----BEGIN PRIVATE KEY-----\n{name}\n",
            0o644 if weak and name == "apiserver" else 0o600)
    # etcd's own CA; the weak node reuses the cluster CA's content.
    put(f"{PKI}/etcd/ca.crt", "-----BEGIN CERTIFICATE-----\n" + ("ca" if weak else "etcd-ca") + "\n")
    put(f"{PKI}/etcd/ca.key", "-----BEGIN PRIVATE KEY-----\netcd-ca\n")
    put(f"{PKI}/sa.key", "k\n", 0o600, (OTHER_UID, OTHER_UID) if weak else None)
    put(f"{PKI}/sa.pub", "p\n", 0o600)

    # ------------------------------------------------------------ static pod manifests
    if weak:
        api = ["--advertise-address=10.0.0.10", "--allow-privileged=true",
               "--token-auth-file=/etc/kubernetes/tokens.csv",
               "--authorization-mode=AlwaysAllow",
               "--enable-admission-plugins=AlwaysAdmit,PodSecurity",
               "--disable-admission-plugins=ServiceAccount",
               "--client-ca-file=/etc/kubernetes/pki/ca.crt",
               "--etcd-servers=https://127.0.0.1:2379",
               "--audit-log-path=/var/log/kubernetes/audit.log", "--audit-log-maxage=7",
               "--request-timeout=30s", "--service-account-lookup=false",
               "--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA," + STRONG]
    else:
        api = ["--advertise-address=10.0.0.10", "--allow-privileged=true",
               "--anonymous-auth=false",
               "--authorization-mode=Node,RBAC",
               "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,"
               "DenyServiceExternalIPs",
               "--admission-control-config-file=/etc/kubernetes/admission.yaml",
               "--client-ca-file=/etc/kubernetes/pki/ca.crt",
               "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
               "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
               "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
               "--etcd-servers=https://127.0.0.1:2379",
               "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
               "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
               "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
               "--profiling=false",
               "--audit-log-path=/var/log/kubernetes/audit/audit.log",
               "--audit-policy-file=/etc/kubernetes/audit-policy.yaml",
               "--audit-log-maxage=30", "--audit-log-maxbackup=10", "--audit-log-maxsize=100",
               "--request-timeout=300s",
               "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
               "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
               "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
               "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
               "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
               "--encryption-provider-config=/etc/kubernetes/enc/enc.yaml",
               "--tls-cipher-suites=" + STRONG]
    text = pod("kube-apiserver", api)
    if KIND == "broken":
        text = text.replace("    command:\n", "    command: [kube-apiserver, --profiling=false\n", 1)
    put("/etc/kubernetes/manifests/kube-apiserver.yaml", text, 0o644 if weak else 0o600)

    cm = ["--kubeconfig=/etc/kubernetes/controller-manager.conf",
          "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt"]
    if not weak:
        cm += ["--terminated-pod-gc-threshold=10", "--profiling=false",
               "--use-service-account-credentials=true",
               "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
               "--root-ca-file=/etc/kubernetes/pki/ca.crt",
               "--feature-gates=RotateKubeletServerCertificate=true",
               "--bind-address=127.0.0.1"]
    else:
        cm += ["--feature-gates=RotateKubeletServerCertificate=false",
               "--bind-address=0.0.0.0", "--use-service-account-credentials=false"]
    put("/etc/kubernetes/manifests/kube-controller-manager.yaml", pod("kube-controller-manager", cm))
    # The weak scheduler manifest looks right; the running process (below) is not.
    put("/etc/kubernetes/manifests/kube-scheduler.yaml",
        pod("kube-scheduler", ["--kubeconfig=/etc/kubernetes/scheduler.conf",
                               "--profiling=false", "--bind-address=127.0.0.1"]))
    etcd = ["--name=node1", "--data-dir=/var/lib/etcd-data",
            "--listen-client-urls=https://127.0.0.1:2379",
            "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt"]
    if weak:
        etcd += ["--auto-tls=true", "--peer-auto-tls=true", "--client-cert-auth=false"]
    else:
        etcd += ["--cert-file=/etc/kubernetes/pki/etcd/server.crt",
                 "--key-file=/etc/kubernetes/pki/etcd/server.key",
                 "--client-cert-auth=true",
                 "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
                 "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
                 "--peer-client-cert-auth=true",
                 "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt"]
    put("/etc/kubernetes/manifests/etcd.yaml", pod("etcd", etcd))
    mkdir("/var/lib/etcd-data", 0o755 if weak else 0o700, None if weak else (ETCD_UID, ETCD_UID))
    put("/var/lib/etcd-data/member", "", 0o600, (ETCD_UID, ETCD_UID))

    for conf in ["admin.conf", "super-admin.conf", "scheduler.conf", "controller-manager.conf"]:
        put("/etc/kubernetes/" + conf, "apiVersion: v1\nkind: Config\n",
            0o644 if weak and conf == "admin.conf" else 0o600,
            (OTHER_UID, OTHER_UID) if weak and conf == "scheduler.conf" else None)

    if weak:
        # A running kube-scheduler with profiling on and listening everywhere.
        put("/proc/4711/cmdline",
            "\0".join(["/usr/local/bin/kube-scheduler", "--kubeconfig=/etc/kubernetes/scheduler.conf",
                       "--profiling=true", "--bind-address=0.0.0.0"]) + "\0", 0o444)
        put("/proc/4711/comm", "kube-scheduler\n", 0o444)

# ------------------------------------------------------------------ kubelet
put("/usr/lib/systemd/system/kubelet.service",
    "[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n"
    "[Install]\nWantedBy=multi-user.target\n", 0o644 if weak else 0o600)
put("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "[Service]\n"
    'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf'
    ' --kubeconfig=/etc/kubernetes/kubelet.conf"\n'
    'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\n'
    "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n"
    "EnvironmentFile=-/etc/default/kubelet\n"
    "ExecStart=\n"
    "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS"
    " $KUBELET_EXTRA_ARGS\n", 0o600)
flags = "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"
if weak:
    # The flag overrides the config file's anonymous: enabled: false.
    flags += " --hostname-override=weak1 --anonymous-auth=true"
put("/var/lib/kubelet/kubeadm-flags.env", f'KUBELET_KUBEADM_ARGS="{flags}"\n', 0o600)
put("/etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\n", 0o644 if weak else 0o600)
if KIND == "worker":
    mkdir(PKI, 0o755)
    put(f"{PKI}/ca.crt", "-----BEGIN CERTIFICATE-----\nca\n", 0o600)

if weak:
    config = """apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: false
authorization:
  mode: AlwaysAllow
readOnlyPort: 10255
streamingConnectionIdleTimeout: 0s
makeIPTablesUtilChains: false
eventRecordQPS: 0
rotateCertificates: false
featureGates:
  RotateKubeletServerCertificate: false
tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
"""
else:
    config = f"""apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
readOnlyPort: 0
streamingConnectionIdleTimeout: 5m
eventRecordQPS: 50
rotateCertificates: true
serverTLSBootstrap: true
podPidsLimit: 4096
tlsCipherSuites: [{STRONG.replace(",", ", ")}]
"""
if KIND == "broken":
    config = "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication: {anonymous: [\n"
put("/var/lib/kubelet/config.yaml", config, 0o644 if weak else 0o600)
