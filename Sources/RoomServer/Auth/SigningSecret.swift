import Crypto
import Foundation

/// The HS256 signing secret: from configuration, or created by `iopd` on its
/// first run in the data folder (file mode 0600) and read back on later runs.
/// The HMAC key is the secret's bytes as they are (the file's bytes, or the
/// UTF-8 bytes of `auth.secret`).
public enum SigningSecret {
    /// The file name under the data folder.
    public static let fileName = "signing-secret"
    /// The shortest secret accepted: 32 bytes (256 bits, HS256's output size; RFC 7518 §3.2).
    public static let minimumBytes = 32

    /// For `iopd`: the secret in `configured` (if non-empty), else the data
    /// folder's file, created with 32 random bytes if (and only if) it does not
    /// exist. A file that exists but is short, unreadable or readable by other
    /// users is an error naming it: replacing it would invalidate every token.
    public static func load(configured: String?, dataDirectory: String) throws -> [UInt8] {
        if let configured = try fromConfiguration(configured) { return configured }
        let file = path(in: dataDirectory)
        if let existing = try readFile(file) { return existing }
        let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        let manager = FileManager.default
        try manager.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        guard manager.createFile(atPath: file, contents: Data(secret), attributes: [.posixPermissions: 0o600])
        else {
            throw SettingsError.unusableFile(file, role: "signing secret", reason: "it cannot be created")
        }
        return secret
    }

    /// For tools (`iopctl token issue`): as ``load(configured:dataDirectory:)``
    /// but never creates a secret: a missing file is an error saying where it
    /// looked, since tokens signed with a new secret would never be accepted.
    public static func read(configured: String?, dataDirectory: String) throws -> [UInt8] {
        if let configured = try fromConfiguration(configured) { return configured }
        let file = path(in: dataDirectory)
        guard let existing = try readFile(file) else {
            throw SettingsError.unusableFile(
                file, role: "signing secret",
                reason: "there is none (only iopd creates it, on its first start). Point at the server's data "
                    + "folder with --data-dir or IOPD_SERVER_DATA_DIRECTORY (as the server's unit sets it, e.g. "
                    + "/var/lib/iopd), or give the server's secret in IOPD_AUTH_SECRET")
        }
        return existing
    }

    /// The secret file's path in `dataDirectory`.
    public static func path(in dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(fileName).path
    }

    private static func fromConfiguration(_ configured: String?) throws(SettingsError) -> [UInt8]? {
        guard let configured, !configured.isEmpty else { return nil }
        let bytes = Array(configured.utf8)
        guard bytes.count >= minimumBytes else { throw .outOfRange("auth.secret", "at least 32 bytes") }
        return bytes
    }

    /// The file's bytes; nil if it does not exist; an error if it cannot be used.
    private static func readFile(_ file: String) throws(SettingsError) -> [UInt8]? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: file) else { return nil }
        let mode = (try? manager.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0
        guard mode & 0o077 == 0 else {
            let octal = String(mode & 0o777, radix: 8)
            throw .unusableFile(
                file, role: "signing secret",
                reason: "it is readable by other users (mode \(octal)), who could sign tokens for any room; "
                    + "run chmod 600 on it (and make sure it was not copied elsewhere)")
        }
        guard let contents = manager.contents(atPath: file) else {
            throw .unusableFile(file, role: "signing secret", reason: "it cannot be read")
        }
        guard contents.count >= minimumBytes else {
            throw .unusableFile(
                file, role: "signing secret",
                reason: "it holds \(contents.count) bytes, fewer than \(minimumBytes) (truncated?); restore it "
                    + "from a backup, or delete it to have iopd make a new one, which invalidates every token")
        }
        return Array(contents)
    }
}
