// glibc's allocator controls from <malloc.h>, which Swift's Glibc module does
// not include: mallopt(3) with M_ARENA_MAX, and malloc_trim(3). iopd limits its
// malloc arenas and hands freed memory back to the system with them
// (RoomServer's MemoryTrim).
#include <malloc.h>
