/* The records the eBPF sensor (sensor.bpf.c) writes into its ring buffer and the map layouts
 * user space fills, shared verbatim between the BPF program (C, vmlinux.h types) and the C++
 * loader. Every struct has a fixed size; sensor_layout.cpp checks sizes and offsets at compile
 * time so both compilers agree. Change a struct here and bump HS_ABI_VERSION.
 *
 * Plain C on purpose: clang -target bpf compiles it too. */
#ifndef HIVESEC_RUNTIME_SENSOR_SENSOR_ABI_H
#define HIVESEC_RUNTIME_SENSOR_SENSOR_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define HS_ABI_VERSION 1

#define HS_PATH_LEN 256   /* path fields (power of two: the BPF code masks offsets) */
#define HS_ARGS_LEN 1024  /* exec argv bytes, NUL-separated */
#define HS_BLOB_LEN 128   /* raw user bytes: sockaddr (<= 110 for unix), capset data, open_how */
#define HS_COMM_LEN 16
#define HS_LPM_DATA_LEN HS_PATH_LEN
#define HS_MAX_SYSCALLS 512 /* syscall descriptor array size (x86_64 and aarch64 fit) */

/* What a record is about. Kernel-side categories; user space maps them to EventType. */
enum hs_kind {
  HS_K_NONE = 0,
  HS_K_EXEC,
  HS_K_FORK,
  HS_K_EXIT,
  HS_K_OPEN,
  HS_K_RENAME,
  HS_K_UNLINK,
  HS_K_CHMOD,
  HS_K_CHOWN,
  HS_K_CONNECT,
  HS_K_ACCEPT,
  HS_K_LISTEN,
  HS_K_BIND,
  HS_K_DUP,
  HS_K_SETUID,
  HS_K_SETGID,
  HS_K_CAPSET,
  HS_K_PTRACE,
  HS_K_MOUNT,
  HS_K_UMOUNT,
  HS_K_MODULE,
  HS_K_UNSHARE,
  HS_K_SETNS,
  HS_K_MEMFD,
  HS_K_BPF,
  HS_K_COUNT
};

/* Drop counter slots (per-CPU array `drops`). */
enum hs_drop {
  HS_DROP_RINGBUF_PROC = 0, /* exec/fork/exit record lost: ring buffer full */
  HS_DROP_RINGBUF_FILE,     /* open/rename/unlink/chmod/chown */
  HS_DROP_RINGBUF_NET,      /* connect/accept/listen/bind/dup */
  HS_DROP_RINGBUF_OTHER,    /* privilege, namespace, module, memfd, bpf, ptrace, mount */
  HS_DROP_INFLIGHT,         /* syscall entry not stashed: in-flight map full */
  HS_DROP_READ,             /* a bpf_probe_read failed (field left empty, record still sent) */
  HS_DROP_COUNT
};

/* Descriptor-driven syscall decoding: user space fills `syscalls` (index = syscall number) with
 * one entry per syscall it wants; the generic syscall programs read what it says. */
#define HS_ARG_NONE 0xff
enum hs_desc_flags {
  HS_DF_PATH_FILTER = 1 << 0, /* apply the path-prefix filter to path / path2 */
  HS_DF_OPEN_FLAGS_ARG = 1 << 1,/* open-style: flags at arg `flags_arg` decide write vs read */
  HS_DF_OPENAT2 = 1 << 2,     /* flags live in struct open_how at arg `flags_arg` */
  HS_DF_FD_RET = 1 << 3,      /* describe the fd returned by the syscall (accept) */
  HS_DF_ALWAYS_WRITE = 1 << 4,/* treat as a modification for the filter (rename, unlink, ...) */
  HS_DF_FD_PATH = 1 << 5,     /* resolve the path of fd_arg into path (finit_module, setns) */
  HS_DF_ENTRY_CREDS = 1 << 6, /* record the caller's ids at entry (set*uid, set*gid) */
};
/* Path arguments are resolved against their dirfd (or the cwd) when relative, and filtered,
 * exactly when HS_DF_PATH_FILTER is set; other string arguments (mount source, memfd name) are
 * copied as given. */
struct hs_syscall_desc {
  __u8 kind;        /* enum hs_kind; HS_K_NONE = not traced */
  __u8 path_arg;    /* user path string */
  __u8 path2_arg;   /* second user string (rename target, mount target/fstype) */
  __u8 dirfd_arg;   /* dirfd for a relative path_arg (openat, unlinkat, ...) */
  __u8 dirfd2_arg;  /* dirfd for a relative path2_arg (renameat) */
  __u8 fd_arg;      /* fd whose file or socket is described (fchmod, connect, dup old fd) */
  __u8 blob_arg;    /* user pointer copied raw into blob (sockaddr, cap data, open_how) */
  __u8 blob_len;    /* bytes to copy; for sockaddrs at most HS_BLOB_LEN */
  __u8 flags_arg;   /* open flags (or open_how pointer with HS_DF_OPENAT2) */
  __u8 pad;
  __u16 flags;      /* enum hs_desc_flags */
};

