import Foundation
import RoomProtocol
import SocketTransport

/// The records through the admin API, so that `iopctl attendance export` and
/// `iopctl audit verify` work from any host (and against any node of a
/// cluster: they all read the same PostgreSQL database). The node reads on
/// its records writer, after the records queued before the request.
extension AdminRouter {
    /// `GET …/rooms/{id}/attendance?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv|json][&table=sessions|days|weeks]`:
    /// the export `iopctl attendance export` writes, as CSV (`text/csv`) or JSON.
    func attendance(room: String, query: Substring) -> HTTPResponse {
        guard rooms.host(room) != nil else {
            return Self.error(404, "unknown_room", "no such room on this server")
        }
        guard let records else { return Self.error(503, "no_records", "this server keeps no records database") }
        let parameters = Self.parameters(query)
        guard let first = parameters["from"].flatMap(CalendarDay.init(parsing:)),
            let last = parameters["to"].flatMap(CalendarDay.init(parsing:)), first <= last
        else {
            return Self.error(400, "invalid_parameter", "from and to must be dates like 2026-11-24, from not after to")
        }
        let format = parameters["format"] ?? "csv"
        guard format == "csv" || format == "json" else {
            return Self.error(400, "invalid_parameter", "format must be csv or json")
        }
        guard let table = AttendanceTable(rawValue: parameters["table"] ?? "sessions") else {
            return Self.error(400, "invalid_parameter", "table must be sessions, days or weeks")
        }
        let period = AttendancePeriod(from: first, to: last)
        let rules = attendanceRules
        do {
            let input = try records.read {
                try AttendanceReport.Input.read($0, room: room, period: period, rules: rules)
            }
            let now = clock.now().millisecondsSinceEpoch
            let report = AttendanceReport(input: input, period: period, rules: rules, asOf: now)
            let text = format == "json" ? try report.json() : try report.csv(table)
            let type = format == "json" ? "application/json" : "text/csv; charset=utf-8"
            return HTTPResponse(status: 200, headers: ["Content-Type": type], body: Array(text.utf8))
        } catch {
            logger.error("reading attendance failed", metadata: ["error": "\(error)"])
            return Self.error(500, "store_failed", "the records could not be read")
        }
    }

    /// `GET …/audit`: every hash chain checked, with the first broken row if any.
    func audit() -> HTTPResponse {
        guard let records else { return Self.error(503, "no_records", "this server keeps no records database") }
        do {
            let result = try records.verifyChains()
            let answer = AdminAuditVerification(
                intact: result.isIntact, rowsChecked: result.rowsChecked,
                firstBreak: result.firstBreak.map { "\($0)" }, node: nodeID)
            return Self.json(200, answer.json)
        } catch {
            logger.error("verifying the records failed", metadata: ["error": "\(error)"])
            return Self.error(500, "store_failed", "the records could not be read")
        }
    }
}
