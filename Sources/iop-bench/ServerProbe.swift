import BenchSupport

/// The server process as `/proc` shows it: memory at a moment, CPU over a
/// window. Every figure is nil without `--server-pid`.
struct ServerProbe {
    /// CPU seconds and wall seconds of one window.
    struct Window {
        /// Server CPU seconds (user + system) used in the window.
        var serverCPU: Double?
        /// The server's status at the end of the window.
        var status: ProcessProbe.Status?
    }

    private let pid: Int32?
    private var cpuAtStart: Double?

    init(pid: Int32?) {
        self.pid = pid
    }

    /// `VmRSS` and threads now.
    func status() -> ProcessProbe.Status? {
        pid.flatMap { ProcessProbe.status(pid: $0) }
    }

    /// Starts a CPU window.
    mutating func startWindow() {
        cpuAtStart = pid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
    }

    /// Ends the CPU window.
    func endWindow() -> Window {
        let now = pid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
        var window = Window(status: status())
        if let now, let cpuAtStart { window.serverCPU = now - cpuAtStart }
        return window
    }
}
