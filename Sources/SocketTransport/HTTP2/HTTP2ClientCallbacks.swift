import CNghttp2

/// The C callbacks of a client session (`HTTP2ClientConnection`), the same
/// pattern as the server's `HTTP2Callbacks`: each finds its connection
/// through `user_data` (unretained: the connection owns the session) and
/// forwards plain Swift values. Nothing here throws or traps.
enum HTTP2ClientCallbacks {
    /// A new `nghttp2_session_callbacks` with every callback of a client set;
    /// the caller frees it once the session is made.
    static func make() -> OpaquePointer? {
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { return nil }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, let name, let value, let connection = HTTP2ClientCallbacks.connection(user) else {
                return HTTP2Callbacks.failure
            }
            let accepted = connection.header(
                frame.pointee.hd.stream_id, name: HTTP2Callbacks.string(name, nameLength),
                value: HTTP2Callbacks.string(value, valueLength))
            // Resets this stream only; the connection and its other streams go on.
            return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame, let connection = HTTP2ClientCallbacks.connection(user) else {
                return HTTP2Callbacks.failure
            }
            connection.frameReceived(frame.pointee)
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, user in
            guard let connection = HTTP2ClientCallbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.dataReceived(streamID, UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, user in
            guard let connection = HTTP2ClientCallbacks.connection(user) else { return HTTP2Callbacks.failure }
            connection.streamClosed(streamID, errorCode: errorCode)
            return 0
        }
        return callbacks
    }

    /// The data source of every extended CONNECT stream: the WebSocket's
    /// bytes once the stream is open, deferred until then.
    static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, user in
        guard let buffer, let flags, let connection = HTTP2ClientCallbacks.connection(user) else {
            return Int(HTTP2Callbacks.failure)
        }
        return connection.readBody(
            streamID, into: UnsafeMutableRawBufferPointer(start: buffer, count: length), flags: flags)
    }

    private static func connection(_ user: UnsafeMutableRawPointer?) -> HTTP2ClientConnection? {
        guard let user else { return nil }
        return Unmanaged<HTTP2ClientConnection>.fromOpaque(user).takeUnretainedValue()
    }
}
