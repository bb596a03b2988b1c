import ArgumentParser
import Foundation
import OperatorClient

/// Options every admin command takes: where the server is and the operator's token.
struct AdminOptions: ParsableArguments {
    @Option(help: "The server's base URL (http:// or https://).")
    var server = "http://127.0.0.1:8080"

    @Option(help: "The operator token (prefer --token-file or IOPCTL_TOKEN: arguments show in `ps`).")
    var token: String?

    @Option(help: "A file holding the operator token.")
    var tokenFile: String?

    /// The token from --token, --token-file or IOPCTL_TOKEN, in that order.
    func bearer() throws -> String {
        try Self.bearer(token: token, tokenFile: tokenFile)
    }

    /// The token from `token`, `tokenFile` or IOPCTL_TOKEN, in that order.
    static func bearer(token: String?, tokenFile: String?) throws -> String {
        if let token, !token.isEmpty { return token }
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("cannot read --token-file \(tokenFile)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token = ProcessInfo.processInfo.environment["IOPCTL_TOKEN"], !token.isEmpty { return token }
        throw ValidationError(
            "an operator token is needed: --token-file, IOPCTL_TOKEN or --token "
                + "(iopctl token issue --role operator --alias NAME)")
    }

    /// A client for these options.
    func client() throws -> AdminClient {
        try Self.client(server: server, token: bearer())
    }

    /// A client of `server` (an http:// or https:// base URL) with `token`.
    static func client(server: String, token: String) throws -> AdminClient {
        guard let base = URL(string: server), ["http", "https"].contains(base.scheme ?? "") else {
            throw ValidationError("--server must be an http:// or https:// URL, got \(server)")
        }
        return AdminClient(base: base, token: token)
    }
}

/// For the commands that read the records (`audit verify`, `attendance
/// export`): with `--server` they ask that node's admin API (from any host,
/// any node of a cluster); without it they open the records database the
/// settings name, on the server's own host.
struct RecordsSourceOptions: ParsableArguments {
    @Option(help: "A node's base URL (http:// or https://): read the records through its admin API.")
    var server: String?

    @Option(help: "With --server: the operator token (prefer --token-file or IOPCTL_TOKEN).")
    var token: String?

    @Option(help: "With --server: a file holding the operator token.")
    var tokenFile: String?

    /// The admin client when `--server` was given; nil to read the records locally.
    func client() throws -> AdminClient? {
        guard let server else { return nil }
        return try AdminOptions.client(server: server, token: AdminOptions.bearer(token: token, tokenFile: tokenFile))
    }
}

/// Runs `body`, turning an admin failure into a message on stderr and exit status 1.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as AdminClientError {
        FileHandle.standardError.write(Data("iopctl: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
