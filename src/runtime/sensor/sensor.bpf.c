// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The hivesec runtime sensor, kernel side. Built with clang -target bpf against vmlinux.h
 * (CO-RE) and embedded into the hivesec binary through a bpftool skeleton.
 *
 * Hooks (all available without kprobes, fentry or LSM):
 *   tp_btf/sched_process_exec  - exec: filename, argv, resolved exe path, cwd, exe inode facts
 *   tp_btf/sched_process_fork  - new process (threads are skipped)
 *   tp_btf/sched_process_exit  - process exit (last thread of the group)
 *   hs_sys_exit, attached by user space to tracepoint/syscalls/sys_exit_<name> of each wanted
 *     syscall only - every other event, decoded generically from the per-syscall descriptors
 *     user space writes into `syscalls`: the arguments come from the task's registers, paths,
 *     sockaddrs and fds are read and one record is emitted with the result. Untraced syscalls
 *     run no BPF code.
 *   hs_sys_enter, attached to sys_enter_<name> of set*uid/set*gid only - keeps the caller's
 *     credentials (task storage) for the exit record.
 *   hs_raw_enter / hs_raw_exit - the same on tracepoint/raw_syscalls/sys_enter + sys_exit, loaded
 *     instead only on kernels without per-syscall tracepoints (they run for every syscall).
 *
 * Filtering happens here: only wanted syscalls are attached, `enabled` gates each kind, file
 * paths go through the LPM prefix filter. Lost records are counted per category in the per-CPU
 * `drops` array. */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sensor_abi.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Puts every record type into the object's BTF (which only keeps types that maps, globals or
 * relocations name), so sensor_layout_test can compare the layout with the C++ side. */
const volatile struct hs_abi_anchor hs_abi_anchor __attribute__((used)) = {};

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFIFO 0010000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AT_FDCWD -100
#define O_ACCMODE 00000003
#define O_CREAT 00000100
#define O_TRUNC 00001000
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define HS_MAX_COMPONENTS 32
#define HS_MASK (HS_PATH_LEN - 1)

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 << 20); /* resized by user space before load */
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, HS_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, struct hs_syscall_desc);
} syscalls SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, HS_K_COUNT);
  __type(key, __u32);
  __type(value, __u8);
} enabled SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct hs_config);
} hs_settings SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __uint(max_entries, 256);
  __type(key, struct hs_lpm_key);
  __type(value, __u32);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} prefixes SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, HS_DROP_COUNT);
  __type(key, __u32);
  __type(value, __u64);
} drops SEC(".maps");

/* set*uid / set*gid: the caller's credentials before the call, kept from the entry to the exit
 * of the syscall in task storage (at exit they are already the new ones). */
struct entry_creds {
  __u64 uid_gid;
  __u32 euid;
  __u32 egid;
  __u32 nr;    /* the syscall they were taken for */
  __u32 valid; /* cleared at exit */
};
struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct entry_creds);
} entry_creds SEC(".maps");

/* Per-CPU scratch: path assembly (buf: a directory written backwards into [0, HS_PATH_LEN),
 * a relative path after it) and the two paths of a syscall, each read straight into the data of
 * the LPM key it is filtered with. */
struct scratch {
  char buf[2 * HS_PATH_LEN];
  struct hs_lpm_key key;  /* path */
  struct hs_lpm_key key2; /* path2 */
};
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct scratch);
} scratch_map SEC(".maps");

/* Kernels before 6.6/6.11 keep inode times in timespec64 fields. */
struct inode___old {
  struct timespec64 i_ctime;
  struct timespec64 i_mtime;
} __attribute__((preserve_access_index));

/* v &= m in a way clang cannot drop: after a clamp it otherwise passes a register whose bound
 * the verifier no longer knows. */
#define HS_BOUND(v, m) asm volatile("%[x] &= %[k]" : [x] "+r"(v) : [k] "i"(m))

static __always_inline void count_drop(__u32 slot) {
  __u64 *v = bpf_map_lookup_elem(&drops, &slot);
  if (v) *v += 1;
}

static __always_inline __u32 drop_slot(__u32 kind) {
  if (kind <= HS_K_EXIT) return HS_DROP_RINGBUF_PROC;
  if (kind <= HS_K_CHOWN) return HS_DROP_RINGBUF_FILE;
  if (kind <= HS_K_DUP) return HS_DROP_RINGBUF_NET;
  return HS_DROP_RINGBUF_OTHER;
}

