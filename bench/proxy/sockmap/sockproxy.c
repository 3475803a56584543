// sockproxy.c - an experiment for docs/BENCHMARKS.md ("Kernel splicing"), not part of Hangar: a PostgreSQL-aware
// TCP proxy that splices client<->upstream sockets in the kernel with a BPF SOCKHASH + SK_SKB verdict program
// (egress redirect). bench/proxy/run.sh builds and runs it with SOCKMAP=1.
//
// Build:  gcc -O2 -Wall -pthread -o sockproxy sockproxy.c      (loading BPF needs root / CAP_BPF)
// Usage:  sockproxy LISTEN_PORT UPSTREAM_PORT [splice|copy] [drain_ms]
//   splice : first exchange in userspace (startup or SSLRequest and the server's first reply, while both sides
//            wait), then both sockets go into the SOCKHASH and the kernel moves the bytes
//   copy   : pure userspace poll()+recv/send pump (baseline)
//   drain_ms: delay between seeing EOF/error on one side and closing both (default 0); the redirect is
//            asynchronous, so closing at once can lose the last bytes
// Environment: FORCE_STREAM=1 attaches a stream parser + stream verdict instead of verdict-only;
//   WATCH=rdhup waits for POLLRDHUP only after splicing (POLLIN wakes on every redirected segment).
// Signals: SIGUSR1 prints counters + number of SOCKHASH entries + open fds to stderr.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <unistd.h>

/* ---- minimal BPF instruction encoders (same encoding as kernel's filter.h) ---- */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_REG(d, s)       INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, imm)     INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, imm)
#define ADD64_IMM(d, imm)     INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, imm)
#define LDX_W(d, s, off)      INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, off, 0)
#define STX_W(d, s, off)      INSN(BPF_STX | BPF_MEM | BPF_W, d, s, off, 0)
#define LD_MAP_FD(d, fd)      INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)
#define CALL(fn)              INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
#define EXIT()                INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

struct key { uint32_t remote_ip4, local_ip4, remote_port, local_port; };

static int map_fd = -1, prog_fd = -1, parser_fd = -1;
static int upstream_port, splice_mode = 1, drain_ms = 0;
static const char *attach_used = "none";

static volatile long n_conn, n_spliced, n_userspace_pump, n_active, bytes_by_hand_after_splice,
    n_eof_client, n_eof_upstream, n_err, n_empty_wakeups;

static long sys_bpf(int cmd, union bpf_attr *a) { return syscall(__NR_bpf, cmd, a, sizeof(*a)); }

static char logbuf[65536];

