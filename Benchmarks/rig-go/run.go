package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// progress is a member reaching a stage (1 connected, 2 admitted) or failing.
type progress struct {
	member int
	stage  int
	err    error
}

// run is one load run: the members, the phases' signals and what is shared
// by every goroutine (the clock, the window, the histograms).
type run struct {
	cfg     *config
	t0      time.Time
	members []*member // loaded rooms (index room*members+seat), then the probe room
	loaded  int       // how many of members chat

	progress chan progress
	reached  []int
	joinGo   chan struct{} // closed: participants accept the agreement
	abort    chan struct{} // closed: the run is over, stop waiting
	readers  sync.WaitGroup
	closing  int32
	closed   sync.Once

	measureStart, measureEnd int64 // ns on the run's clock; set before the chat starts
	measuredRecv             int64
	alertIntended            int64

	latency, fromWrite, sendLag, probeLatency histogram
}

// now is the run's monotonic clock in ns.
func (r *run) now() int64 { return int64(time.Since(r.t0)) }

func (r *run) roomID(room int) string { return r.cfg.roomID(room) }

func newRun(cfg *config) (*run, error) {
	r := &run{cfg: cfg, t0: time.Now(), joinGo: make(chan struct{}), abort: make(chan struct{})}
	atomic.StoreInt64(&r.measureStart, 1<<62)
	atomic.StoreInt64(&r.measureEnd, 1<<62)
	var sign *signer
	if cfg.mode == "iopd" {
		s, err := loadSigner(cfg.secretFile)
		if err != nil {
			return nil, err
		}
		sign = s
	}
	// Member ids are new in every run, so a run after another on the same
	// server brings new people rather than resuming someone's place.
	var b [3]byte
	rand.Read(b[:])
	runID := hex.EncodeToString(b[:])
	now := time.Now().Unix()
	add := func(room, seat int, facilitator, probe bool) {
		m := &member{r: r, index: len(r.members), room: room, seat: seat, facilitator: facilitator, probe: probe}
		m.id = fmt.Sprintf("rig%s-%d-%d", runID, room, seat)
		if sign != nil {
			role, alias := "participant", fmt.Sprintf("Member %d-%d", room, seat)
			if facilitator {
				role, alias = "facilitator", fmt.Sprintf("Facilitator %d-%d", room, seat)
			}
			m.token = sign.sign(claims{Sub: m.id, Alias: alias, Role: role, Room: r.roomID(room),
				Exp: now + 4*3600, Iat: now, Jti: m.id})
		}
		r.members = append(r.members, m)
	}
	for room := 0; room < cfg.rooms; room++ {
		for seat := 0; seat < cfg.members; seat++ {
			add(room, seat, cfg.mode == "iopd" && seat == 0, false)
		}
	}
	r.loaded = len(r.members)
	if cfg.probe {
		for seat := 0; seat <= cfg.probeFacilitators; seat++ {
			add(cfg.rooms, seat, seat < cfg.probeFacilitators, true)
		}
		r.members[len(r.members)-1].alertClosed = make(chan struct{}, 1)
	}
	r.progress = make(chan progress, 3*len(r.members)+64)
	r.reached = make([]int, len(r.members))
	return r, nil
}

// connect dials every member of group, at most cfg.window handshakes at once.
func (r *run) connect(group []*member) {
	d := &websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 2048, WriteBufferSize: 1024}
	if r.cfg.subprotocol != "" {
		d.Subprotocols = []string{r.cfg.subprotocol}
	}
	sem := make(chan struct{}, r.cfg.window)
	for _, m := range group {
		sem <- struct{}{}
		go func(m *member) {
			defer func() { <-sem }()
			if err := m.dial(d); err != nil {
				r.progress <- progress{m.index, -1, err}
			}
		}(m)
	}
}

// waitFor waits until every member of group has reached stage(m), the first
// failure, or the timeout.
func (r *run) waitFor(group []*member, stage func(*member) int, timeout time.Duration) error {
	want := make(map[int]int, len(group))
	for _, m := range group {
		if r.reached[m.index] < stage(m) {
			want[m.index] = stage(m)
		}
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for len(want) > 0 {
		select {
		case p := <-r.progress:
			if p.err != nil {
				return p.err
			}
			if p.stage > r.reached[p.member] {
				r.reached[p.member] = p.stage
			}
			if w, ok := want[p.member]; ok && p.stage >= w {
				delete(want, p.member)
			}
		case <-deadline.C:
			return fmt.Errorf("%d of %d members not there after %v", len(want), len(group), timeout)
		}
	}
	return nil
}

// phase is the wall time and server CPU of one step.
type phase struct {
	Seconds        float64  `json:"seconds"`
	ServerCPUs     *float64 `json:"server_cpu_s,omitempty"`
	CPUusPerMember *float64 `json:"server_cpu_us_per_member,omitempty"`
}

func (r *run) measure(members int, step func() error) (phase, error) {
	cpu0, ok0 := serverCPU(r.cfg.serverPid)
	start := r.now()
	err := step()
	p := phase{Seconds: float64(r.now()-start) / 1e9}
	if cpu1, ok1 := serverCPU(r.cfg.serverPid); ok0 && ok1 {
		s := cpu1 - cpu0
		per := s * 1e6 / float64(members)
		p.ServerCPUs, p.CPUusPerMember = &s, &per
	}
	return p, err
}

// sleepUntil sleeps until the run's clock reads t (bounded by t itself).
func (r *run) sleepUntil(t int64) {
	if d := t - r.now(); d > 0 {
		time.Sleep(time.Duration(d))
	}
}

// closeAll ends every connection (close frame 1000, then the socket) and
// waits, bounded, for the readers to stop.
func (r *run) closeAll() { r.closed.Do(r.closeAllOnce) }

func (r *run) closeAllOnce() {
	atomic.StoreInt32(&r.closing, 1)
	close(r.abort)
	deadline := time.Now().Add(time.Second)
	for _, m := range r.members {
		if m.conn != nil {
			m.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""), deadline)
			m.conn.Close()
		}
	}
	done := make(chan struct{})
	go func() { r.readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// gcPause is the rig's total GC pause so far (its own stalls).
func gcPause() time.Duration {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	return time.Duration(s.PauseTotalNs)
}
