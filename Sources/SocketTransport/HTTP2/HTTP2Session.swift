import CNghttp2

/// What the server's and the client's HTTP/2 connections do alike with
/// their `nghttp2_session`: start it (our callbacks, options, the
/// budget-charged allocator, our SETTINGS), drain what it has to send into
/// the link, and free it. Plain functions over the C pointers, nothing per frame.
enum HTTP2Session {
    /// `nghttp2_session_server_new3` or `nghttp2_session_client_new3`.
    typealias New = (
        UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafeMutableRawPointer?, OpaquePointer?,
        UnsafeMutablePointer<nghttp2_mem>?
    ) -> Int32

    /// A session made by `new` with `callbacks` (freed here), `owner` as
    /// `user_data` (unretained: the owner holds the session), the common
    /// options plus `configure`'s, and nghttp2's memory charged to
    /// `allocator`; our `settings` queued. Counted as a new open connection.
    /// Nil, with everything freed, if nghttp2 could not be set up.
    static func start(
        _ new: New, callbacks: OpaquePointer?, owner: AnyObject, allocator: HTTP2Allocator,
        limits: HTTP2Configuration, settings: [nghttp2_settings_entry], statistics: TransportStatistics,
        configure: (OpaquePointer) -> Void = { _ in }
    ) -> OpaquePointer? {
        guard
            let session = make(
                new, callbacks: callbacks, owner: owner, allocator: allocator, limits: limits, configure),
            submit(settings, to: session)
        else {
            allocator.releaseAll()
            return nil
        }
        statistics.http2.connections.add(1, ordering: .relaxed)
        statistics.http2.openConnections.add(1, ordering: .relaxed)
        return session
    }

    /// Moves what nghttp2 has to send into `link` until it has nothing more
    /// (or the link closed); asks the link to close after its queue when
    /// nghttp2 wants neither to read nor to write. Returns nghttp2's error if
    /// `nghttp2_session_mem_send` failed, nil otherwise.
    static func drain(_ session: OpaquePointer, into link: HTTP2SocketLink) -> Int32? {
        while true {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            if count < 0 { return Int32(count) }
            guard count > 0, let data else { break }
            link.write(Array(UnsafeBufferPointer(start: data, count: count)))
            if link.isClosed { return nil }
        }
        if nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0 {
            link.closeAfterFlush()
        }
        return nil
    }

    /// The connection is over: the session (if any) and all nghttp2 held
    /// are freed and given back to the budget; one open connection fewer.
    static func end(_ session: OpaquePointer?, allocator: HTTP2Allocator, statistics: TransportStatistics) {
        if let session { nghttp2_session_del(session) }
        allocator.releaseAll()
        statistics.http2.openConnections.subtract(1, ordering: .relaxed)
    }

    private static func make(
        _ new: New, callbacks: OpaquePointer?, owner: AnyObject, allocator: HTTP2Allocator,
        limits: HTTP2Configuration, _ configure: (OpaquePointer) -> Void
    ) -> OpaquePointer? {
        guard let callbacks else { return nil }
        defer { nghttp2_session_callbacks_del(callbacks) }
        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0, let option else { return nil }
        defer { nghttp2_option_del(option) }
        // Flow control follows what each stream takes in (`nghttp2_session_consume`).
        nghttp2_option_set_no_auto_window_update(option, 1)
        nghttp2_option_set_max_outbound_ack(option, limits.maxOutboundAcks)
        nghttp2_option_set_max_settings(option, limits.maxSettingsEntries)
        configure(option)
        var mem = allocator.makeMem()
        var session: OpaquePointer?
        let user = Unmanaged.passUnretained(owner).toOpaque()
        guard new(&session, callbacks, user, option, &mem) == 0 else { return nil }
        return session
    }

    /// `nghttp2_submit_settings` (RFC 9113 §6.5); on failure the session is deleted.
    private static func submit(_ settings: [nghttp2_settings_entry], to session: OpaquePointer) -> Bool {
        var entries = settings
        guard nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count) == 0
        else {
            nghttp2_session_del(session)
            return false
        }
        return true
    }
}
