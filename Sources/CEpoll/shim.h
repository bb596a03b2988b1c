// epoll(7) (glibc), which Swift's Glibc module does not expose: each event loop
// watches its connections through one epoll instance.
#include <sys/epoll.h>