static int load_prog(const struct bpf_insn *insns, int n, const char *name) {
  union bpf_attr a; memset(&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_SK_SKB;
  a.insns = (uint64_t)(uintptr_t)insns;
  a.insn_cnt = n;
  a.license = (uint64_t)(uintptr_t)"GPL";
  a.log_buf = (uint64_t)(uintptr_t)logbuf; a.log_size = sizeof logbuf; a.log_level = 1;
  strncpy(a.prog_name, name, sizeof a.prog_name - 1);
  int fd = sys_bpf(BPF_PROG_LOAD, &a);
  if (fd < 0) fprintf(stderr, "BPF_PROG_LOAD %s: %s\n%s\n", name, strerror(errno), logbuf);
  else if (getenv("BPF_LOG")) fprintf(stderr, "verifier log for %s:\n%s\n", name, logbuf);
  return fd;
}

static int attach(int prog, int type) {
  union bpf_attr a; memset(&a, 0, sizeof a);
  a.target_fd = map_fd; a.attach_bpf_fd = prog; a.attach_type = type;
  return sys_bpf(BPF_PROG_ATTACH, &a);
}

static void setup_bpf(void) {
  union bpf_attr a; memset(&a, 0, sizeof a);
  a.map_type = BPF_MAP_TYPE_SOCKHASH; a.key_size = sizeof(struct key); a.value_size = 4; a.max_entries = 65536;
  strncpy(a.map_name, "pgsplice", sizeof a.map_name - 1);
  map_fd = sys_bpf(BPF_MAP_CREATE, &a);
  if (map_fd < 0) { perror("BPF_MAP_CREATE SOCKHASH"); exit(1); }

  /* Verdict program: build the 16-byte key on the stack from the receiving socket's tuple,
     call bpf_sk_redirect_hash(skb, map, &key, 0 = egress), always return SK_PASS (1).
     If the lookup failed, no redirect is recorded and SK_PASS delivers to the socket itself. */
  struct bpf_insn verdict[] = {
    MOV64_REG(BPF_REG_6, BPF_REG_1),                                           // 0: r6 = ctx (struct __sk_buff *)
    LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct __sk_buff, remote_ip4)),       // 1: r2 = skb->remote_ip4
    STX_W(BPF_REG_10, BPF_REG_2, -16),                                         // 2: key.remote_ip4 = r2
    LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct __sk_buff, local_ip4)),        // 3: r2 = skb->local_ip4
    STX_W(BPF_REG_10, BPF_REG_2, -12),                                         // 4: key.local_ip4 = r2
    LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct __sk_buff, remote_port)),      // 5: r2 = skb->remote_port
    STX_W(BPF_REG_10, BPF_REG_2, -8),                                          // 6: key.remote_port = r2
    LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct __sk_buff, local_port)),       // 7: r2 = skb->local_port
    STX_W(BPF_REG_10, BPF_REG_2, -4),                                          // 8: key.local_port = r2
    LD_MAP_FD(BPF_REG_2, map_fd),                                              // 9-10: r2 = &sockhash
    MOV64_REG(BPF_REG_3, BPF_REG_10),                                          // 11: r3 = fp
    ADD64_IMM(BPF_REG_3, -16),                                                 // 12: r3 = &key
    MOV64_IMM(BPF_REG_4, 0),                                                   // 13: r4 = flags 0 = egress
    MOV64_REG(BPF_REG_1, BPF_REG_6),                                           // 14: r1 = skb
    CALL(BPF_FUNC_sk_redirect_hash),                                           // 15: call
    MOV64_IMM(BPF_REG_0, 1),                                                   // 16: r0 = SK_PASS
    EXIT(),                                                                    // 17: return
  };
  prog_fd = load_prog(verdict, sizeof verdict / sizeof verdict[0], "pg_verdict");
  if (prog_fd < 0) exit(1);
  if (!getenv("FORCE_STREAM") && attach(prog_fd, BPF_SK_SKB_VERDICT) == 0) {
    attach_used = "BPF_SK_SKB_VERDICT (verdict-only)";
  } else {
    if (!getenv("FORCE_STREAM")) fprintf(stderr, "attach BPF_SK_SKB_VERDICT failed: %s; falling back\n", strerror(errno));
    struct bpf_insn parser[] = {
      LDX_W(BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, len)),  // r0 = skb->len
      EXIT(),
    };
    parser_fd = load_prog(parser, 2, "pg_parser");
    if (parser_fd < 0) exit(1);
    if (attach(parser_fd, BPF_SK_SKB_STREAM_PARSER)) { perror("attach STREAM_PARSER"); exit(1); }
    if (attach(prog_fd, BPF_SK_SKB_STREAM_VERDICT)) { perror("attach STREAM_VERDICT"); exit(1); }
    attach_used = "BPF_SK_SKB_STREAM_PARSER + BPF_SK_SKB_STREAM_VERDICT";
  }
  fprintf(stderr, "sockhash fd=%d prog fd=%d attach=%s\n", map_fd, prog_fd, attach_used);
}

/* Key under which the kernel will look up when data ARRIVES on socket fd:
   the program sees skb->sk == that socket. Byte layout as the kernel exposes it:
   remote_ip4/local_ip4: raw s_addr (network order); remote_port: raw be16 sin_port << 16
   (little-endian kernels); local_port: host-order port number. */
static int key_of(int fd, struct key *k) {
  struct sockaddr_in l, r; socklen_t ll = sizeof l, rl = sizeof r;
  if (getsockname(fd, (struct sockaddr *)&l, &ll) || getpeername(fd, (struct sockaddr *)&r, &rl)) return -1;
  k->remote_ip4 = r.sin_addr.s_addr;
  k->local_ip4 = l.sin_addr.s_addr;
  k->remote_port = (uint32_t)r.sin_port << 16;
  k->local_port = ntohs(l.sin_port);
  return 0;
}

