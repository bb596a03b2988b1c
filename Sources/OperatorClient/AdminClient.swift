import Foundation
import RoomProtocol

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small client of the admin API over Foundation's URLSession (plain HTTP
/// and HTTPS; FoundationNetworking on Linux).
public struct AdminClient: Sendable {
    /// The server's base URL (`http://127.0.0.1:8080`).
    public let base: URL
    /// The operator token, sent as `Authorization: Bearer`.
    public let token: String

    /// A client of the server at `base` with the operator `token`.
    public init(base: URL, token: String) {
        self.base = base
        self.token = token
    }

    /// GETs `path` and decodes the body as `T`.
    public func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try decode(try await send("GET", path), as: type)
    }

    /// POSTs (no body) to `path` and decodes the answer as an outcome.
    public func post(_ path: String) async throws -> AdminOutcome {
        try decode(try await send("POST", path), as: AdminOutcome.self)
    }

    /// The raw body of a POST (no body), for answers that are not an outcome (`invite`).
    public func postRaw(_ path: String) async throws -> Data {
        try await send("POST", path)
    }

    /// The raw body of a GET, for `--json`.
    public func raw(_ path: String) async throws -> String {
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
