import ArgumentParser
import Dispatch
import Foundation
import Logging
import RoomServer
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
            Keys (environment variable), meaning:
            \(ServerSettings.keys.map { "  \($0.key) (\(ServerSettings.environmentName(for: $0.key))): \($0.meaning)" }.joined(separator: "\n"))
            """)

    @Option(help: "YAML configuration file (missing is fine).")
    var config = "Config/iopd.yaml"

    @Option(help: "Address to listen on (server.host).")
    var host: String?

    @Option(help: "TCP port, 0 for any free one (server.port).")
    var port: Int?

    @Option(name: .customLong("set"), help: "Any setting as key=value, e.g. --set log.level=debug.")
    var settings: [String] = []

    func run() async throws {
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
        let signals = TerminationSignals()
        let logger = Logger(label: "iopd")
        let application = try await ServerApplication(settings: settings, logger: logger)
        let address = try application.start()
        // One line on stdout that scripts and tests read to find the port.
        print("iopd listening on \(address)\(application.server.usesTLS ? " (tls)" : "")")
        fflush(nil)
        let hangup = TLSReloadSignal(application: application, logger: logger)
        let signal = await signals.wait()
        hangup.cancel()
        logger.info("draining", metadata: ["signal": "\(signal)"])
        application.shutdown()
    }
}

/// Catches SIGTERM and SIGINT through Dispatch signal sources from the moment
/// it is made, so a signal that arrives before anyone waits is not lost (nor
/// allowed to kill the process undrained).
final class TerminationSignals: @unchecked Sendable {
    // `received`, `waiter` and `sources` are touched only on `queue`.
    private let queue = DispatchQueue(label: "iopd.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var received: Int32?
    private var waiter: CheckedContinuation<Int32, Never>?

    init() {
        queue.sync {
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [unowned self] in fire(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Suspends until the first signal (returns at once if one already came).
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if let received {
                    continuation.resume(returning: received)
                } else {
                    waiter = continuation
                }
            }
        }
    }

    private func fire(_ number: Int32) {
        guard received == nil else { return }
        received = number
        waiter?.resume(returning: number)
        waiter = nil
    }
}

/// SIGHUP re-reads the TLS certificate and key (after a renewal), through a
/// Dispatch signal source; open connections keep the context they started with.
struct TLSReloadSignal {
    private let source: any DispatchSourceSignal

    init(application: ServerApplication, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "iopd.sighup"))
        source.setEventHandler {
            do {
                try application.reloadTLS()
            } catch {
                logger.error(
                    "tls reload failed; still serving the previous certificate", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
    }

    func cancel() { source.cancel() }
}