/* Submits a record without waking the consumer unless a backlog has built up: a wakeup
 * (irq_work + scheduling the agent) per event costs the traced task more than the tracing
 * itself. User space polls with a short timeout (sensor.cpp, kPollSliceMs), which bounds the
 * added latency. */
#define HS_WAKEUP_BACKLOG (256u << 10)
static __always_inline void submit_record(void *e) {
  __u64 backlog = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
  bpf_ringbuf_submit(e, backlog >= HS_WAKEUP_BACKLOG ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline int kind_enabled(__u32 kind) {
  __u8 *v = bpf_map_lookup_elem(&enabled, &kind);
  return v && *v;
}

static __always_inline struct hs_config *get_config(void) {
  __u32 zero = 0;
  return bpf_map_lookup_elem(&hs_settings, &zero);
}

static __always_inline int is_self(__u32 tgid) {
  struct hs_config *c = get_config();
  return c && c->self_tgid == tgid;
}

/* The task fields are read through the BTF-typed current task: plain loads (a faulting one
 * reads 0), several times cheaper than one bpf_probe_read_kernel each. */
static __always_inline void fill_hdr(struct hs_hdr *h, __u32 kind, __u32 nr) {
  struct task_struct *task = bpf_get_current_task_btf();
  struct task_struct *leader = task->group_leader;
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  __u64 uid_gid = bpf_get_current_uid_gid();
  h->ts_boot_ns = bpf_ktime_get_boot_ns();
  h->cgroup_id = bpf_get_current_cgroup_id();
  h->start_boot_ns = leader->start_boottime;
  h->kind = kind;
  h->syscall_nr = nr;
  h->pid = pid_tgid >> 32;
  h->tid = (__u32)pid_tgid;
  h->ppid = task->real_parent->tgid;
  h->uid = (__u32)uid_gid;
  h->gid = uid_gid >> 32;
  const struct cred *cred = task->cred;
  h->euid = cred->euid.val;
  h->egid = cred->egid.val;
  h->loginuid = 0xffffffffu;
  if (bpf_core_field_exists(task->loginuid)) h->loginuid = task->loginuid.val;
  h->cpu = bpf_get_smp_processor_id();
  h->tty = task->signal->tty != 0;

  /* Pid as seen in the task's own pid namespace, and that namespace's inode: numbers[level]
   * (a variable index, so one read). */
  struct pid *p = leader->thread_pid;
  unsigned int level = p->level;
  struct upid up = {};
  bpf_probe_read_kernel(&up, sizeof(up),
                        (char *)p + bpf_core_field_offset(struct pid, numbers) +
                            (level & 31) * bpf_core_type_size(struct upid));
  h->vpid = up.nr;
  h->pidns_ino = BPF_CORE_READ(up.ns, ns.inum);
  h->mntns_ino = task->nsproxy->mnt_ns->ns.inum;
  bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/* State of one path walk (bpf_loop callback context). */
struct walk {
  struct dentry *dentry;
  struct vfsmount *vfsmnt;
  struct mount *mnt;
  struct dentry *root_d;
  struct vfsmount *root_m;
  __u32 pos;
  __u32 trunc;
};

static long walk_step(__u32 index, void *arg) {
  struct walk *w = arg;
  __u32 zero = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
  if (!s) return 1;
  struct dentry *dentry = w->dentry;
  struct vfsmount *vfsmnt = w->vfsmnt;
  struct mount *mnt = w->mnt;
  if (dentry == w->root_d && vfsmnt == w->root_m) return 1;
  struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
  struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
  /* A dentry that is its own parent without being a mount's root is detached (memfd, other
   * pseudo files): its name is the whole path, as in the kernel's d_path ("/memfd:x"). */
  int detached = dentry == parent && dentry != mnt_root;
  if (!detached && (dentry == mnt_root || dentry == parent)) {
    struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);
    if (dentry != mnt_root || mp == mnt) return 1; /* the global root */
    w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
    w->mnt = mp;
    w->vfsmnt = (struct vfsmount *)((char *)mp + bpf_core_field_offset(struct mount, mnt));
    return 0;
  }
  struct qstr q = BPF_CORE_READ(dentry, d_name);
  __u64 len = q.len & HS_MASK;
  __u64 pos = w->pos & HS_MASK;
  if (len + 2 > pos) {
    w->trunc = 1;
    return 1;
  }
  pos -= len;
  HS_BOUND(pos, HS_MASK);
  HS_BOUND(len, HS_MASK);
  bpf_probe_read_kernel(s->buf + pos, len, q.name);
  pos -= 1;
  HS_BOUND(pos, HS_MASK);
  s->buf[pos] = '/';
  w->pos = pos;
  w->dentry = parent;
  return detached ? 1 : 0;
}

/* Writes the path of (dentry, vfsmnt), seen from the current task's root, into the scratch
 * buffer so that it ends just before buf[end] (end < HS_PATH_LEN). Returns the start offset;
 * sets *trunc when components did not fit. Walks at most HS_MAX_COMPONENTS components,
 * crossing mount points (bpf_loop keeps the verifier's work independent of the depth). */
static __always_inline __u32 build_path(struct scratch *s, struct dentry *dentry,
                                        struct vfsmount *vfsmnt, __u32 end, __u32 *trunc) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct walk w = {};
  w.dentry = dentry;
  w.vfsmnt = vfsmnt;
  w.mnt = (struct mount *)((char *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
  w.root_d = BPF_CORE_READ(task, fs, root.dentry);
  w.root_m = BPF_CORE_READ(task, fs, root.mnt);
  w.pos = end & HS_MASK;
  (void)s;
  bpf_loop(HS_MAX_COMPONENTS, walk_step, &w, 0);
  if (w.trunc) *trunc = 1;
  return w.pos & HS_MASK;
}

/* Copies buf[start, end) into out (HS_PATH_LEN bytes, NUL-terminated); "/" when empty. */
static __always_inline void emit_path(struct scratch *s, __u32 start, __u32 end, char *out) {
  __u64 n = (end - start) & HS_MASK;
  if (n == 0) {
    out[0] = '/';
    out[1] = 0;
    return;
  }
  __u64 st = start;
  HS_BOUND(st, HS_MASK);
  HS_BOUND(n, HS_MASK);
  bpf_probe_read_kernel(out, n, s->buf + st);
  HS_BOUND(n, HS_MASK);
  out[n] = 0;
}

/* The current task's file for `fd`, or 0. */
static __always_inline struct file *fd_file(int fd) {
  struct task_struct *task = bpf_get_current_task_btf();
  struct fdtable *fdt = task->files->fdt;
  if (fd < 0 || (unsigned int)fd >= fdt->max_fds) return 0;
  struct file **fds = fdt->fd;
  struct file *f = 0;
  bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
  return f;
}

static __always_inline int is_memfd_dentry(struct dentry *d) {
  char name[8] = {};
  bpf_probe_read_kernel(name, 6, BPF_CORE_READ(d, d_name.name));
  return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' &&
         name[5] == ':';
}

/* Describes an open file: its type and, for sockets, family and addresses. */
static __always_inline void describe_file(struct file *f, int num, struct hs_fd *out) {
  out->num = num;
  if (!f) return;
  struct inode *inode = BPF_CORE_READ(f, f_inode);
  umode_t mode = BPF_CORE_READ(inode, i_mode);
  switch (mode & S_IFMT) {
    case S_IFSOCK: {
      out->type = HS_FD_SOCK;
      struct socket *sock = BPF_CORE_READ(f, private_data);
      struct sock *sk = BPF_CORE_READ(sock, sk);
      if (!sk) return;
      __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
      out->family = family;
      out->l4proto = (__u8)BPF_CORE_READ(sk, sk_protocol);
      out->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
      out->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
      if (family == AF_INET) {
        __u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
        __u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
        __builtin_memcpy(out->laddr, &l, 4);
        __builtin_memcpy(out->raddr, &r, 4);
      } else if (family == AF_INET6) {
        BPF_CORE_READ_INTO(&out->laddr, sk, __sk_common.skc_v6_rcv_saddr);
        BPF_CORE_READ_INTO(&out->raddr, sk, __sk_common.skc_v6_daddr);
      }
      return;
    }
    case S_IFDIR:
      out->type = HS_FD_DIR;
      return;
    case S_IFIFO:
      out->type = HS_FD_PIPE;
      return;
    case S_IFREG:
      out->type = is_memfd_dentry(BPF_CORE_READ(f, f_path.dentry)) ? HS_FD_MEMFD : HS_FD_FILE;
      return;
    default:
      out->type = HS_FD_OTHER;
  }
}

/* ---- process lifecycle ---- */

SEC("tp_btf/sched_process_exec")
int BPF_PROG(hs_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
  if (!kind_enabled(HS_K_EXEC)) return 0;
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  if (is_self(tgid)) return 0;
  __u32 zero = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
  if (!s) return 0;
  struct hs_exec *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop(HS_DROP_RINGBUF_PROC);
    return 0;
  }
  fill_hdr(&e->h, HS_K_EXEC, 0xffffffffu);
  e->flags = 0;
  e->truncated = 0;
  e->exe_ctime_ns = 0;
  e->exe_mtime_ns = 0;

  const char *fname = BPF_CORE_READ(bprm, filename);
  if (bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), fname) < 0) {
    e->filename[0] = 0;
    count_drop(HS_DROP_READ);
  }

  struct file *file = BPF_CORE_READ(bprm, file);
  struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
  struct vfsmount *m = BPF_CORE_READ(file, f_path.mnt);
  __u32 trunc = 0;
  __u32 start = build_path(s, d, m, HS_PATH_LEN - 1, &trunc);
  emit_path(s, start, HS_PATH_LEN - 1, e->exepath);
  if (trunc) e->truncated |= 2;

  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  trunc = 0;
  start = build_path(s, BPF_CORE_READ(task, fs, pwd.dentry), BPF_CORE_READ(task, fs, pwd.mnt),
                     HS_PATH_LEN - 1, &trunc);
  emit_path(s, start, HS_PATH_LEN - 1, e->cwd);
  if (trunc) e->truncated |= 4;

  struct inode *inode = BPF_CORE_READ(file, f_inode);
  e->exe_ino = (__u32)BPF_CORE_READ(inode, i_ino);
  if (is_memfd_dentry(d)) e->flags |= HS_EXEC_MEMFD;
  if (BPF_CORE_READ(inode, i_nlink) == 0) e->flags |= HS_EXEC_UNLINKED;
  if (BPF_CORE_READ(inode, i_sb, s_magic) == OVERLAYFS_SUPER_MAGIC) e->flags |= HS_EXEC_UPPER;
  if (bpf_core_field_exists(inode->i_ctime_sec)) {
    e->exe_ctime_ns = (__u64)BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ull +
                      BPF_CORE_READ(inode, i_ctime_nsec);
    e->exe_mtime_ns = (__u64)BPF_CORE_READ(inode, i_mtime_sec) * 1000000000ull +
                      BPF_CORE_READ(inode, i_mtime_nsec);
  } else {
    struct inode___old *old = (void *)inode;
    e->exe_ctime_ns = (__u64)BPF_CORE_READ(old, i_ctime.tv_sec) * 1000000000ull +
                      BPF_CORE_READ(old, i_ctime.tv_nsec);
    e->exe_mtime_ns = (__u64)BPF_CORE_READ(old, i_mtime.tv_sec) * 1000000000ull +
                      BPF_CORE_READ(old, i_mtime.tv_nsec);
  }

  unsigned long as = BPF_CORE_READ(task, mm, arg_start);
  unsigned long ae = BPF_CORE_READ(task, mm, arg_end);
  __u64 len = ae > as ? ae - as : 0;
  if (len > HS_ARGS_LEN - 1) {
    len = HS_ARGS_LEN - 1;
    e->truncated |= 8;
  }
  HS_BOUND(len, HS_ARGS_LEN - 1);
  if (bpf_probe_read_user(e->args, len, (void *)as) < 0) {
    len = 0;
    count_drop(HS_DROP_READ);
  }
  HS_BOUND(len, HS_ARGS_LEN - 1);
  e->args_len = (__u32)len;
  e->args[len] = 0;
  submit_record(e);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(hs_fork, struct task_struct *parent, struct task_struct *child) {
  if (!kind_enabled(HS_K_FORK)) return 0;
  __u32 child_tgid = BPF_CORE_READ(child, tgid);
  if (BPF_CORE_READ(child, pid) != child_tgid) return 0; /* a new thread */
  if (is_self(bpf_get_current_pid_tgid() >> 32)) return 0;
  struct hs_task *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop(HS_DROP_RINGBUF_PROC);
    return 0;
  }
  fill_hdr(&e->h, HS_K_FORK, 0xffffffffu);
  e->child_pid = child_tgid;
  e->exit_code = 0;
  e->clone_flags = 0;
  submit_record(e);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(hs_exit, struct task_struct *p) {
  if (!kind_enabled(HS_K_EXIT)) return 0;
  /* Only the last thread of a thread group ends the process. */
  if (BPF_CORE_READ(p, signal, live.counter) != 0) return 0;
  if (is_self(BPF_CORE_READ(p, tgid))) return 0;
  struct hs_task *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop(HS_DROP_RINGBUF_PROC);
    return 0;
  }
  fill_hdr(&e->h, HS_K_EXIT, 0xffffffffu);
  e->child_pid = 0;
  e->exit_code = BPF_CORE_READ(p, exit_code);
  e->clone_flags = 0;
  submit_record(e);
  return 0;
}

