import Glibc

/// Figures about processes, read from `/proc` and `getrusage(2)`, and the
/// process limits the bench needs.
public enum ProcessProbe {
    /// What `/proc/PID/status` says about memory and threads.
    public struct Status: Sendable {
        /// Resident set size (`VmRSS`), KiB.
        public var residentKiB: Int
        /// Threads (`Threads`).
        public var threads: Int
    }

    /// CPU seconds (user + system) of `pid`, from fields 14 and 15 of
    /// `/proc/PID/stat`, converted with `sysconf(_SC_CLK_TCK)`.
    public static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = readFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // After the command name (which may hold spaces): field 3 (state) onwards.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `VmRSS` and `Threads` of `pid`, from `/proc/PID/status`.
    public static func status(pid: Int32) -> Status? {
        guard let text = readFile("/proc/\(pid)/status") else { return nil }
        var resident: Int?
        var threads: Int?
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2 else { continue }
            if parts[0] == "VmRSS:" { resident = Int(parts[1]) }
            if parts[0] == "Threads:" { threads = Int(parts[1]) }
        }
        guard let resident, let threads else { return nil }
        return Status(residentKiB: resident, threads: threads)
    }

    /// CPU seconds (user + system) this process has used, from `getrusage(RUSAGE_SELF)`.
    public static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Raises the soft `RLIMIT_NOFILE` (`setrlimit(2)`) to at least `needed`,
    /// and the hard limit too if allowed. Returns the soft limit now in force.
    public static func raiseOpenFileLimit(to needed: Int) -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        let wanted = rlim_t(needed)
        if limit.rlim_cur >= wanted { return Int(clamping: limit.rlim_cur) }
        if limit.rlim_max < wanted {
            var raised = rlimit(rlim_cur: wanted, rlim_max: wanted)
            if setrlimit(resource, &raised) == 0 { return needed }
        }
        limit.rlim_cur = Swift.min(wanted, limit.rlim_max)
        _ = setrlimit(resource, &limit)
        _ = getrlimit(resource, &limit)
        return Int(clamping: limit.rlim_cur)
    }

    /// CPUs this process may run on, e.g. 1 under `taskset -c 1`: the bits of
    /// `Cpus_allowed` in `/proc/self/status` (the `sched_getaffinity(2)` mask).
    public static func allowedCPUCount() -> Int {
        guard let text = readFile("/proc/self/status") else { return 1 }
        for line in text.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            let mask = line.dropFirst("Cpus_allowed:".count)
            let bits = mask.reduce(0) { $0 + (Int(String($1), radix: 16)?.nonzeroBitCount ?? 0) }
            return Swift.max(1, bits)
        }
        return 1
    }

    /// Whether a process with this id exists.
    public static func exists(pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// A small text file, read whole (at most 64 KiB).
    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<16 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Monotonic time in nanoseconds (`clock_gettime(CLOCK_MONOTONIC)`).
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
