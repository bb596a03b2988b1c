import CNghttp2
import Dispatch

/// What nghttp2 reports while it reads the client's frames (through
/// `HTTP2Callbacks`): the stream table, the header list limit, the flood
/// counters and flow control.
extension HTTP2ServerConnection {
    /// A request's HEADERS began on a new stream.
    func beginRequest(_ id: Int32) {
        streams[id] = HTTP2Stream(id: id)
        statistics.http2.streams.add(1, ordering: .relaxed)
    }

    /// One decoded header field; false resets the stream: the list went over
    /// `maxHeaderListSize` (an HPACK bomb or a CONTINUATION flood).
    func header(_ id: Int32, name: String, value: String) -> Bool {
        guard let stream = streams[id], stream.state == .receivingHeaders else { return true }  // trailers: ignored
        guard stream.request.add(name: name, value: value, limit: limits.maxHeaderListSize) else {
            statistics.http2.count(.headerListSize)
            streams[id] = nil
            return false
        }
        return true
    }

    /// A whole frame arrived (HEADERS after its CONTINUATIONs).
    func frameReceived(_ frame: nghttp2_frame) {
        let id = frame.hd.stream_id
        let endStream = frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        let ack = frame.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0
        switch Int(frame.hd.type) {
        case Int(NGHTTP2_HEADERS.rawValue):
            guard let stream = streams[id], stream.state == .receivingHeaders else { break }
            route(stream)
        case Int(NGHTTP2_DATA.rawValue):
            if frame.hd.length == 0, !endStream { countIdleFrame() }
        case Int(NGHTTP2_RST_STREAM.rawValue):
            countReset()
        case Int(NGHTTP2_PING.rawValue), Int(NGHTTP2_SETTINGS.rawValue):
            if !ack { countIdleFrame() }
        case Int(NGHTTP2_PRIORITY.rawValue):
            countIdleFrame()
        default:
            break
        }
        if endStream, let stream = streams[id] { stream.inputEnded(self) }
    }

    /// DATA payload on stream `id`: a WebSocket stream takes it in; a plain
    /// request's body is not used (as over HTTP/1.1). Either way it is
    /// consumed, which reopens the flow-control windows (RFC 9113 §6.9).
    func dataReceived(_ id: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let session, bytes.count > 0 else { return }
        if let stream = streams[id], stream.state == .webSocket {
            stream.deliver(bytes, on: self)
            return
        }
        _ = nghttp2_session_consume(session, id, bytes.count)
    }

    /// Stream `id` is closed (both ends, or reset by either side).
    func streamClosed(_ id: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        stream.end(self)
    }

    /// A frame left: a RST_STREAM REFUSED_STREAM is nghttp2 refusing a stream
    /// over SETTINGS_MAX_CONCURRENT_STREAMS before the client acknowledged
    /// it; a GOAWAY with an error of nghttp2's own, queued while it goes on
    /// reading, is a broken protocol (among others, a stream over the limit
    /// after the acknowledgement). One that `failed` sends was counted there.
    func frameSent(_ frame: nghttp2_frame) {
        switch Int(frame.hd.type) {
        case Int(NGHTTP2_RST_STREAM.rawValue):
            if frame.rst_stream.error_code == NGHTTP2_REFUSED_STREAM.rawValue {
                statistics.http2.count(.concurrentStreams)
            }
        case Int(NGHTTP2_GOAWAY.rawValue):
            let ours: Set<UInt32> = [
                NGHTTP2_NO_ERROR.rawValue, NGHTTP2_ENHANCE_YOUR_CALM.rawValue, NGHTTP2_INTERNAL_ERROR.rawValue,
            ]
            if !ours.contains(frame.goaway.error_code), !isTerminating { statistics.http2.count(.protocolError) }
        default:
            break
        }
    }

    private func countReset() {
        guard !isTerminating else { return }
        guard floodGuard.reset(at: DispatchTime.now().uptimeNanoseconds) == .fine else {
            statistics.http2.count(.rapidReset)
            logger.debug("http2 rapid reset", metadata: ["peer": "\(peer)"])
            return terminate(NGHTTP2_ENHANCE_YOUR_CALM)
        }
    }

    private func countIdleFrame() {
        guard !isTerminating else { return }
        guard floodGuard.idleFrame(at: DispatchTime.now().uptimeNanoseconds) == .fine else {
            statistics.http2.count(.idleFrames)
            logger.debug("http2 frame flood", metadata: ["peer": "\(peer)"])
            return terminate(NGHTTP2_ENHANCE_YOUR_CALM)
        }
    }
}