/* ---- syscalls ---- */

/* Context of tracepoint/syscalls/sys_enter_<name> and sys_exit_<name> (see their `format`
 * files): the common fields, then the syscall number as an int (and then the arguments or the
 * return value). */
struct hs_tp_sys_enter {
  __u64 common;
  int nr;
};
struct hs_tp_sys_exit {
  __u64 common;
  int nr;
  __u32 pad;
  long ret;
};

/* The syscall's arguments at its exit, from the task's user registers: the kernel does not
 * change them while the call runs (the return value goes to the return register, and on arm64
 * the first argument is kept in orig_x0). */
static __always_inline void syscall_args(__u64 *a) {
  struct pt_regs *r = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
#if defined(__TARGET_ARCH_x86)
  a[0] = r->di;
  a[1] = r->si;
  a[2] = r->dx;
  a[3] = r->r10;
  a[4] = r->r8;
  a[5] = r->r9;
#elif defined(__TARGET_ARCH_arm64)
  a[0] = r->orig_x0;
  a[1] = r->regs[1];
  a[2] = r->regs[2];
  a[3] = r->regs[3];
  a[4] = r->regs[4];
  a[5] = r->regs[5];
#else
#error "sensor.bpf.c: syscall argument registers unknown for this architecture"
#endif
}

