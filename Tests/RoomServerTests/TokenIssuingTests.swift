import Foundation
import RoomServer
import Testing

/// The claims `iopctl token issue` signs (docs/OPERATIONS.md "Tokens").
@Suite struct TokenIssuingTests {
    let now = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func anOperatorTokenIsForEveryRoomWithAnOperatorID() {
        let claims = TokenClaims.issuing(
            role: TokenAuthority.operatorRole, room: nil, alias: "Ops", member: nil, lifetime: 3600, now: now)
        #expect(claims.room == "*")
        #expect(claims.subject.value.hasPrefix("op-"))
        #expect(claims.subject.value.count == 3 + 18)
        #expect(claims.expiration.value == now.addingTimeInterval(3600))
        #expect(claims.issuedAt?.value == now)
    }

    @Test func aMemberKeepsTheGivenIDAndEachTokenItsOwnTokenID() {
        let first = TokenClaims.issuing(
            role: "participant", room: "evening", alias: "Sam", member: "m-sam", lifetime: 60, now: now)
        let second = TokenClaims.issuing(
            role: "participant", room: "evening", alias: "Sam", member: nil, lifetime: 60, now: now)
        #expect(first.subject.value == "m-sam")
        #expect(first.room == "evening")
        #expect(second.subject.value.hasPrefix("m-") && second.subject.value.count == 2 + 18)
        #expect(first.tokenID.value != second.tokenID.value)
    }
}
