import Foundation
import RoomClient
import Testing

/// The tokens of a several-room join: one per room, each a facilitator's, every
/// problem found before anything connects (exit status 2). The prompt is replaced,
/// so no test waits on a terminal.
@Suite("Several rooms: tokens")
struct RoomTokensTests {
    /// A compact JWT with these claims (the signature is not checked by the client).
    static func token(role: String, room: String) -> String {
        func part(_ object: [String: String]) -> String {
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return part(["alg": "HS256", "typ": "JWT"]) + "." + part(["role": role, "room": room, "sub": "m1"]) + ".c2ln"
    }

    /// A folder with one file per (name, contents).
    static func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "iop-tokens-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    @Test func claimsAreReadWithoutTheSignature() {
        let claims = JoinTokenClaims(token: Self.token(role: "facilitator", room: "room-a"))
        #expect(claims == JoinTokenClaims(token: Self.token(role: "facilitator", room: "room-a")))
        #expect(claims?.role == "facilitator" && claims?.room == "room-a" && claims?.isFacilitator == true)
        #expect(JoinTokenClaims(token: "not-a-token") == nil)
        #expect(JoinTokenClaims(token: "a.%%%.c") == nil)
        #expect(JoinTokenClaims(token: "a." + String(repeating: "A", count: 20_000) + ".c") == nil)
    }

    @Test func eachRoomGetsItsFacilitatorTokenFromFilesOrTheFolder() throws {
        let a = Self.token(role: "facilitator", room: "room-a")
        let b = Self.token(role: "facilitator", room: "room-b")
        let folder = try Self.folder(["a": a + "\n", "room-b.token": b])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tokens = RoomTokens(rooms: ["room-a", "room-b"], files: ["room-a=\(folder)/a"], directory: folder)
        #expect(try tokens.resolve() == [a, b])
    }

    @Test func aParticipantsTokenForAnyRoomIsRefusedBeforeConnecting() throws {
        let folder = try Self.folder([
            "room-a.token": Self.token(role: "facilitator", room: "room-a"),
            "room-b.token": Self.token(role: "participant", room: "room-b"),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tokens = RoomTokens(rooms: ["room-a", "room-b"], files: [], directory: folder)
        #expect(throws: ClientFailure.severalRooms("room-b", .notFacilitator)) { try tokens.resolve() }
        let failure = ClientFailure.severalRooms("room-b", .notFacilitator)
        #expect(failure.exitStatus == 2)
        #expect(failure.code == "several_rooms_not_facilitator")
        #expect(failure.description.contains("room-b") && failure.description.contains("facilitators"))
        #expect(!failure.isRetryable)
    }

    @Test func usageProblemsAreRefused() throws {
        let a = Self.token(role: "facilitator", room: "room-a")
        let folder = try Self.folder(["room-a.token": a, "junk": "not a token"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func refusal(_ rooms: [String], _ files: [String] = [], directory: String? = nil) -> ClientFailure? {
            do throws(ClientFailure) {
                _ = try RoomTokens(rooms: rooms, files: files, directory: directory ?? folder, ask: { _ in nil })
                    .resolve()
                return nil
            } catch { return error }
        }
        #expect(refusal(["room-a", "room-a"]) == .severalRooms("room-a", .repeatedRoom))
        let ten = (1...10).map { "room-\($0)" }
        #expect(refusal(ten) == .severalRooms("room-10", .tooManyRooms))
        #expect(refusal(["room-a", "room-b"], ["\(folder)/room-a.token"]) != nil)
        #expect(
            refusal(["room-a", "room-b"], ["room-x=\(folder)/junk"])
                == .severalRooms("room-x=\(folder)/junk", .tokenFileForNoRoom))
        #expect(refusal(["room-a", "room-b"], ["room-b=\(folder)/junk"]) == .severalRooms("room-b", .unreadableToken))
        #expect(refusal(["room-a", "room-b"]) == .severalRooms("room-b", .missingToken), "no one to ask")
        let asked = RoomTokens(
            rooms: ["room-a", "room-b"], files: [], directory: folder,
            ask: { $0.contains("room-b") ? Self.token(role: "facilitator", room: "room-b") : nil })
        #expect(try asked.resolve().count == 2, "asked for the room without a file, by name")
        for problem in [SeveralRoomsProblem.repeatedRoom, .tooManyRooms, .tokenFileForNoRoom, .missingToken] {
            #expect(ClientFailure.severalRooms("x", problem).exitStatus == 2)
        }
    }
}
