import Dispatch
import Metrics

/// What the rooms measure as it happens, through the swift-metrics API: one
/// set shared by every room (no room, member or alias dimension, ever).
/// `ServerMetrics` backs them with its Prometheus registry; the default is a
/// no-op set, for rooms built without metrics.
public struct RoomInstruments: Sendable {
    /// Commands received from members (`iop_room_messages_received_total`).
    public let messagesReceived: Metrics.Counter
    /// Payload bytes of those commands (`iop_room_received_bytes_total`).
    public let bytesReceived: Metrics.Counter
    /// Messages handed to members' connections (`iop_room_messages_sent_total`).
    public let messagesSent: Metrics.Counter
    /// Payload bytes of those messages (`iop_room_sent_bytes_total`).
    public let bytesSent: Metrics.Counter
    /// Time from a command's arrival at the room to the last recipient being
    /// handed its frame (`iop_room_fanout_latency_seconds`).
    public let fanOutLatency: Metrics.Timer

    /// Instruments that record nothing.
    public init() {
        let none = NOOPMetricsHandler.instance
        self.init(
            messagesReceived: Metrics.Counter(label: "none", dimensions: [], handler: none),
            bytesReceived: Metrics.Counter(label: "none", dimensions: [], handler: none),
            messagesSent: Metrics.Counter(label: "none", dimensions: [], handler: none),
            bytesSent: Metrics.Counter(label: "none", dimensions: [], handler: none),
            fanOutLatency: Metrics.Timer(label: "none", dimensions: [], handler: none))
    }

    /// Instruments from explicit swift-metrics values.
    public init(
        messagesReceived: Metrics.Counter, bytesReceived: Metrics.Counter, messagesSent: Metrics.Counter,
        bytesSent: Metrics.Counter, fanOutLatency: Metrics.Timer
    ) {
        self.messagesReceived = messagesReceived
        self.bytesReceived = bytesReceived
        self.messagesSent = messagesSent
        self.bytesSent = bytesSent
        self.fanOutLatency = fanOutLatency
    }

    /// Counts one received command of `bytes` payload bytes.
    func received(bytes: Int) {
        messagesReceived.increment()
        bytesReceived.increment(by: bytes)
    }

    /// Counts `count` messages of `bytes` payload bytes each handed to connections
    /// (a fan-out is counted once, not once per recipient).
    func sent(_ count: Int = 1, bytes: Int) {
        messagesSent.increment(by: Int64(count))
        bytesSent.increment(by: Int64(count * bytes))
    }

    /// Records the fan-out time of a command that arrived at `start` (uptime ns).
    func fannedOut(since start: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        fanOutLatency.recordNanoseconds(Int64(now &- start))
    }
}
