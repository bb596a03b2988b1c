import BenchSupport
import SocketTransport
import WebSocketCore

/// One echo connection: keeps exactly one message in flight and records the
/// round trip of each echo while the run is measuring.
final class EchoClient: WebSocketHandler, @unchecked Sendable {
    // `sentAt` is touched only on the connection's loop (every callback runs there).

    private let tally: LoopTally
    private let control: RunControl
    private let payload: WebSocketMessage
    private let payloadSize: Int
    /// When the outstanding message was sent (monotonic ns); 0 = none outstanding.
    private var sentAt: UInt64 = 0

    init(tally: LoopTally, control: RunControl, payload: WebSocketMessage) {
        self.tally = tally
        self.control = control
        self.payload = payload
        switch payload {
        case .text(let text): payloadSize = text.utf8.count
        case .binary(let bytes): payloadSize = bytes.count
        }
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        sendNext(on: connection)
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        let now = monotonicNanoseconds()
        guard sentAt != 0 else {
            tally.unsolicited += 1
            return
        }
        let roundTrip = now - sentAt
        sentAt = 0
        if !matches(message) { tally.mismatches += 1 }
        switch control.phase {
        case .warmingUp:
            tally.warmupEchoes += 1
        case .measuring:
            tally.histogram.record(roundTrip)
        case .stopping:
            return
        }
        sendNext(on: connection)
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        control.closed.add(1, ordering: .relaxed)
        if control.phase != .stopping { control.unexpectedCloses.add(1, ordering: .relaxed) }
    }

    private func sendNext(on connection: WebSocketConnection) {
        guard control.phase != .stopping else { return }
        sentAt = monotonicNanoseconds()
        connection.send(payload)
    }

    /// Same kind and size as what was sent (the content is one repeated byte).
    private func matches(_ message: WebSocketMessage) -> Bool {
        switch (message, payload) {
        case (.text(let text), .text): text.utf8.count == payloadSize
        case (.binary(let bytes), .binary): bytes.count == payloadSize
        default: false
        }
    }
}

/// One idle connection: sends nothing, counts what should not happen.
final class IdleClient: WebSocketHandler, Sendable {
    private let tally: LoopTally
    private let control: RunControl

    init(tally: LoopTally, control: RunControl) {
        self.tally = tally
        self.control = control
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {}

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        // On the loop, which owns the tally.
        tally.unsolicited += 1
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        control.closed.add(1, ordering: .relaxed)
        if control.phase != .stopping { control.unexpectedCloses.add(1, ordering: .relaxed) }
    }
}
