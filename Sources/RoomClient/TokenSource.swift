import Glibc

/// Where the join token comes from, in order: `--token-file`, `--token`, `IOP_TOKEN`,
/// then a prompt on the terminal with echo off. The token is never printed.
public struct TokenSource: Sendable {
    /// `--token`: the token itself.
    public let option: String?
    /// `--token-file`: a file holding the token.
    public let file: String?

    /// A source that tries `file`, then `option`, then `IOP_TOKEN`, then a prompt.
    public init(option: String?, file: String?) {
        self.option = option
        self.file = file
    }

    /// The token, or ``ClientFailure/missingToken`` when none of the places gives one.
    public func resolve() throws(ClientFailure) -> String {
        if let file {
            guard let text = Self.read(file), !text.isEmpty else { throw .missingToken }
            return text
        }
        if let option, !option.isEmpty { return option }
        if let environment = getenv("IOP_TOKEN").map({ String(cString: $0) }), !environment.isEmpty {
            return environment.trimmed()
        }
        guard let prompted = Self.prompt(), !prompted.isEmpty else { throw .missingToken }
        return prompted
    }

    /// The file's contents without surrounding whitespace (at most 16 KiB).
    static func read(_ path: String) -> String? {
        guard let handle = fopen(path, "r") else { return nil }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = fread(&buffer, 1, buffer.count, handle)
        return String(decoding: buffer[..<count], as: UTF8.self).trimmed()
    }

    /// Asks `question` on `/dev/tty` with echo off; nil when there is no terminal to ask on.
    static func prompt(_ question: String = "Join token (not shown): ") -> String? {
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard tty >= 0 else { return nil }
        defer { close(tty) }
        var saved = termios()
        guard tcgetattr(tty, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        let question = Array(question.utf8)
        _ = question.withUnsafeBytes { write(tty, $0.baseAddress, $0.count) }
        tcsetattr(tty, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(tty, TCSAFLUSH, &saved)
            _ = write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1, byte != 0x0A, byte != 0x0D, bytes.count < 16 * 1024 { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self).trimmed()
    }
}

extension String {
    /// Without surrounding whitespace and newlines.
    func trimmed() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
