import Dispatch
import Foundation
import RoomCore
import RoomProtocol
import SocketTransport

/// Invitations through the admin API: a participant's token for their whole
/// enrolment (`kind: invitation`; docs/OPERATIONS.md, "Invitations"). The
/// token goes back in the answer once and is never stored: the records keep
/// its id, the room, the member, who issued it and until when.
extension AdminRouter {
    /// `POST …/invite`: signs an invitation for an enrolled member; with
    /// `reissue=true`, revokes the member's earlier invitations first
    /// (otherwise 409 `already_invited`).
    func invite(room: String, query: Substring, by caller: OperatorIdentity) -> HTTPResponse {
        guard let programs else { return Self.error(503, "no_programs", "this server keeps no programs") }
        let parameters = Self.parameters(query)
        do throws(ProgramChangeError) {
            let member = try Self.member(parameters["member"])
            let alias = parameters["alias"] ?? ""
            if let problem = TokenAlias.problem(alias, role: Role.participant.rawValue) {
                throw .parameter("alias", "an alias the group may see (\(problem))")
            }
            let reissue = parameters["reissue"] == "true"
            let now = clock.date()
            let claims = try programs.invitationClaims(
                room: room, member: member, alias: alias, now: now, maximum: authority.lifetimes.invitation)
            let open: [String]
            do {
                open = try programs.store?.openInvitations(room: room, member: member) ?? []
            } catch {
                // Unknown whether one is open: issuing now could leave two valid at once.
                throw ProgramChangeError(
                    status: 500, code: "store_failed",
                    message: "the member's open invitations could not be read; none was issued")
            }
            if !open.isEmpty, !reissue {
                throw ProgramChangeError(
                    status: 409, code: "already_invited",
                    message: "\(member) has an invitation; reissue=true revokes it and issues another")
            }
            // Signed before anything is revoked: a signing failure leaves the earlier invitation as it was.
            guard let token = (signInvitation ?? { Self.sign($0, with: authority) })(claims) else {
                throw ProgramChangeError(
                    status: 500, code: "signing_failed", message: "the invitation could not be signed; none was issued")
            }
            if !open.isEmpty {
                try revokeInvitations(room: room, member: member, by: caller, store: programs.store, close: false)
            }
            let change = ProgramChange(
                actor: caller.id, action: .invited, member: member, at: clock.now())
            let expires = Timestamp(millisecondsSinceEpoch: Int64(claims.expiration.value.timeIntervalSince1970 * 1000))
            do {
                try programs.store?.storeInvitation(
                    tokenID: claims.tokenID.value, room: room, expires: expires, change: change)
            } catch {
                throw ProgramChangeError(
                    status: 500, code: "store_failed", message: "the invitation could not be written; none was issued")
            }
            logger.notice("invitation issued", metadata: ["room": "\(room)", "operator": "\(caller.id)"])
            let body = AdminInvitation(
                room: room, member: member, token: token, tokenID: claims.tokenID.value,
                notBefore: claims.notBefore.map { Int64($0.value.timeIntervalSince1970) },
                expiresAt: Int64(claims.expiration.value.timeIntervalSince1970))
            return Self.json(200, body.json)
        } catch {
            return Self.error(error.status, error.code, error.message)
        }
    }

    /// `POST …/uninvite`: revokes the member's invitations to the room and closes their connections (4006).
    func uninvite(room: String, query: Substring, by caller: OperatorIdentity) -> HTTPResponse {
        guard let programs else { return Self.error(503, "no_programs", "this server keeps no programs") }
        do throws(ProgramChangeError) {
            let member = try Self.member(Self.parameters(query)["member"])
            guard rooms.host(room) != nil else { throw .unknownRoom }
            let revoked = try revokeInvitations(room: room, member: member, by: caller, store: programs.store)
            return Self.json(
                200, AdminOutcome(room: room, alreadyRevoked: revoked == 0, closedConnections: nil).json)
        } catch {
            return Self.error(error.status, error.code, error.message)
        }
    }

    /// Revokes the member's open invitations to `room` durably (the
    /// `revocations` table, as `…/revoke` does), refuses them from now on, and
    /// closes their connections with 4006 when `close`. Returns how many.
    @discardableResult
    func revokeInvitations(
        room: String, member: String, by caller: OperatorIdentity, store: (any ProgramStore)?, close: Bool = true
    ) throws(ProgramChangeError) -> Int {
        let now = clock.now()
        let ids: [String]
        do {
            let change = ProgramChange(actor: caller.id, action: .invitationRevoked, member: member, at: now)
            ids = try store?.revokeInvitations(room: room, change: change) ?? []
            try locally(ids) {
                for id in ids { try revocationStore?.storeRevocation(of: id, by: caller.id, at: now) }
                for id in ids {
                    authority.revocations.revoke(id)
                    if close {
                        _ = registry.close(tokenID: id, code: RoomCloseCode.revoked, reason: "invitation revoked")
                    }
                }
            }
        } catch {
            throw ProgramChangeError(
                status: 500, code: "store_failed", message: "the revocation could not be written")
        }
        return ids.count
    }

    /// Signs `claims` from a blocking context (admin actions run on a
    /// dispatch queue, never on the concurrency pool, so waiting here cannot starve it).
    private static func sign(_ claims: TokenClaims, with authority: TokenAuthority) -> String? {
        let result = LockedValue<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let token = try? await authority.issue(claims)
            result.withLock { $0 = token }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }
}

/// The answer to `POST …/invite`: the token (shown once), its id and window.
struct AdminInvitation: Encodable {
    var room: String
    var member: String
    var token: String
    var tokenID: String
    /// Unix seconds from which it is valid (`nbf`), when that is later than now.
    var notBefore: Int64?
    /// Unix seconds when it expires (`exp`): the discharge date, or the longest lifetime allowed.
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case room, member, token
        case tokenID = "token_id"
        case notBefore = "not_before"
        case expiresAt = "expires_at"
    }

    /// The compact JSON body, with `ok`.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let inner = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "{\"ok\":true," + inner.dropFirst()
    }
}