static int map_update(struct key *k, int sockfd) {
  union bpf_attr a; memset(&a, 0, sizeof a);
  uint32_t v = sockfd;
  a.map_fd = map_fd; a.key = (uint64_t)(uintptr_t)k; a.value = (uint64_t)(uintptr_t)&v; a.flags = BPF_ANY;
  return sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static long map_count(void) {
  struct key cur, next; long n = 0; union bpf_attr a;
  memset(&a, 0, sizeof a); a.map_fd = map_fd; a.key = 0; a.next_key = (uint64_t)(uintptr_t)&next;
  while (sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) == 0) { n++; cur = next; a.key = (uint64_t)(uintptr_t)&cur; }
  return n;
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd"); int n = 0; struct dirent *e;
  while ((e = readdir(d))) if (e->d_name[0] != '.') n++;
  closedir(d); return n - 1;
}

static int read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, (char *)buf + got, n - got, 0);
    if (r <= 0) { if (r < 0 && errno == EINTR) continue; return -1; }
    got += r;
  }
  return 0;
}
static int write_full(int fd, const void *buf, size_t n) {
  size_t put = 0;
  while (put < n) {
    ssize_t r = send(fd, (const char *)buf + put, n - put, MSG_NOSIGNAL);
    if (r < 0) { if (errno == EINTR) continue; if (errno == EAGAIN) { struct pollfd p = { fd, POLLOUT, 0 }; poll(&p, 1, -1); continue; } return -1; }
    put += r;
  }
  return 0;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

/* plain userspace pump until EOF/error on either side */
static void pump(int c, int u) {
  static __thread char buf[65536];
  struct pollfd p[2] = { { c, POLLIN, 0 }, { u, POLLIN, 0 } };
  for (;;) {
    if (poll(p, 2, -1) < 0) { if (errno == EINTR) continue; return; }
    for (int i = 0; i < 2; i++) {
      if (!p[i].revents) continue;
      ssize_t r = recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r == 0) return;
      if (r < 0) { if (errno == EAGAIN || errno == EINTR) continue; return; }
      if (write_full(p[1 - i].fd, buf, r)) return;
    }
  }
}

static void errlog(int side, int revents, int e) {
  long n = __sync_fetch_and_add(&n_err, 1);
  if (n < 10 || getenv("ERRLOG"))
    fprintf(stderr, "watch end by error on %s: revents=0x%x errno=%d (%s)\n", side ? "upstream" : "client", revents, e, strerror(e));
}
/* after splicing: wait for EOF/error; forward by hand anything that was passed up to us */
static int watch_rdhup_only;   /* env WATCH=rdhup: do not ask for POLLIN (see report) */
static void watch(int c, int u) {
  static __thread char buf[65536];
  short ev = watch_rdhup_only ? POLLRDHUP : (POLLIN | POLLRDHUP);
  struct pollfd p[2] = { { c, ev, 0 }, { u, ev, 0 } };
  for (;;) {
    if (poll(p, 2, -1) < 0) { if (errno == EINTR) continue; return; }
    for (int i = 0; i < 2; i++) {
      if (!p[i].revents) continue;
      ssize_t r = recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r > 0) {
        __sync_fetch_and_add(&bytes_by_hand_after_splice, r);
        if (write_full(p[1 - i].fd, buf, r)) return;
        continue;
      }
      if (r == 0) { __sync_fetch_and_add(i == 0 ? &n_eof_client : &n_eof_upstream, 1); return; }
      if (errno == EAGAIN || errno == EINTR) {
        __sync_fetch_and_add(&n_empty_wakeups, 1);
        if (p[i].revents & (POLLHUP | POLLERR)) { errlog(i, p[i].revents, errno); return; }
        continue;
      }
      errlog(i, p[i].revents, errno); return;
    }
  }
}

