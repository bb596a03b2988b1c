import Foundation
import Testing

@testable import RoomServer

/// `rooms.maxRooms`: a safe default, and a bad value refused at start-up naming the key.
@Suite struct RoomLimitSettingsTests {
    @Test func theDefaultIsFiveHundredAndAValueIsRead() async throws {
        #expect(ServerSettings().maxRooms == 500)
        let settings = try await ServerSettings.load(
            configFile: nil, environment: [:], overrides: ["rooms.maxRooms": "40"])
        #expect(settings.maxRooms == 40)
    }

    @Test func aBadLimitStopsTheStart() async {
        await SettingsTesting.expectRefused([
            (["rooms.maxRooms": "0"], "rooms.maxRooms"), (["rooms.maxRooms": "100001"], "rooms.maxRooms"),
        ])
    }
}
