import RoomClient
import RoomServer
import ServerTestSupport
import Testing
import TransportTestSupport

/// wss:// failures are told apart (issue 18, item 12): an unknown certificate
/// authority, a certificate for another host name and an expired certificate each
/// get their own machine code, sentence and advice, against a real server using the
/// dev certificates of `Scripts/dev-cert`.
@Suite(.serialized) struct TLSFailureTests {
    /// (server certificate, CA the client trusts, code, words of the summary, words of the advice)
    static let cases: [(String, String, String, String, String)] = [
        ("untrusted", "ca.pem", "tls_untrusted", "not signed by a certificate authority iop trusts", "--ca-file"),
        ("server", "other-ca.pem", "tls_untrusted", "not signed by a certificate authority iop trusts", "--ca-file"),
        ("wronghost", "ca.pem", "tls_wrong_host", "for a different host name", "Check the server address"),
        ("expired", "ca.pem", "tls_expired", "has expired", "date and time"),
    ]

    @Test(arguments: cases)
    func eachFailureSaysWhatFailed(
        _ certificate: String, _ trusted: String, _ code: String, _ what: String, _ todo: String
    )
        async throws
    {
        var settings = ServerSettings()
        settings.tls = try DevCertificates.server(certificate)
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let address = try ServerAddress(
            url: "wss://127.0.0.1:\(harness.port)", room: Room.id, trustedCAFile: try DevCertificates.path(trusted))
        let (_, recorder) = try await Room(harness: harness).connect("sky", "participant", address: address)
        let failure = try #require(await recorder.finalFailure())
        #expect(failure.code == code)
        #expect(failure.summary.contains(what), "\(failure.summary)")
        #expect(failure.advice.contains(todo), "\(failure.advice)")
        #expect(failure.exitStatus == 6)
        #expect(!failure.isRetryable, "a certificate problem is not fixed by trying again")
        let others = Self.cases.filter { $0.2 != code }
        #expect(others.allSatisfy { !failure.description.contains($0.3) }, "one failure, one sentence")
    }
}
