import CNghttp2

/// The C callbacks nghttp2 calls while it reads frames (inside
/// `nghttp2_session_mem_recv`) and writes them (inside `nghttp2_session_mem_send`).
/// Each finds its `HTTP2ServerConnection` through `user_data` (unretained:
/// the connection owns the session) and forwards plain Swift values to it.
/// Nothing here throws or traps: a missing pointer fails the callback
/// (`NGHTTP2_ERR_CALLBACK_FAILURE`), which makes nghttp2 end the session.
enum HTTP2Callbacks {
    /// A new `nghttp2_session_callbacks` with every callback of a server set;
    /// the caller frees it (`nghttp2_session_callbacks_del`) once the session is made.
    static func make() -> OpaquePointer? {
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { return nil }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, user in
            guard let frame, let connection = HTTP2Callbacks.connection(user) else { return HTTP2Callbacks.failure }
            guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
                frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
            else { return 0 }
            connection.beginRequest(frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, let name, let value, let connection = HTTP2Callbacks.connection(user) else {
                return HTTP2Callbacks.failure
            }
            let accepted = connection.header(
                frame.pointee.hd.stream_id, name: HTTP2Callbacks.string(name, nameLength),
                value: HTTP2Callbacks.string(value, valueLength))
            // Resets this stream only (RST_STREAM INTERNAL_ERROR); the connection goes on.
            return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame, let connection = HTTP2Callbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.frameReceived(frame.pointee)
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, user in
            guard let connection = HTTP2Callbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.dataReceived(streamID, UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, user in
            guard let connection = HTTP2Callbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.streamClosed(streamID, errorCode: errorCode)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, user in
            guard let frame, let connection = HTTP2Callbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.frameSent(frame.pointee)
            return 0
        }
        return callbacks
    }

    /// The data source of every stream's response body (plain or WebSocket):
    /// copies up to `length` bytes into `buffer`; the stream is found by id.
    static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, user in
        guard let buffer, let flags, let connection = HTTP2Callbacks.connection(user) else {
            return Int(HTTP2Callbacks.failure)
        }
        return connection.readBody(
            streamID, into: UnsafeMutableRawBufferPointer(start: buffer, count: length), flags: flags)
    }

    /// Fails the callback: nghttp2 ends the session (server and client alike).
    static let failure = Int32(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)

    private static func connection(_ user: UnsafeMutableRawPointer?) -> HTTP2ServerConnection? {
        guard let user else { return nil }
        return Unmanaged<HTTP2ServerConnection>.fromOpaque(user).takeUnretainedValue()
    }

    /// A header name or value as text (server and client alike).
    static func string(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