/* Path-prefix filter: an LPM trie keyed by path bytes; the value says which kinds of access
 * to report for paths under the prefix (user space ORs in the bits of shorter prefixes). */
enum hs_prefix_bits {
  HS_PF_WRITE = 1 << 0, /* opens for write/create, rename, unlink, chmod, chown */
  HS_PF_READ = 1 << 1,  /* opens for read (sensitive files) */
};
struct hs_lpm_key {
  __u32 prefixlen; /* bits */
  __u8 data[HS_LPM_DATA_LEN];
};

/* Run-time settings (map `config`, one entry). */
struct hs_config {
  __u32 self_tgid;      /* never report the sensor's own process */
  __u32 filter_all_write; /* 1: report every write-open (no write prefixes configured) */
};

/* Socket / fd description filled from the kernel's struct file. */
struct hs_fd {
  __s32 num;
  __u8 type;      /* HS_FD_* */
  __u8 l4proto;   /* IPPROTO_TCP / IPPROTO_UDP for inet sockets */
  __u16 family;   /* AF_INET / AF_INET6 / AF_UNIX for sockets */
  __u16 lport;    /* host order */
  __u16 rport;    /* host order */
  __u8 laddr[16]; /* IPv4 in the first 4 bytes */
  __u8 raddr[16];
};
enum hs_fd_type {
  HS_FD_NONE = 0,
  HS_FD_FILE,
  HS_FD_DIR,
  HS_FD_SOCK,
  HS_FD_PIPE,
  HS_FD_MEMFD,
  HS_FD_OTHER,
};

/* Common header of every record. */
struct hs_hdr {
  __u64 ts_boot_ns;   /* bpf_ktime_get_boot_ns */
  __u64 cgroup_id;    /* cgroup v2 id (bpf_get_current_cgroup_id) */
  __u64 start_boot_ns;/* thread-group leader start (boot clock) */
  __u32 kind;         /* enum hs_kind */
  __u32 syscall_nr;   /* 0xffffffff for scheduler events */
  __u32 pid;          /* tgid, host namespace */
  __u32 tid;
  __u32 ppid;         /* real_parent tgid */
  __u32 vpid;         /* tgid in the task's own pid namespace */
  __u32 pidns_ino;
  __u32 mntns_ino;
  __u32 uid, gid, euid, egid;
  __u32 loginuid;
  __u32 cpu;
  __u8 tty;           /* has a controlling terminal */
  __u8 pad[7];
  char comm[HS_COMM_LEN];
};

/* HS_K_EXEC (tp_btf/sched_process_exec). */
#define HS_EXEC_MEMFD 1u       /* executable file is a memfd (name "memfd:...") */
#define HS_EXEC_UNLINKED 2u    /* executable has no links left (deleted or anonymous) */
#define HS_EXEC_UPPER 4u       /* executable is on an overlayfs mount (upper layer check in user space) */
struct hs_exec {
  struct hs_hdr h;
  __u64 exe_ctime_ns;  /* inode change time of the executable (realtime clock) */
  __u64 exe_mtime_ns;
  __u32 flags;         /* HS_EXEC_* */
  __u32 args_len;      /* bytes used in args */
  __u32 exe_ino;
  __u32 truncated;     /* bit 0 filename, 1 exepath, 2 cwd, 3 args */
  char filename[HS_PATH_LEN]; /* as passed to execve */
  char exepath[HS_PATH_LEN];  /* resolved path of the executable (in the task's root) */
  char cwd[HS_PATH_LEN];
  char args[HS_ARGS_LEN];     /* argv, NUL-separated (argv[0] first) */
};

/* HS_K_FORK (tp_btf/sched_process_fork) and HS_K_EXIT (tp_btf/sched_process_exit). */
struct hs_task {
  struct hs_hdr h;
  __u32 child_pid;     /* fork: new process tgid */
  __s32 exit_code;     /* exit: wait status (code << 8 | signal) */
  __u64 clone_flags;   /* unused (0): not visible in sched_process_fork */
};

/* Every syscall record (emitted at the syscall's exit). */
struct hs_sys {
  struct hs_hdr h;
  __s64 ret;
  __u64 args[6];       /* raw syscall arguments (openat2: args[flags_arg] = how.flags) */
  __u32 blob_len;      /* bytes in blob (0: not read) */
  __u32 truncated;     /* bit 0 path, bit 1 path2 */
  struct hs_fd fd;     /* fd_arg (or the returned fd) described */
  char path[HS_PATH_LEN];  /* absolute when the kernel could resolve dirfd, else as given */
  char path2[HS_PATH_LEN];
  __u8 blob[HS_BLOB_LEN];
};

/* A read-only global in the BPF object naming every record type, so they all appear in the
 * object's BTF (checked against the C++ layout by sensor_layout_test). */
struct hs_abi_anchor {
  struct hs_exec exec; /* by value: pointers would only emit forward declarations */
  struct hs_task task;
  struct hs_sys sys;
};

#endif /* HIVESEC_RUNTIME_SENSOR_SENSOR_ABI_H */