/* Entry: only syscalls whose record needs state from before the call (HS_DF_ENTRY_CREDS) do
 * anything here; the rest is read at exit. */
static __always_inline int sys_enter(long nr) {
  if (nr < 0 || nr >= HS_MAX_SYSCALLS) return 0;
  __u32 key = (__u32)nr;
  struct hs_syscall_desc *d = bpf_map_lookup_elem(&syscalls, &key);
  if (!d || !(d->flags & HS_DF_ENTRY_CREDS) || !kind_enabled(d->kind)) return 0;
  if (is_self(bpf_get_current_pid_tgid() >> 32)) return 0;
  struct entry_creds *c = bpf_task_storage_get(&entry_creds, bpf_get_current_task_btf(), 0,
                                               BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!c) {
    count_drop(HS_DROP_INFLIGHT);
    return 0;
  }
  const struct cred *cred = bpf_get_current_task_btf()->cred;
  c->uid_gid = bpf_get_current_uid_gid();
  c->euid = cred->euid.val;
  c->egid = cred->egid.val;
  c->nr = key;
  c->valid = 1;
  return 0;
}

/* Resolves user path argument `ptr` (relative to dirfd when not absolute) into
 * buf[start, HS_PATH_LEN + n) style storage, then copies the result into out. Returns 1 when
 * the path was truncated. */
