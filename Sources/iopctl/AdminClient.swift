import ArgumentParser
import Foundation
import RoomProtocol

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
        guard let base = URL(string: server), ["http", "https"].contains(base.scheme ?? "") else {
            throw ValidationError("--server must be an http:// or https:// URL, got \(server)")
        }
        return AdminClient(base: base, token: try bearer())
    }
}

/// What went wrong talking to the admin API, for the operator.
struct AdminClientError: Error, CustomStringConvertible {
    /// The HTTP status, or nil when no answer came.
    var status: Int?
    /// The code word (`wrong_role`...), or `unreachable`.
    var code: String
    /// The sentence.
    var message: String

    var description: String {
        status.map { "\($0) \(code): \(message)" } ?? "\(code): \(message)"
    }
}

/// A small client of the admin API over Foundation's URLSession (plain HTTP
/// and HTTPS; FoundationNetworking on Linux).
struct AdminClient: Sendable {
    let base: URL
    let token: String

    /// GETs `path` and decodes the body as `T`.
    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try decode(try await send("GET", path), as: type)
    }

    /// POSTs (no body) to `path` and decodes the answer as an outcome.
    func post(_ path: String) async throws -> AdminOutcome {
        try decode(try await send("POST", path), as: AdminOutcome.self)
    }

    /// The raw body of a GET, for `--json`.
    func raw(_ path: String) async throws -> String {
        String(decoding: try await send("GET", path), as: UTF8.self)
    }

    private func send(_ method: String, _ path: String) async throws -> Data {
        guard let url = URL(string: path, relativeTo: base) else {
            throw AdminClientError(status: nil, code: "bad_path", message: path)
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if method == "POST" { request.httpBody = Data() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw AdminClientError(status: nil, code: "unreachable", message: "\(base): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let refusal = try? JSONDecoder().decode(AdminError.self, from: data)
            throw AdminClientError(
                status: status, code: refusal?.error ?? "http_error",
                message: refusal?.message ?? String(decoding: data, as: UTF8.self))
        }
        return data
    }

    private func decode<T: Decodable>(_ data: Data, as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw AdminClientError(status: nil, code: "bad_answer", message: "unexpected JSON from the server")
        }
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
