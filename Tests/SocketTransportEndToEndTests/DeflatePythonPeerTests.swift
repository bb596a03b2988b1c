import Foundation
import Testing
import TransportTestSupport
import WebSocketCore

/// Our client, offering permessage-deflate, against an independent server: the
/// Python `websockets` library (installed by Scripts/test). Each server echoes
/// and first sends the extension header it answered with.
@Suite(.serialized) struct DeflatePythonPeerTests {
    static let pythonAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import websockets.extensions.permessage_deflate"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(
        .enabled(
            if: pythonAvailable, "skipped: python3 with the websockets package is missing (Scripts/test installs it)"),
        arguments: [
            ("server_no_context_takeover=False, client_no_context_takeover=False", PerMessageDeflateConfiguration()),
            (
                "server_no_context_takeover=True, client_no_context_takeover=True, server_max_window_bits=10",
                PerMessageDeflateConfiguration(minimumCompressedSize: 0)
            ),
            (
                "client_max_window_bits=9",
                PerMessageDeflateConfiguration(serverNoContextTakeover: true, minimumCompressedSize: 0)
            ),
        ])
    func ourClientAgainstPythonServer(serverOptions: String, configuration: PerMessageDeflateConfiguration) async throws
    {
        let server = try PythonServer(factoryArguments: serverOptions)
        defer { server.stop() }
        let client = try await TestClient.connect(port: server.port, path: "/", compression: configuration)
        guard case .text(let negotiated) = await client.nextMessage() else {
            Issue.record("the Python server sent no greeting")
            return
        }
        #expect(negotiated.hasPrefix("permessage-deflate"))
        let messages: [WebSocketMessage] = [
            .text("Hello"), .text(String(repeating: "group session ", count: 10_000)),
            .binary((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 ^ $0 >> 7) }), .text("Hello"),
        ]
        for message in messages {
            client.send(message)
            await #expect(client.nextMessage(timeout: .seconds(30)) == message)
        }
        client.close()
        await #expect(client.waitForClose() == .some(.normalClosure))
    }
}

/// A `websockets` echo server in a `python3` child on 127.0.0.1, port 0; it
/// prints its port, then serves for at most 30 s.
private final class PythonServer {
    private let process = Process()
    let port: Int

    init(factoryArguments: String) throws {
        let script = """
            import asyncio, websockets
            from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
            async def echo(ws):
                await ws.send(ws.response.headers.get("Sec-WebSocket-Extensions", ""))
                async for message in ws:
                    await ws.send(message)
            async def main():
                factory = ServerPerMessageDeflateFactory(\(factoryArguments))
                async with websockets.serve(echo, "127.0.0.1", 0, extensions=[factory], compression=None,
                                            max_size=None) as server:
                    print(server.sockets[0].getsockname()[1], flush=True)
                    await asyncio.sleep(30)
            asyncio.run(main())
            """
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while !line.contains(0x0A) {  // bounded: the child prints one line or exits (EOF)
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += data
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonServerError(output: String(decoding: line, as: UTF8.self))
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: the test process blocks SIGTERM for iopd's signal sources, and children inherit the mask.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

private struct PythonServerError: Error, CustomStringConvertible {
    let output: String
    var description: String { "the Python websockets server did not start: \(output)" }
}
