/// Round-trip times in a fixed-size log-linear histogram (like HdrHistogram):
/// values below 128 ns are exact, above that each power of two is split into
/// 64 buckets, so a bucket is at most 1/64 (1.6 %) wide. Memory is fixed
/// (about 22 KiB) however many values are recorded.
public struct LatencyHistogram: Sendable {
    /// Bits of sub-bucket resolution: 128 linear buckets, then 64 per octave.
    private static let subBits = 7
    private static let subCount = 1 << subBits
    private static let halfCount = subCount / 2
    /// Largest shift kept; values from 2^46 ns (about 19 hours) share the top bucket.
    private static let maxShift = 40
    private static let bucketCount = (maxShift + 1) * halfCount + subCount

    /// An empty histogram.
    public init() {}

    private var counts = [UInt64](repeating: 0, count: LatencyHistogram.bucketCount)
    /// Values recorded.
    public private(set) var count: UInt64 = 0
    /// Largest value recorded, exact.
    public private(set) var max: UInt64 = 0

    /// Records one value in nanoseconds.
    public mutating func record(_ nanoseconds: UInt64) {
        counts[Self.index(of: nanoseconds)] &+= 1
        count &+= 1
        if nanoseconds > max { max = nanoseconds }
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count &+= other.count
        if other.max > max { max = other.max }
    }

    /// The value at `quantile` (0...1), as the middle of its bucket, in
    /// nanoseconds; `nil` when nothing was recorded.
    public func value(atQuantile quantile: Double) -> UInt64? {
        guard count > 0 else { return nil }
        let rank = UInt64(Swift.max(1, (quantile * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return Swift.min(Self.middle(of: index), max) }
        }
        return max
    }

    private static func index(of value: UInt64) -> Int {
        if value < UInt64(subCount) { return Int(value) }
        let highestBit = 63 - value.leadingZeroBitCount
        let shift = Swift.min(highestBit - (subBits - 1), maxShift)
        let sub = Swift.min(Int(value >> UInt64(shift)), subCount - 1)
        return shift * halfCount + sub
    }

    private static func middle(of index: Int) -> UInt64 {
        if index < subCount { return UInt64(index) }
        let shift = index / halfCount - 1
        let sub = UInt64(index - shift * halfCount)
        let lower = sub << UInt64(shift)
        return lower + (UInt64(1) << UInt64(shift)) / 2
    }
}
