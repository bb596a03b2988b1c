// The floor under the room benchmarks (issue 6): what the fan-out itself costs
// a server on this machine, with nothing of ours in it. A single-threaded epoll
// "server" forwards each 128-byte message it reads to the 9 other members of
// its group of 10 (one 200-byte send per recipient, as iopd does) and answers
// the sender with a 48-byte acknowledgement (as iopd answers every command), and a
// single-threaded "client" sends from N sockets, each every P ms with a random
// phase, on a 1 ms timer (as iop-bench does), reads everything and reports the
// server's CPU per delivery (user+sys from /proc) and the latency.
// No WebSocket, no JSON, no rooms: the cost of the system calls and of the
// loopback TCP path below them. Scripts/bench-floor builds and runs it.
// Loopback only; every loop is bounded by the client's duration.
//
// usage: fanout-floor server PORT GROUP   (PORT 0: any; prints "port N")
//        fanout-floor client PORT N PERIOD_MS WARMUP_S DURATION_S SERVER_PID
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define IN 128
#define OUT 200  // a delivery: 'D', the sender's 8-byte send time at 8, then filler
#define ACK 48   // an acknowledgement: 'A', then filler
#define MAXC 20000

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static int fds[MAXC];
static int nconn;

static int server(int port, int group) {
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(l, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(l, (void *)&a, sizeof a) || listen(l, 4096)) { perror("listen"); return 1; }
    socklen_t alen = sizeof a;
    getsockname(l, (void *)&a, &alen);
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    alarm(900);  // never outlives a forgotten run by more than 15 minutes
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    static char buf[65536], out[OUT], ack[ACK], pending[MAXC][IN];
    static int pendingn[MAXC];
    memset(out, 'x', OUT);
    memset(ack, 'x', ACK);
    out[0] = 'D';
    ack[0] = 'A';
    struct epoll_event evs[1024];
    for (;;) {
        int n = epoll_wait(ep, evs, 1024, -1);
        for (int i = 0; i < n; i++) {
            uint32_t id = evs[i].data.u32;
            if (id == UINT32_MAX) {
                int c;
                while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (nconn == MAXC) { close(c); continue; }
                    fds[nconn] = c;
                    struct epoll_event e = {.events = EPOLLIN, .data.u32 = nconn++};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
                }
                continue;
            }
            // A read may end inside a message: its start waits in pending[id].
            memcpy(buf, pending[id], pendingn[id]);
            ssize_t r = recv(fds[id], buf + pendingn[id], sizeof buf - IN, 0);
            if (r <= 0) { if (r == 0) { close(fds[id]); } continue; }
            r += pendingn[id];
            int msgs = r / IN;
            pendingn[id] = r - msgs * IN;
            memcpy(pending[id], buf + msgs * IN, pendingn[id]);
            uint32_t first = id / group * group;
            for (int m = 0; m < msgs; m++) {
                memcpy(out + 8, buf + m * IN, 8);
                for (uint32_t k = first; k < first + group && k < (uint32_t)nconn; k++)
                    if (k != id) send(fds[k], out, OUT, MSG_DONTWAIT | MSG_NOSIGNAL);
                send(fds[id], ack, ACK, MSG_DONTWAIT | MSG_NOSIGNAL);
            }
        }
    }
}

static double cpu_of(int pid) {
    char path[64], s[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t len = fread(s, 1, sizeof s - 1, f); s[len] = 0; fclose(f);
    char *p = strrchr(s, ')') + 2;
    unsigned long ut = 0, st = 0;
    // fields after ')': state(3) ... utime(14) stime(15)
    sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int cmpd(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }

static int client(int port, int n, double period, double warmup, double duration, int pid) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c, (void *)&a, sizeof a)) { perror("connect"); return 1; }
        fds[i] = c;
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
        usleep(200); // accept order = connect order, so groups are consecutive ids
    }
    sleep(1);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec it = {.it_interval = {0, 1000000}, .it_value = {0, 1000000}};
    timerfd_settime(tfd, 0, &it, NULL);
    struct epoll_event te = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &te);
    static double next[MAXC];
    double start = now();
    srand(7);
    for (int i = 0; i < n; i++) next[i] = start + period * rand() / RAND_MAX;
    double measureFrom = start + warmup, end = measureFrom + duration;
    double cpu0 = -1, cpu1 = 0;
    long delivered = 0, sent = 0;
    static double lat[4000000]; long nl = 0;
    static char buf[65536], msg[IN], rest[MAXC][OUT];
    static int restn[MAXC];
    memset(msg, 'y', IN);
    struct epoll_event evs[1024];
    for (;;) {
        double t = now();
        if (cpu0 < 0 && t >= measureFrom) { cpu0 = cpu_of(pid); }
        if (t >= end) { cpu1 = cpu_of(pid); break; }
        int k = epoll_wait(ep, evs, 1024, 100);
        for (int i = 0; i < k; i++) {
            uint32_t id = evs[i].data.u32;
            if (id == UINT32_MAX) {
                uint64_t x; read(tfd, &x, 8);
                double t2 = now();
                for (int j = 0; j < n; j++) if (next[j] <= t2) {
                    memcpy(msg, &t2, sizeof t2);
                    send(fds[j], msg, IN, MSG_NOSIGNAL);
                    next[j] += period; sent++;
                }
                continue;
            }
            // A read may end inside a record: its start waits in rest[id].
            memcpy(buf, rest[id], restn[id]);
            ssize_t r = recv(fds[id], buf + restn[id], sizeof buf - OUT, 0);
            if (r <= 0) continue;
            r += restn[id];
            double t2 = now();
            ssize_t o = 0;
            for (;;) {
                ssize_t size = buf[o] == 'A' ? ACK : OUT;
                if (o + size > r) break;
                if (buf[o] == 'D') {
                    double s; memcpy(&s, buf + o + 8, sizeof s);
                    if (t2 >= measureFrom) { delivered++; if (nl < 4000000) lat[nl++] = t2 - s; }
                } else if (buf[o] != 'A') { fprintf(stderr, "garbled stream\n"); return 1; }
                o += size;
            }
            restn[id] = r - o;
            memcpy(rest[id], buf + o, restn[id]);
        }
    }
    qsort(lat, nl, sizeof lat[0], cmpd);
    double cpu = cpu1 - cpu0;
    printf("deliveries/s %.0f  server cpu %.3f s  us/delivery %.2f  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms\n",
           delivered / duration, cpu, cpu / delivered * 1e6,
           nl ? lat[nl / 2] * 1e3 : 0, nl ? lat[(long)(nl * 0.99)] * 1e3 : 0, nl ? lat[(long)(nl * 0.999)] * 1e3 : 0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "server")) return server(atoi(argv[2]), atoi(argv[3]));
    if (argc >= 8 && !strcmp(argv[1], "client"))
        return client(atoi(argv[2]), atoi(argv[3]), atof(argv[4]) / 1000, atof(argv[5]), atof(argv[6]), atoi(argv[7]));
    fprintf(stderr, "usage: fanout-floor server PORT GROUP | client PORT N PERIOD_MS WARMUP_S DURATION_S SERVER_PID\n");
    return 2;
}