static void *conn_thread(void *arg) {
  int c = (int)(intptr_t)arg, u = -1;
  unsigned char *first = NULL, reply[8192];
  size_t replylen = 0;
  __sync_fetch_and_add(&n_active, 1);
  int one = 1;
  setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  u = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in ua = { .sin_family = AF_INET, .sin_port = htons(upstream_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (connect(u, (struct sockaddr *)&ua, sizeof ua)) goto out;
  if (!splice_mode) { __sync_fetch_and_add(&n_userspace_pump, 1); pump(c, u); goto out; }

  /* 1. client's first message: int32 length (incl. itself) + body */
  unsigned char hdr[4];
  if (read_full(c, hdr, 4)) goto out;
  uint32_t len = be32(hdr);
  if (len < 8 || len > 10000) goto out;
  first = malloc(len); memcpy(first, hdr, 4);
  if (read_full(c, first + 4, len - 4)) goto out;
  uint32_t code = be32(first + 4);
  if (write_full(u, first, len)) goto out;
  if (code == 80877102) { __sync_fetch_and_add(&n_userspace_pump, 1); pump(c, u); goto out; } /* CancelRequest */

  /* 2. server's first reply */
  int pump_only = 0;
  if (code == 80877103 || code == 80877104) {          /* SSLRequest / GSSENCRequest -> 1 byte */
    if (read_full(u, reply, 1)) goto out;
    replylen = 1;
  } else {                                              /* one typed message */
    if (read_full(u, reply, 5)) goto out;
    uint32_t mlen = be32(reply + 1);
    if (mlen < 4 || mlen + 1 > sizeof reply) goto out;
    if (read_full(u, reply + 5, mlen - 4)) goto out;
    replylen = 1 + mlen;
    if (reply[0] == 'R' && mlen >= 8 && be32(reply + 5) == 0) pump_only = 1;   /* AuthenticationOk */
  }
  if (pump_only) {
    if (write_full(c, reply, replylen)) goto out;
    __sync_fetch_and_add(&n_userspace_pump, 1); pump(c, u); goto out;
  }
  /* 3. both sides quiet: splice, then release the held reply */
  struct key kc, ku;
  if (key_of(c, &kc) || key_of(u, &ku)) goto out;
  if (map_update(&kc, u) || map_update(&ku, c)) { perror("BPF_MAP_UPDATE_ELEM"); goto out; }
  __sync_fetch_and_add(&n_spliced, 1);
  if (write_full(c, reply, replylen)) goto out;
  watch(c, u);
  if (drain_ms) usleep(drain_ms * 1000);
out:
  free(first);
  if (u >= 0) close(u);
  close(c);
  __sync_fetch_and_add(&n_active, -1);
  return NULL;
}

static volatile sig_atomic_t want_stats;
static void on_usr1(int s) { (void)s; want_stats = 1; }
static void *stats_thread(void *x) {
  (void)x;
  for (;;) {
    usleep(100000);
    if (!want_stats) continue;
    want_stats = 0;
    fprintf(stderr, "STATS conn=%ld spliced=%ld userspace_pump=%ld active=%ld by_hand_after_splice=%ld eof_client=%ld eof_upstream=%ld err=%ld empty_wakeups=%ld map_entries=%ld fds=%d\n",
            n_conn, n_spliced, n_userspace_pump, n_active, bytes_by_hand_after_splice, n_eof_client, n_eof_upstream,
            n_err, n_empty_wakeups, splice_mode ? map_count() : -1, count_fds());
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s LISTEN_PORT UPSTREAM_PORT [splice|copy] [drain_ms]\n", argv[0]); return 2; }
  int lport = atoi(argv[1]); upstream_port = atoi(argv[2]);
  if (argc > 3 && !strcmp(argv[3], "copy")) splice_mode = 0;
  if (argc > 4) drain_ms = atoi(argv[4]);
  watch_rdhup_only = getenv("WATCH") && !strcmp(getenv("WATCH"), "rdhup");
  signal(SIGPIPE, SIG_IGN);
  signal(SIGUSR1, on_usr1);
  if (splice_mode) setup_bpf();
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(lport), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (bind(l, (struct sockaddr *)&la, sizeof la) || listen(l, 512)) { perror("bind/listen"); return 1; }
  pthread_t st; pthread_create(&st, NULL, stats_thread, NULL);
  fprintf(stderr, "listening on %d -> %d mode=%s drain_ms=%d\n", lport, upstream_port, splice_mode ? "splice" : "copy", drain_ms);
  pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&at, 1024 * 1024);
  for (;;) {
    int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) { if (errno == EINTR) continue; perror("accept"); continue; }
    __sync_fetch_and_add(&n_conn, 1);
    pthread_t t;
    if (pthread_create(&t, &at, conn_thread, (void *)(intptr_t)c)) close(c);
  }
}