static __always_inline __u32 read_path(struct scratch *s, __u64 ptr, long dirfd, int resolve,
                                       char *out) {
  /* One read of the user string: absolute paths (the common case) are done. */
  long n = bpf_probe_read_user_str(out, HS_PATH_LEN, (void *)ptr);
  if (n <= 0) {
    out[0] = 0;
    return 0;
  }
  if (!resolve || out[0] == '/' || out[0] == 0) return n == HS_PATH_LEN;
  /* Relative: the directory (cwd or dirfd), a '/', then the string. */
  struct dentry *d = 0;
  struct vfsmount *m = 0;
  if ((int)dirfd == AT_FDCWD) {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    d = BPF_CORE_READ(task, fs, pwd.dentry);
    m = BPF_CORE_READ(task, fs, pwd.mnt);
  } else {
    struct file *f = fd_file((int)dirfd);
    if (!f) return 0; /* left as given */
    d = BPF_CORE_READ(f, f_path.dentry);
    m = BPF_CORE_READ(f, f_path.mnt);
  }
  __u32 trunc = 0;
  s->buf[HS_PATH_LEN - 1] = '/';
  __u32 start = build_path(s, d, m, HS_PATH_LEN - 1, &trunc);
  bpf_probe_read_kernel(s->buf + HS_PATH_LEN, HS_PATH_LEN, out);
  /* total = dir part (incl. the '/') + relative part (without its NUL) */
  __u32 total = (HS_PATH_LEN - (start & HS_MASK)) + (__u32)(n - 1);
  if (total > HS_PATH_LEN - 1) {
    total = HS_PATH_LEN - 1;
    trunc = 1;
  }
  __u64 t = total;
  __u64 st = start;
  HS_BOUND(st, HS_MASK);
  HS_BOUND(t, HS_MASK);
  bpf_probe_read_kernel(out, t, s->buf + st);
  HS_BOUND(t, HS_MASK);
  out[t] = 0;
  return trunc;
}

