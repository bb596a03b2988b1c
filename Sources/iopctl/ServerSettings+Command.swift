import ArgumentParser
import Foundation
import RoomServer

extension ServerSettings {
    /// The server's settings as `iopd` reads them (`configFile`, then the `IOPD_*`
    /// environment), for a command that works beside it; a bad setting is the
    /// command's usage error, naming the key.
    static func forCommand(configFile: String) async throws -> ServerSettings {
        do {
            return try await load(
                configFile: configFile, environment: ProcessInfo.processInfo.environment, overrides: [:])
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
