import Foundation
import RoomServer

/// The rooms and members of a run, with a signed token for each member.
struct RoomPlan {
    /// One member: which room, which role, and the token that admits it (empty with `--peer`).
    struct Member {
        let room: Int
        /// The member's place in its room (0: the facilitator).
        let seat: Int
        let isFacilitator: Bool
        let token: String
    }

    /// Room ids, e.g. `bench-0001`.
    let roomIDs: [String]
    /// Facilitators first (one per room, in room order), then participants.
    let members: [Member]

    /// `bench-0001`: the prefix and the number, zero-padded to four digits.
    static func roomID(prefix: String, number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Signs `rooms × membersPerRoom` tokens with the server's secret
    /// (`IOPD_AUTH_SECRET`, else `signing-secret` in `dataDirectory`, as
    /// `iopctl token issue` does).
    static func make(
        rooms: Int, firstRoom: Int, prefix: String, membersPerRoom: Int, dataDirectory: String,
        environment: [String: String]
    ) async throws -> RoomPlan {
        let configured = environment["IOPD_AUTH_SECRET"]
        if configured?.isEmpty ?? true {
            let file = (dataDirectory as NSString).appendingPathComponent(SigningSecret.fileName)
            guard FileManager.default.fileExists(atPath: file) else { throw BenchError.noSecret(file) }
        }
        let secret = try SigningSecret.load(configured: configured, dataDirectory: dataDirectory)
        let authority = await TokenAuthority(secret: secret)
        let roomIDs = ids(rooms: rooms, firstRoom: firstRoom, prefix: prefix)
        let expires = Date().addingTimeInterval(4 * 3600)
        // Member ids are new in every run, so runs one after another on the same
        // server join as new people rather than resuming someone's place.
        let run = UUID().uuidString.lowercased().prefix(6)
        var tokens: [String] = []
        for (room, id) in roomIDs.enumerated() {
            for seat in 0..<membersPerRoom {
                let isFacilitator = seat == 0
                let claims = TokenClaims(
                    member: "b\(run)-\(room)-\(seat)",
                    alias: isFacilitator ? "Facilitator \(room)" : "Member \(room)-\(seat)",
                    role: isFacilitator ? "facilitator" : "participant", room: id, expires: expires,
                    tokenID: "bench-\(run)-\(room)-\(seat)")
                tokens.append(try await authority.issue(claims))
            }
        }
        return RoomPlan(roomIDs: roomIDs, membersPerRoom: membersPerRoom) { room, seat in
            tokens[room * membersPerRoom + seat]
        }
    }

    /// The same rooms and members without tokens, for `--peer` (the relay
    /// protocol has no authentication).
    static func unsigned(rooms: Int, firstRoom: Int, prefix: String, membersPerRoom: Int) -> RoomPlan {
        RoomPlan(roomIDs: ids(rooms: rooms, firstRoom: firstRoom, prefix: prefix), membersPerRoom: membersPerRoom) {
            _, _ in ""
        }
    }

    private static func ids(rooms: Int, firstRoom: Int, prefix: String) -> [String] {
        (0..<rooms).map { roomID(prefix: prefix, number: firstRoom + $0) }
    }

    /// Seat 0 of each room is its facilitator; facilitators come first.
    private init(roomIDs: [String], membersPerRoom: Int, token: (_ room: Int, _ seat: Int) -> String) {
        var facilitators: [Member] = []
        var participants: [Member] = []
        for room in roomIDs.indices {
            for seat in 0..<membersPerRoom {
                let member = Member(room: room, seat: seat, isFacilitator: seat == 0, token: token(room, seat))
                if seat == 0 { facilitators.append(member) } else { participants.append(member) }
            }
        }
        self.roomIDs = roomIDs
        self.members = facilitators + participants
    }
}

/// Why the bench cannot run.
struct BenchError: Error, CustomStringConvertible {
    /// For the person running it.
    let description: String

    /// No signing secret where the server keeps it.
    static func noSecret(_ path: String) -> BenchError {
        BenchError(
            description: "no signing secret at \(path): pass the server's --data-dir, or set IOPD_AUTH_SECRET")
    }
}