/* The prefix bits for the path in key->data (NUL-terminated; bytes after the NUL do not matter:
 * no prefix contains a NUL, so none matches past it). */
static __always_inline __u32 prefix_bits(struct hs_lpm_key *key) {
  key->prefixlen = HS_LPM_DATA_LEN * 8;
  __u32 *bits = bpf_map_lookup_elem(&prefixes, key);
  return bits ? *bits : 0;
}

/* Exit of a traced syscall: arguments from the registers, paths read and filtered, then one
 * record with the result. */
static __always_inline int sys_exit(long nr, long ret) {
  if (nr < 0 || nr >= HS_MAX_SYSCALLS) return 0;
  __u32 key = (__u32)nr;
  struct hs_syscall_desc *dp = bpf_map_lookup_elem(&syscalls, &key);
  if (!dp || dp->kind == HS_K_NONE || !kind_enabled(dp->kind)) return 0;
  if (is_self(bpf_get_current_pid_tgid() >> 32)) return 0;
  struct hs_syscall_desc d = *dp;
  struct entry_creds creds = {};
  if (d.flags & HS_DF_ENTRY_CREDS) {
    struct entry_creds *c = bpf_task_storage_get(&entry_creds, bpf_get_current_task_btf(), 0, 0);
    if (!c || !c->valid) return 0; /* entered before the sensor attached */
    creds = *c;
    c->valid = 0;
    if (creds.nr != key) return 0; /* stale (the entry's exit was never seen) */
  }
  struct {
    __u64 args[8]; /* 6 used; indexes are masked with 7 for the verifier */
  } in;
  in.args[6] = 0;
  in.args[7] = 0;
  syscall_args(in.args);
  __u32 zero = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
  if (!s) return 0;

  /* openat2: flags come from the user's struct open_how. */
  if ((d.flags & HS_DF_OPENAT2) && d.flags_arg < 6) {
    __u64 how_flags = 0;
    bpf_probe_read_user(&how_flags, sizeof(how_flags), (void *)in.args[d.flags_arg & 7]);
    in.args[d.flags_arg & 7] = how_flags;
  }

  /* Paths first (into scratch), so filtered-out events never touch the ring buffer. */
  __u32 trunc = 0;
  int have_path = 0, have_path2 = 0;
  char *p1 = (char *)s->key.data;
  char *p2 = (char *)s->key2.data;
  if (d.path_arg < 6) {
    long dirfd = d.dirfd_arg < 6 ? (long)in.args[d.dirfd_arg & 7] : AT_FDCWD;
    trunc |= read_path(s, in.args[d.path_arg & 7], dirfd, d.flags & HS_DF_PATH_FILTER, p1);
    have_path = 1;
  } else if ((d.flags & (HS_DF_PATH_FILTER | HS_DF_FD_PATH)) && d.fd_arg < 6) {
    /* fchmod/fchown: the path of the fd. */
    struct file *f = fd_file((int)in.args[d.fd_arg & 7]);
    if (f) {
      __u32 t = 0;
      __u32 start = build_path(s, BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt),
                               HS_PATH_LEN - 1, &t);
      emit_path(s, start, HS_PATH_LEN - 1, p1);
      trunc |= t;
      have_path = 1;
    } else {
      p1[0] = 0;
    }
  }
  if (d.path2_arg < 6) {
    long dirfd = d.dirfd2_arg < 6 ? (long)in.args[d.dirfd2_arg & 7] : AT_FDCWD;
    __u32 t = read_path(s, in.args[d.path2_arg & 7], dirfd, d.flags & HS_DF_PATH_FILTER, p2);
    trunc |= t << 1;
    have_path2 = 1;
  }

  if (d.flags & HS_DF_PATH_FILTER) {
    int write = 1;
    if ((d.flags & HS_DF_OPEN_FLAGS_ARG) && d.flags_arg < 6 && !(d.flags & HS_DF_ALWAYS_WRITE)) {
      __u64 fl = in.args[d.flags_arg & 7];
      write = (fl & O_ACCMODE) != 0 || (fl & (O_CREAT | O_TRUNC)) != 0;
    }
    __u32 need = write ? HS_PF_WRITE : HS_PF_READ;
    struct hs_config *c = get_config();
    int pass = write && c && c->filter_all_write;
    if (!pass && have_path) pass = (prefix_bits(&s->key) & need) != 0;
    if (!pass && have_path2) pass = (prefix_bits(&s->key2) & need) != 0;
    if (!pass) return 0;
  }

  struct hs_sys *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop(drop_slot(d.kind));
    return 0;
  }
  fill_hdr(&e->h, d.kind, key);
  if (d.flags & HS_DF_ENTRY_CREDS) {
    e->h.uid = (__u32)creds.uid_gid;
    e->h.gid = creds.uid_gid >> 32;
    e->h.euid = creds.euid;
    e->h.egid = creds.egid;
  }
  e->ret = ret;
