package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// member is one simulated person: one WebSocket, read by its own goroutine
// (readLoop) and written by its sender goroutine (chat or probe) or, for a
// facilitator's admissions and acknowledgements, by the reader; writes are
// serialised by wmu (gorilla allows one reader and one writer at a time).
type member struct {
	r           *run
	index       int // in r.members; the sender number carried in chat text
	room        int // index of the room (r.cfg.rooms for the probe room)
	seat        int // 0 is the loaded room's facilitator
	facilitator bool
	probe       bool // in the probe room, not a chat member
	id          string
	token       string

	conn *websocket.Conn
	wmu  sync.Mutex
	wbuf []byte

	// Owned by the reader goroutine until it has exited.
	buf      []byte
	counts   counts
	lastSeq  []int64 // per seat of the room: last chat seq received
	admitted map[string]bool
	stage    int    // 0 connecting, 1 connected, 2 joined
	dropped  string // why the connection ended before the rig closed it

	// The chat schedule: this member's offset in the period, and the
	// scheduled times handed to its sender goroutine.
	offset int64
	ticks  chan int64

	// Owned by the sender goroutine until it has exited.
	sent, measuredSent int64
	sendErr            error

	alertClosed chan struct{} // probe participant: crisis.acknowledged seen
}

// counts are what one reader saw; summed over members at the end.
type counts struct {
	frames, deliveries, own, acks, other int64 // received within the measured window
	measuredRecv, duplicates             int64 // measured messages (by intended time), wherever received
	errors                               map[string]int64
	raised, refreshes                    int64 // probe facilitators
}

const maxMessage = 1 << 20

func (m *member) path() string {
	if m.r.cfg.mode == "peer" {
		return "/peer/" + m.r.roomID(m.room)
	}
	return "/v1/rooms/" + m.r.roomID(m.room)
}

// dial opens the WebSocket (the token in Authorization, as PROTOCOL.md
// requires) and starts the reader.
func (m *member) dial(d *websocket.Dialer) error {
	header := http.Header{}
	if m.token != "" {
		header.Set("Authorization", "Bearer "+m.token)
	}
	conn, resp, err := d.Dial(m.r.cfg.url+m.path(), header)
	if err != nil {
		if resp != nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
			return fmt.Errorf("%s: %d %s", m.path(), resp.StatusCode, bytes.TrimSpace(body))
		}
		return fmt.Errorf("%s: %v", m.path(), err)
	}
	conn.SetReadLimit(maxMessage)
	m.conn = conn
	m.buf = make([]byte, 2048)
	m.counts.errors = map[string]int64{}
	m.lastSeq = make([]int64, m.r.cfg.members)
	for i := range m.lastSeq {
		m.lastSeq[i] = -1
	}
	peer := m.r.cfg.mode == "peer"
	if peer {
		m.stage = 1 // connected is all a peer's member does to get in
	}
	m.r.readers.Add(1)
	go m.readLoop()
	if peer {
		m.r.progress <- progress{m.index, 1, nil}
	}
	return nil
}

// finalStage is the stage at which the member is in: 1 (connected) for the
// peers and facilitators, 2 (admitted) for participants.
func (m *member) finalStage() int {
	if m.r.cfg.mode == "peer" || m.facilitator {
		return 1
	}
	return 2
}

// send writes one text message (bounded: 10 s).
func (m *member) send(b []byte) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return m.conn.WriteMessage(websocket.TextMessage, b)
}

// read reads one whole message into m.buf (reused: no allocation per frame).
func (m *member) read() ([]byte, error) {
	for {
		kind, reader, err := m.conn.NextReader()
		if err != nil {
			return nil, err
		}
		n := 0
		for {
			if n == len(m.buf) {
				if len(m.buf) >= maxMessage {
					return nil, fmt.Errorf("message over %d bytes", maxMessage)
				}
				grown := make([]byte, 2*len(m.buf))
				copy(grown, m.buf)
				m.buf = grown
			}
			k, err := reader.Read(m.buf[n:])
			n += k
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
		if kind == websocket.TextMessage {
			return m.buf[:n], nil
		}
	}
}

// readLoop: the receive time is taken per frame, right after the frame has
// been read whole, before anything else is done with it.
func (m *member) readLoop() {
	defer m.r.readers.Done()
	for {
		frame, err := m.read()
		received := m.r.now()
		if err != nil {
			if atomic.LoadInt32(&m.r.closing) != 0 {
				return // the rig closed it
			}
			m.dropped = err.Error()
			if ce, ok := err.(*websocket.CloseError); ok {
				m.dropped = "closed by the server: " + strconv.Itoa(ce.Code) + " " + ce.Text
			}
			if m.stage < m.finalStage() {
				m.r.progress <- progress{m.index, -1, fmt.Errorf("%s while joining: %s", m.path(), m.dropped)}
			}
			return
		}
		m.handle(frame, received)
	}
}

func (m *member) handle(frame []byte, received int64) {
	r := m.r
	start, end := atomic.LoadInt64(&r.measureStart), atomic.LoadInt64(&r.measureEnd)
	inWindow := !m.probe && received >= start && received < end
	if inWindow {
		m.counts.frames++
	}
	if bytes.HasPrefix(frame, ackPrefix) {
		if inWindow {
			m.counts.acks++
		}
		return
	}
	if sender, seq, intended, written, ok := chatFields(frame); ok && !m.probe {
		if sender == m.index {
			if inWindow {
				m.counts.own++
			}
			return
		}
		if inWindow {
			m.counts.deliveries++
		}
		seat := sender - m.room*r.cfg.members
		if seat < 0 || seat >= len(m.lastSeq) {
			m.counts.errors["foreign_chat"]++
			return
		}
		if seq <= m.lastSeq[seat] {
			m.counts.duplicates++
			return
		}
		m.lastSeq[seat] = seq
		if intended >= start && intended < end {
			m.counts.measuredRecv++
			atomic.AddInt64(&r.measuredRecv, 1)
			r.latency.record(received - intended)
			r.fromWrite.record(received - written)
		}
		return
	}
	if inWindow {
		m.counts.other++
	}
	m.control(frame, received)
}
