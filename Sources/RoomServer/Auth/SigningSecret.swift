import Crypto
import Foundation

/// The HS256 signing secret: from configuration, or created on first run in
/// the data folder (file mode 0600) and read back on later runs.
public enum SigningSecret {
    /// The file name under the data folder.
    public static let fileName = "signing-secret"

    /// The secret in `configured` (if non-empty), else the data folder's file,
    /// created with 32 random bytes if missing.
    public static func load(configured: String?, dataDirectory: String) throws -> [UInt8] {
        if let configured, !configured.isEmpty {
            let bytes = Array(configured.utf8)
            guard bytes.count >= 32 else { throw SettingsError.outOfRange("auth.secret", "at least 32 bytes") }
            return bytes
        }
        let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        let file = directory.appendingPathComponent(fileName)
        let manager = FileManager.default
        if let existing = manager.contents(atPath: file.path), existing.count >= 32 {
            return Array(existing)
        }
        try manager.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        guard manager.createFile(atPath: file.path, contents: Data(secret), attributes: [.posixPermissions: 0o600])
        else {
            throw SettingsError.unreadableFile(file.path, "cannot create the signing secret")
        }
        return secret
    }
}
