import Foundation
import ProgramCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// The program routes of the admin API: a room's schedule and roster, read
/// and changed at run time. The transport reads request heads only, so the
/// arguments ride in the query string (percent-encoded; the 16 KiB head
/// limit bounds them). Every change is checked like the rooms file, stored
/// and audited (`program_audit`), then adopted by the running room.
extension AdminRouter {
    /// Carries out a program route for the operator `caller`.
    func program(_ endpoint: AdminEndpoint, room: String, query: Substring, by caller: OperatorIdentity)
        -> HTTPResponse
    {
        guard let programs else { return Self.error(503, "no_programs", "this server keeps no programs") }
        let parameters = Self.parameters(query)
        let change = { (action: ProgramChange.Action, member: String?) in
            ProgramChange(actor: caller.id, action: action, member: member, at: clock.now())
        }
        do throws(ProgramChangeError) {
            switch endpoint {
            case .program:
                let found = try programs.document(of: room)
                let body = AdminProgramBody(
                    room: room, source: found?.source.rawValue ?? "none", program: found?.document ?? ProgramDocument())
                return Self.json(200, body.json)
            case .setSchedule:
                let entry = try Self.scheduleEntry(parameters["schedule"])
                try programs.change(room, change(.scheduleSet, nil)) { document in document.schedule = entry }
            case .enrol:
                let member = try Self.member(parameters["member"])
                let date = try Self.date(parameters["enrolled"], "enrolled")
                try programs.change(room, change(.enrolled, member)) { document throws(ProgramChangeError) in
                    try Self.enrol(member, on: date, in: &document)
                }
            case .discharge:
                let member = try Self.member(parameters["member"])
                let date = try Self.date(parameters["discharged"], "discharged")
                try programs.change(room, change(.discharged, member)) { document throws(ProgramChangeError) in
                    try Self.discharge(member, on: date, in: &document)
                }
                // Discharged today or before: the invitations go now (a later date: the roster refuses them then).
                if programs.isEnrolled(member, in: room, at: clock.date()) == false {
                    try revokeInvitations(room: room, member: member, by: caller, store: programs.store)
                }
            case .rooms, .room, .closeRoom, .revokeToken, .drain, .invite, .uninvite, .attendance, .audit, .createRoom,
                .updateRoom:
                return Self.error(404, "not_found", "no such admin route")
            }
        } catch {
            return Self.error(error.status, error.code, error.message)
        }
        logger.notice(
            "room program changed", metadata: ["room": "\(room)", "operator": "\(caller.id)", "route": "\(endpoint)"])
        return Self.json(200, AdminOutcome(room: room).json)
    }

    private static func enrol(_ member: String, on date: String, in document: inout ProgramDocument)
        throws(ProgramChangeError)
    {
        var roster = document.roster ?? []
        guard !roster.contains(where: { $0.member == member }) else {
            throw ProgramChangeError(
                status: 409, code: "already_enrolled",
                message: "\(member) is on the roster (a discharged member keeps their row and history)")
        }
        roster.append(RoomCatalogue.RosterEntry(member: member, enrolled: date))
        document.roster = roster
    }

    private static func discharge(_ member: String, on date: String, in document: inout ProgramDocument)
        throws(ProgramChangeError)
    {
        guard var roster = document.roster, let index = roster.firstIndex(where: { $0.member == member }) else {
            throw ProgramChangeError(status: 404, code: "not_enrolled", message: "\(member) is not on the roster")
        }
        guard roster[index].discharged == nil else {
            throw ProgramChangeError(
                status: 409, code: "already_discharged",
                message: "\(member) was discharged on \(roster[index].discharged ?? "")")
        }
        roster[index].discharged = date
        document.roster = roster
    }

    /// The query's parameters, percent-decoded (the last of a repeated name wins).
    static func parameters(_ query: Substring) -> [String: String] {
        var components = URLComponents()
        components.percentEncodedQuery = String(query)
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        return parameters
    }

    static func member(_ value: String?) throws(ProgramChangeError) -> String {
        guard let value, AdminEndpoint.isTokenID(value) else {
            throw .parameter("member", "a member id: 1 to 128 of A-Z a-z 0-9 . _ : -")
        }
        return value
    }

    private static func date(_ value: String?, _ name: String) throws(ProgramChangeError) -> String {
        guard let value, LocalDate(parsing: value) != nil else { throw .parameter(name, "a date YYYY-MM-DD") }
        return value
    }

    private static func scheduleEntry(_ value: String?) throws(ProgramChangeError) -> RoomCatalogue.ScheduleEntry {
        guard let value, !value.isEmpty else { throw .parameter("schedule", "a schedule as JSON") }
        do {
            return try JSONDecoder().decode(RoomCatalogue.ScheduleEntry.self, from: Data(value.utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            throw .parameter("schedule." + path(context.codingPath + [key]), "present")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .parameter("schedule." + path(context.codingPath), "of the schedule's type (docs/OPERATIONS.md)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .parameter("schedule." + path(context.codingPath), "present")
        } catch {
            throw .parameter("schedule", "a JSON object with timeZone, startDate, endDate and slots")
        }
    }

    /// `slots[1].start` from a decoding path.
    private static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}

extension HTTPRequestHead {
    /// The target's query, without the `?` (empty when there is none).
    var query: Substring {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return target[target.index(after: mark)...]
    }
}

/// `GET /v1/admin/rooms/{id}/program`: the room's program and where it comes from.
struct AdminProgramBody: Encodable {
    /// The room id.
    var room: String
    /// `file` (rooms.yaml), `store` (changed at run time) or `none`.
    var source: String
    /// The schedule, roster and `autoAdmitEnrolled` as written.
    var program: ProgramDocument

    /// The compact JSON body, keys sorted.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
