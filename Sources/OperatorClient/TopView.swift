import Foundation
import RoomProtocol

/// The text of `iopctl rooms` and of each `iopctl top` refresh: pure, so the
/// same lines go to the full screen and to line output.
public enum TopView {
    /// Column widths of the room table.
    public static let widths = [20, 11, 5, 5, 5, 5, 6, 8, 8, 8, 7]

    /// The header line and one line per room. Without `rates`, the message
    /// columns are totals since the server started and latency is the mean.
    public static func table(_ list: AdminRoomList, rates: [String: RoomRates]?) -> [String] {
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
    public static func screen(
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
    public static func pad(_ columns: [String], _ widths: [Int]) -> String {
        zip(columns, widths).map { text, width in
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private static func format(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.1f", value)
    }
}
