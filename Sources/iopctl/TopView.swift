import Foundation
import RoomProtocol

/// Per-room rates between two snapshots of the room list.
struct RoomRates {
    /// Commands in per second.
    var messagesIn: Double
    /// Messages out per second.
    var messagesOut: Double
    /// Mean fan-out latency over the interval, in milliseconds (nil: nothing fanned out).
    var latencyMilliseconds: Double?

    /// The rates of each room in `current` since `previous`, `elapsed` seconds earlier.
    static func between(_ previous: AdminRoomList?, _ current: AdminRoomList, elapsed: Double) -> [String: RoomRates] {
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
    static func loopLoads(_ previous: AdminRoomList?, _ current: AdminRoomList, elapsed: Double) -> [Double]? {
        guard elapsed > 0, let before = previous?.loopBusySeconds, let now = current.loopBusySeconds,
            before.count == now.count
        else { return nil }
        return zip(before, now).map { min(1, max(0, ($1 - $0) / elapsed)) }
    }
}

/// The text of `iopctl rooms` and of each `iopctl top` refresh: pure, so the
/// same lines go to the full screen and to line output.
enum TopView {
    static let widths = [20, 11, 5, 5, 5, 5, 6, 8, 8, 8, 7]

    /// The header line and one line per room. Without `rates`, the message
    /// columns are totals since the server started and latency is the mean.
    static func table(_ list: AdminRoomList, rates: [String: RoomRates]?) -> [String] {
        let header = [
            "ROOM", "STATE", "FAC", "PART", "WAIT", "AWAY", "RECON", rates == nil ? "IN" : "IN/s",
            rates == nil ? "OUT" : "OUT/s", "LAT ms", "ALERTS",
        ]
        var lines = [pad(header, widths)]
        for room in list.rooms {
            let count = { (role: String?, states: Set<String>) in
                room.members.filter { (role == nil || $0.role == role) && states.contains($0.state) }
                    .reduce(0) { $0 + $1.count }
            }
            let present: Set = ["admitted", "needs_agreement", "waiting", "away", "reconnecting"]
            let messages: (String, String, String)
            if let rates {
                let rate = rates[room.id]
                messages = (
                    rate.map { format($0.messagesIn) } ?? "-", rate.map { format($0.messagesOut) } ?? "-",
                    rate?.latencyMilliseconds.map(format) ?? "-"
                )
            } else {
                let mean =
                    room.fanOutCount > 0
                    ? format(Double(room.fanOutMicroseconds) / Double(room.fanOutCount) / 1000) : "-"
                messages = (String(room.messagesIn), String(room.messagesOut), mean)
            }
            lines.append(
                pad(
                    [
                        room.id, room.state, String(count("facilitator", present)),
                        String(count("participant", present)), String(count(nil, ["waiting", "needs_agreement"])),
                        String(count(nil, ["away"])), String(count(nil, ["reconnecting"])), messages.0, messages.1,
                        messages.2, String(room.openCrisisAlerts),
                    ], widths))
        }
        return lines
    }

    /// One refresh of `top`: a title line (with each event loop's load when known), a
    /// blank line, the table.
    static func screen(
        _ list: AdminRoomList, rates: [String: RoomRates], loopLoads: [Double]?, server: String, at time: Date
    ) -> [String] {
        let members = list.rooms.reduce(0) { $0 + $1.memberCount }
        let open = list.rooms.filter { $0.state != "idle" }.count
        let clock = String(ISO8601DateFormatter().string(from: time).dropFirst(11).prefix(8)) + "Z"
        let loads = loopLoads.map { "  loops " + $0.map { String(format: "%.2f", $0) }.joined(separator: " ") } ?? ""
        let title =
            "iopctl top  \(server)  \(clock)  rooms \(list.rooms.count) (\(open) open)  members \(members)"
            + loads + (list.draining ? "  DRAINING" : "")
        return [title, ""] + table(list, rates: rates)
    }

    /// Columns left-aligned to `widths` (0: as wide as the text), one space apart.
    static func pad(_ columns: [String], _ widths: [Int]) -> String {
        zip(columns, widths).map { text, width in
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private static func format(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.1f", value)
    }
}
