import CSV
import Foundation

/// The CSV and JSON writing the attendance report and the against-plan export share.
enum TableOutput {
    /// `header` then `rows` as RFC 4180 CSV: CRLF line ends, fields with commas, quotes or
    /// line breaks quoted (yaslab/CSV.swift's writer), ending with a line break.
    static func csv(header: [String], rows: [[String]]) throws -> String {
        let stream = OutputStream.toMemory()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in [header] + rows { try writer.write(row: row) }
        stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// Each row as a JSON object keyed by `header`, each field given its JSON type by `typed(column, field)`.
    static func objects(
        header: [String], rows: [[String]], typed: (String, String) -> Any
    ) -> [[String: Any]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, typed($0, $1)) }) }
    }

    /// `object` as pretty-printed JSON with sorted keys, ending with a line break.
    static func json(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
