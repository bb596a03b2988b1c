import SocketTransport
import WebSocketCore

/// Routes one attempt's transport callbacks to its connection, tagged with the
/// attempt so a late callback of an old connection is ignored.
final class AttemptHandler: WebSocketHandler {
    let owner: RoomConnection
    let generation: Int

    init(owner: RoomConnection, generation: Int) {
        self.owner = owner
        self.generation = generation
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        owner.opened(generation, connection)
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        owner.received(generation, message, on: connection)
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        owner.closed(generation, code, reason: "")
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String) {
        owner.closed(generation, code, reason: reason)
    }
}
