// agent_workload.c — syscall-heavy load for bench/agent_overhead.sh.
//
//   agent_workload mix ITER DIR    ITER rounds of: open+write+close and open+read+close of a file
//                                  in DIR, stat, a TCP connect/accept/close on loopback, and
//                                  every 20th round a fork+exec of /bin/true. Prints the CPU
//                                  seconds (user + system, with the children) it used.
//   agent_workload rate RATE SECS DIR
//                                  opens (O_WRONLY|O_CREAT) a file in DIR at RATE opens per
//                                  second for SECS seconds, paced in 1 ms slices; prints
//                                  "opens=N seconds=S rate=R".
//   agent_workload op OP N         N repetitions of one operation - getpid (an untraced syscall),
//                                  open (open+close of a file not under a watched prefix),
//                                  connect (loopback TCP connect+accept+close), exec
//                                  (fork+exec of /bin/true) - and prints "OP X us/op" in CPU time
//                                  (user + system, children included).
// Exit 1 on a setup error. Plain C so the workload itself costs as little as possible.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mix(long iter, const char* dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/mix.dat", dir);
  int srv = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sa;
  if (srv < 0 || bind(srv, (struct sockaddr*)&sa, sizeof sa) || listen(srv, 64) ||
      getsockname(srv, (struct sockaddr*)&sa, &len)) {
    perror("listen");
    return 1;
  }
  char buf[256];
  for (long i = 0; i < iter; i++) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return perror("open"), 1;
    if (write(fd, "data\n", 5) != 5) return 1;
    close(fd);
    fd = open(path, O_RDONLY);
    if (fd >= 0) {
      if (read(fd, buf, sizeof buf) < 0) return 1;
      close(fd);
    }
    struct stat st;
    stat(path, &st);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr*)&sa, sizeof sa) == 0) {
      int a = accept(srv, NULL, NULL);
      if (a >= 0) close(a);
    }
    close(c);
    if (i % 20 == 0) {
      pid_t p = fork();
      if (p == 0) {
        execl("/bin/true", "true", (char*)NULL);
        _exit(127);
      }
      if (p > 0) waitpid(p, NULL, 0);
    }
  }
  close(srv);
  unlink(path);
  struct rusage self, kids;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  double cpu = 0;
  const struct rusage* all[] = {&self, &kids};
  for (int k = 0; k < 2; k++) {
    cpu += all[k]->ru_utime.tv_sec + all[k]->ru_utime.tv_usec / 1e6;
    cpu += all[k]->ru_stime.tv_sec + all[k]->ru_stime.tv_usec / 1e6;
  }
  printf("%.4f\n", cpu);
  return 0;
}

static int rate(long per_s, double secs, const char* dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/rate.dat", dir);
  double start = now_s(), end = start + secs;
  long done = 0;
  for (;;) {
    double t = now_s();
    if (t >= end) break;
    long due = (long)((t - start) * per_s);
    while (done < due) {
      int fd = open(path, O_WRONLY | O_CREAT, 0644);
      if (fd < 0) return perror("open"), 1;
      close(fd);
      done++;
    }
    usleep(1000);
  }
  double took = now_s() - start;
  unlink(path);
  printf("opens=%ld seconds=%.2f rate=%.0f\n", done, took, done / took);
  return 0;
}

static double cpu_seconds(void) {
  struct rusage self, kids;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  return self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6 + self.ru_stime.tv_sec +
         self.ru_stime.tv_usec / 1e6 + kids.ru_utime.tv_sec + kids.ru_utime.tv_usec / 1e6 +
         kids.ru_stime.tv_sec + kids.ru_stime.tv_usec / 1e6;
}

static int op(const char* name, long n, const char* dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/op.dat", dir);
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (fd < 0) return perror("open"), 1;
  close(fd);
  int srv = -1;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (strcmp(name, "connect") == 0) {
    socklen_t len = sizeof sa;
    srv = socket(AF_INET, SOCK_STREAM, 0);
    if (srv < 0 || bind(srv, (struct sockaddr*)&sa, sizeof sa) || listen(srv, 64) ||
        getsockname(srv, (struct sockaddr*)&sa, &len)) {
      return perror("listen"), 1;
    }
  }
  double t0 = cpu_seconds();
  for (long i = 0; i < n; i++) {
    if (strcmp(name, "getpid") == 0) {
      syscall(SYS_getpid);
    } else if (strcmp(name, "open") == 0) {
      fd = open(path, O_RDONLY);
      if (fd >= 0) close(fd);
    } else if (strcmp(name, "connect") == 0) {
      int c = socket(AF_INET, SOCK_STREAM, 0);
      if (connect(c, (struct sockaddr*)&sa, sizeof sa) == 0) {
        int a = accept(srv, NULL, NULL);
        if (a >= 0) close(a);
      }
      close(c);
    } else if (strcmp(name, "exec") == 0) {
      pid_t p = fork();
      if (p == 0) {
        execl("/bin/true", "true", (char*)NULL);
        _exit(127);
      }
      if (p > 0) waitpid(p, NULL, 0);
    } else {
      fprintf(stderr, "unknown op %s\n", name);
      return 1;
    }
  }
  printf("%-8s %.3f us/op\n", name, (cpu_seconds() - t0) * 1e6 / n);
  if (srv >= 0) close(srv);
  unlink(path);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "mix") == 0) return mix(atol(argv[2]), argv[3]);
  if (argc == 5 && strcmp(argv[1], "rate") == 0) return rate(atol(argv[2]), atof(argv[3]), argv[4]);
  if (argc == 5 && strcmp(argv[1], "op") == 0) return op(argv[2], atol(argv[3]), argv[4]);
  fprintf(stderr, "usage: agent_workload mix ITER DIR | rate RATE SECS DIR | op OP N DIR\n");
  return 1;
}
