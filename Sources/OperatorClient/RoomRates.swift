import Foundation
import RoomProtocol

/// Per-room rates between two snapshots of the room list.
public struct RoomRates: Sendable {
    /// Commands in per second.
    public var messagesIn: Double
    /// Messages out per second.
    public var messagesOut: Double
    /// Mean fan-out latency over the interval, in milliseconds (nil: nothing fanned out).
    public var latencyMilliseconds: Double?

    /// The rates of each room in `current` since `previous`, `elapsed` seconds earlier.
    public static func between(_ previous: AdminRoomList?, _ current: AdminRoomList, elapsed: Double) -> [String:
        RoomRates]
    {
        guard let previous, elapsed > 0 else { return [:] }
        var earlier: [String: AdminRoomSummary] = [:]
        for room in previous.rooms { earlier[room.id] = room }
        var rates: [String: RoomRates] = [:]
        for room in current.rooms {
            guard let before = earlier[room.id] else { continue }
            let fanOuts = room.fanOutCount - before.fanOutCount
            let micros = room.fanOutMicroseconds - before.fanOutMicroseconds
            rates[room.id] = RoomRates(
                messagesIn: Double(max(0, room.messagesIn - before.messagesIn)) / elapsed,
                messagesOut: Double(max(0, room.messagesOut - before.messagesOut)) / elapsed,
                latencyMilliseconds: fanOuts > 0 ? Double(micros) / Double(fanOuts) / 1000 : nil)
        }
        return rates
    }

    /// Each event loop's load over the interval: the share of it the loop spent working,
    /// 0 (idle) to 1 (saturated). Nil without both lists' figures for the same loops.
    public static func loopLoads(_ previous: AdminRoomList?, _ current: AdminRoomList, elapsed: Double) -> [Double]? {
        guard elapsed > 0, let before = previous?.loopBusySeconds, let now = current.loopBusySeconds,
            before.count == now.count
        else { return nil }
        return zip(before, now).map { min(1, max(0, ($1 - $0) / elapsed)) }
    }
}
