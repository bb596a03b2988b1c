import Glibc

/// Per-address admission at accept time: how many connections one address
/// holds open, and how fast it may open new ones (a token bucket). Confined
/// to the server's accept queue; time comes in as a value, so tests drive it
/// with a fake clock.
///
/// An IPv4 peer is one address; an IPv6 peer is keyed by its /64 prefix,
/// since one subscriber usually holds a whole /64 and could otherwise rotate
/// through it.
struct AddressLimiter {
    /// What to do with a new connection.
    enum Decision: Equatable {
        /// Serve it.
        case admit
        /// The address already holds `maxConnectionsPerAddress` connections.
        case tooManyConnections
        /// The address opened connections faster than its bucket allows.
        case tooManyHandshakes
    }

    /// The address part of a peer (no port): 4 bytes for IPv4, the /64 for IPv6.
    struct Key: Hashable {
        let family: Int32
        let prefix: UInt64
    }

    private struct Entry {
        var open = 0
        var tokens: Double
        var refilledAt: UInt64
    }

    private let maxConnections: Int
    private let rate: Double
    private let burst: Double
    private var entries: [Key: Entry] = [:]
    private var admissionsSinceSweep = 0

    /// `maxConnections` 0 and `rate` 0 each turn that check off.
    init(maxConnections: Int, handshakesPerSecond rate: Double, burst: Double) {
        self.maxConnections = maxConnections
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Whether any check is on.
    var isEnabled: Bool { maxConnections > 0 || rate > 0 }

    /// Decides about a new connection from `key` at `now` (monotonic ns); an
    /// admitted one counts until `release(key)`.
    mutating func admit(_ key: Key, now: UInt64) -> Decision {
        guard isEnabled else { return .admit }
        sweepIfDue(now: now)
        var entry = entries[key] ?? Entry(tokens: burst, refilledAt: now)
        refill(&entry, now: now)
        if maxConnections > 0, entry.open >= maxConnections {
            entries[key] = entry
            return .tooManyConnections
        }
        if rate > 0 {
            guard entry.tokens >= 1 else {
                entries[key] = entry
                return .tooManyHandshakes
            }
            entry.tokens -= 1
        }
        entry.open += 1
        entries[key] = entry
        return .admit
    }

    /// An admitted connection from `key` has finished.
    mutating func release(_ key: Key) {
        guard var entry = entries[key] else { return }
        entry.open = max(0, entry.open - 1)
        entries[key] = entry
    }

    /// Addresses tracked now (for tests: the table does not grow without bound).
    var trackedAddresses: Int { entries.count }

    private func refill(_ entry: inout Entry, now: UInt64) {
        guard rate > 0, now > entry.refilledAt else { return }
        let elapsed = Double(now - entry.refilledAt) / 1e9
        entry.tokens = min(burst, entry.tokens + elapsed * rate)
        entry.refilledAt = now
    }

    /// Every 1,024 admissions, forgets addresses with nothing open and a full
    /// bucket: remembering them would change no decision.
    private mutating func sweepIfDue(now: UInt64) {
        admissionsSinceSweep += 1
        guard admissionsSinceSweep >= 1024 else { return }
        admissionsSinceSweep = 0
        entries = entries.filter { _, entry in
            var entry = entry
            refill(&entry, now: now)
            return entry.open > 0 || (rate > 0 && entry.tokens < burst)
        }
    }
}

extension SocketAddress {
    /// This peer's key for ``AddressLimiter``.
    var limiterKey: AddressLimiter.Key {
        storage.withUnsafeBytes { bytes in
            if family == AF_INET6 {
                let address = bytes.load(as: sockaddr_in6.self).sin6_addr
                let prefix = withUnsafeBytes(of: address) { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
                return AddressLimiter.Key(family: AF_INET6, prefix: prefix)
            }
            let address = bytes.load(as: sockaddr_in.self).sin_addr.s_addr
            return AddressLimiter.Key(family: AF_INET, prefix: UInt64(UInt32(bigEndian: address)))
        }
    }
}
