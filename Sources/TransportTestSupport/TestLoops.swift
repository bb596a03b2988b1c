import SocketTransport

/// Event loops shared by test clients.
public enum TestLoops {
    /// Two loops for client connections in tests.
    public static let shared = EventLoopGroup(count: 2, label: "iop.test-client")
}
