// epoll(7) and eventfd(2) (glibc), which Swift's Glibc module does not expose:
// each event loop watches its connections through one epoll instance, and is
// woken from other threads through an eventfd in that set.
#include <sys/epoll.h>
#include <sys/eventfd.h>
