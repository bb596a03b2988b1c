import Configuration
import SocketTransport

/// Watches every read of a setting and keeps the first value that did not
/// convert to the type it is read as (`limits.maxConnections=abc`).
final class SettingsAccessRecorder: AccessReporter, Sendable {
    private struct Reads {
        var firstFailure: SettingsError?
        var keysRead: Set<String> = []
    }

    private let reads = LockedValue(Reads())

    /// Every key read so far.
    var readKeys: Set<String> { reads.withLock { $0.keysRead } }

    /// Records a read whose value was present but unusable.
    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        reads.withLock { _ = $0.keysRead.insert(key) }
        let providerFailed = event.providerResults.contains {
            if case .failure = $0.result { return true }
            return false
        }
        var resultFailed = false
        if case .failure = event.result { resultFailed = true }
        guard providerFailed || resultFailed || event.conversionError != nil else { return }
        let failure = SettingsError.badValue(key, expected: Self.expectation(event.metadata.valueType))
        reads.withLock { reads in
            if reads.firstFailure == nil { reads.firstFailure = failure }
        }
    }

    /// Throws the first unusable value seen, if any.
    func check() throws(SettingsError) {
        if let failure = reads.withLock({ $0.firstFailure }) { throw failure }
    }

    /// What a value of `type` must look like, for the operator.
    static func expectation(_ type: ConfigType) -> String {
        switch type {
        case .string: "a string"
        case .int: "a whole number such as 16384"
        case .double: "a number such as 45 or 1.5 (no unit)"
        case .bool: "true or false"
        case .bytes: "bytes"
        case .stringArray: "a list of strings"
        case .intArray: "a list of whole numbers"
        case .doubleArray: "a list of numbers"
        case .boolArray: "a list of true or false"
        case .byteChunkArray: "a list of byte strings"
        }
    }
}
