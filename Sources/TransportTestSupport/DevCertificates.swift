import Foundation
import SocketTransport

/// TLS material for tests, made once per test process by `Scripts/dev-cert`
/// (the `openssl` command) in a temporary folder.
public enum DevCertificates {
    /// The folder holding `ca.pem`, `server.pem`/`.key`, `expired`, `wronghost`,
    /// `untrusted` (signed by `other-ca.pem`); nil if the script failed.
    public static let folder: String? = {
        let folder = NSTemporaryDirectory() + "iop-dev-cert-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: repositoryRoot + "/Scripts/dev-cert")
        process.arguments = [folder]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? folder : nil
    }()

    /// The repository's root folder (this file is `Sources/TransportTestSupport/DevCertificates.swift`).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The path of `name` (e.g. `ca.pem`) in the folder.
    public static func path(_ name: String) throws -> String {
        guard let folder else { throw DevCertificateError() }
        return folder + "/" + name
    }

    /// A server identity: `name.pem` (chain) and `name.key`; `server` is the valid one.
    public static func server(_ name: String = "server") throws -> TLSConfiguration {
        TLSConfiguration(certificateChainFile: try path("\(name).pem"), privateKeyFile: try path("\(name).key"))
    }

    /// A client that trusts the dev CA (or `caFile`, a file in the folder).
    public static func client(trusting caFile: String = "ca.pem") throws -> TLSClientConfiguration {
        TLSClientConfiguration(trustedCAFile: try path(caFile))
    }
}

/// `Scripts/dev-cert` could not make the certificates.
public struct DevCertificateError: Error, CustomStringConvertible {
    /// For the test log.
    public var description: String { "Scripts/dev-cert failed (is the openssl command installed?)" }
}
