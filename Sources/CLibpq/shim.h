// libpq (Debian libpq-dev), the PostgreSQL client library: records in PostgreSQL.
#include <libpq-fe.h>

// The error fields' codes are character macros, which Swift does not import.
static const int iop_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int iop_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;
