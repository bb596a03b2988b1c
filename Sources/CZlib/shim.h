// zlib (Debian zlib1g-dev), for permessage-deflate.
#include <zlib.h>
