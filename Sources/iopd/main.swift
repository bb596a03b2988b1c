import ArgumentParser
import Foundation
import Logging
import RoomServer
import ServiceLifecycle
import SocketTransport

/// `iopd`: the VirtualIOP server. Argument parsing and start-up only.
@main
struct IOPD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iopd",
        abstract: "The VirtualIOP group-session server.",
        discussion: """
            Settings come from built-in defaults, then the YAML file (--config), then
            IOPD_* environment variables, then flags (--set key=value).
            Keys (environment variable, default): meaning
            \(ServerSettings.keys.map { Self.helpLine($0.key, $0.meaning) }.joined(separator: "\n"))
            """)

    /// `  server.port (IOPD_SERVER_PORT, default 8080): TCP port`.
    static func helpLine(_ key: String, _ meaning: String) -> String {
        let fallback = ServerSettings.defaultValue(of: key) ?? "?"
        return "  \(key) (\(ServerSettings.environmentName(for: key)), default \(fallback)): \(meaning)"
    }

    @Option(help: "YAML configuration file (missing is fine).")
    var config = "Config/iopd.yaml"

    @Option(help: "Address to listen on (server.host).")
    var host: String?

    @Option(help: "TCP port, 0 for any free one (server.port).")
    var port: Int?

    @Option(name: .customLong("set"), help: "Any setting as key=value, e.g. --set log.level=debug.")
    var settings: [String] = []

    func run() async throws {
        MemoryTrim.limitArenas()
        var overrides: [String: String] = [:]
        for pair in settings {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--set expects key=value, got \(pair)") }
            overrides[String(parts[0])] = String(parts[1])
        }
        if let host { overrides["server.host"] = host }
        if let port { overrides["server.port"] = String(port) }
        let settings: ServerSettings
        do {
            settings = try await ServerSettings.load(
                configFile: config, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            throw ValidationError("\(error)")
        }
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                settings.logFormat == .json
                ? JSONLogHandler.standardError(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "iopd")
        let application: ServerApplication
        do {
            application = try await ServerApplication(settings: settings, logger: logger)
        } catch let error as SettingsError {
            // The signing secret, the data folder lock, the rooms file: named, exit 64 like any bad setting.
            throw ValidationError("\(error)")
        }
        let statistics = application.server.statistics
        let trimming = MemoryTrim.start { statistics.openConnections.load(ordering: .relaxed) }
        defer { trimming.cancel() }
        // SIGTERM and SIGINT drain through swift-service-lifecycle; the drain
        // is the same one `POST /v1/admin/drain` starts.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    // An admin drain ends the service on its own: that ends the group cleanly (exit 0).
                    ServiceGroupConfiguration.ServiceConfiguration(
                        service: ServerService(application: application, logger: logger),
                        successTerminationBehavior: .gracefullyShutdownGroup)
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `iopd` as a swift-service-lifecycle service: listens, then runs until a
/// drain (from a signal or the admin API) has finished; the process then exits 0.
struct ServerService: Service, CustomStringConvertible {
    let application: ServerApplication
    let logger: Logger

    var description: String { "iopd" }

    func run() async throws {
        let address = try application.start()
        // One line on stdout that scripts and tests read to find the port.
        print("iopd listening on \(address)\(application.server.usesTLS ? " (tls)" : "")")
        fflush(nil)
        let hangup = TLSReloadSignal(application: application, logger: logger)
        defer { hangup.cancel() }
        let drain = application.drain
        await withGracefulShutdownHandler {
            await drain.waitUntilFinished()
        } onGracefulShutdown: {
            drain.begin(reason: "signal")
        }
    }
}