#pragma unroll
  for (int i = 0; i < 6; i++) e->args[i] = in.args[i];
  e->truncated = trunc;
  e->path[0] = 0;
  e->path2[0] = 0;
  if (have_path) bpf_probe_read_kernel(e->path, HS_PATH_LEN, p1);
  if (have_path2) bpf_probe_read_kernel(e->path2, HS_PATH_LEN, p2);
  __builtin_memset(&e->fd, 0, sizeof(e->fd));
  e->fd.num = -1;
  if ((d.flags & HS_DF_FD_RET) && ret >= 0) {
    describe_file(fd_file((int)ret), (int)ret, &e->fd);
  } else if (d.fd_arg < 6) {
    int fd = (int)in.args[d.fd_arg & 7];
    describe_file(fd_file(fd), fd, &e->fd);
  }
  e->blob_len = 0;
  if (d.blob_arg < 6) {
    __u64 len = d.blob_len;
    if (d.kind == HS_K_CONNECT || d.kind == HS_K_BIND) len = (__u32)in.args[2];
    if (len > HS_BLOB_LEN - 1) len = HS_BLOB_LEN - 1; /* sockaddr_un is 110 bytes */
    /* The mask in asm: clang otherwise passes the unclamped register to the helper. */
    asm volatile("%[l] &= %[m]" : [l] "+r"(len) : [m] "i"(HS_BLOB_LEN - 1));
    if (bpf_probe_read_user(e->blob, len, (void *)in.args[d.blob_arg & 7]) == 0)
      e->blob_len = (__u32)len;
  }
  submit_record(e);
  return 0;
}

/* The syscall programs: hs_sys_enter / hs_sys_exit are attached by user space to
 * syscalls/sys_enter_<name> and sys_exit_<name> of the wanted syscalls (exit for all of them,
 * entry only for HS_DF_ENTRY_CREDS ones; the section names only give the program type), so
 * other syscalls run no BPF code. hs_raw_enter / hs_raw_exit are loaded instead on kernels
 * without per-syscall tracepoints and run for every syscall. */
SEC("tracepoint/syscalls/sys_enter_setuid")
int hs_sys_enter(struct hs_tp_sys_enter *ctx) { return sys_enter(ctx->nr); }

SEC("tracepoint/syscalls/sys_exit_openat")
int hs_sys_exit(struct hs_tp_sys_exit *ctx) { return sys_exit(ctx->nr, ctx->ret); }

SEC("tracepoint/raw_syscalls/sys_enter")
int hs_raw_enter(struct trace_event_raw_sys_enter *ctx) { return sys_enter(ctx->id); }

SEC("tracepoint/raw_syscalls/sys_exit")
int hs_raw_exit(struct trace_event_raw_sys_exit *ctx) { return sys_exit(ctx->id, ctx->ret); }
