// The system OpenSSL (Debian's libssl-dev), for TLS in SocketTransport.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
