// epoll(7), eventfd(2) and accept4(2) (glibc), which Swift's Glibc module does
// not expose: each event loop watches its connections through one epoll
// instance, and is woken from other threads through an eventfd in that set.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2): an accepted socket that is already non-blocking and
/// close-on-exec (`SOCK_NONBLOCK | SOCK_CLOEXEC`), in one system call.
static inline int iop_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    extern int accept4(int, struct sockaddr *, socklen_t *, int);
    return accept4(fd, address, length, flags);
}
