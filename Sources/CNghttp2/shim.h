// The system nghttp2 (Debian's libnghttp2-dev, 1.52 with its security
// backports), for HTTP/2 in SocketTransport.
#include <nghttp2/nghttp2.h>
