import CLibpq
import Glibc

/// What LISTEN needs from a connection: its socket to watch, reading what
/// arrived without blocking, and the notifications it carried.
extension PostgreSQLConnection {
    /// The connection's socket (watch it for readability), or -1 when there is none.
    var socket: Int32 { PQsocket(connection) }

    /// Waits at most `milliseconds` for the socket to become readable; true if it did.
    func waitReadable(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// Reads whatever the server sent, without blocking; throws when the
    /// connection is gone (the server stopped, the network failed).
    func consumeInput() throws(RecordDatabaseError) {
        guard PQconsumeInput(connection) == 1, PQstatus(connection) == CONNECTION_OK else {
            throw .connectionFailed(Self.oneLine(String(cString: PQerrorMessage(connection))))
        }
    }

    /// The notifications read so far: each one's channel and payload, in order.
    func notifications() -> [(channel: String, payload: String)] {
        var arrived: [(channel: String, payload: String)] = []
        while let notification = PQnotifies(connection) {
            defer { PQfreemem(notification) }
            arrived.append((String(cString: notification.pointee.relname), String(cString: notification.pointee.extra)))
        }
        return arrived
    }
}
