// rig: a load generator for iopd and the peer servers of Benchmarks/peers,
// written apart from iop-bench (it shares no code with it or with iopd), to
// check iop-bench's figures (issue 24). Go, gorilla/websocket, goroutines
// per member; latency from each message's scheduled send time (no
// coordinated omission), taken per frame. See README.md.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "rig:", err)
		os.Exit(2)
	}
	debug.SetGCPercent(cfg.gcPercent)
	time.AfterFunc(cfg.maxTime, func() {
		fmt.Fprintf(os.Stderr, "rig: gave up after -max-time %v\n", cfg.maxTime)
		os.Exit(1)
	})
	r, err := newRun(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rig:", err)
		os.Exit(2)
	}
	res := r.execute()
	res.print()
	if res.Error != "" || res.Lost != 0 || len(res.Dropped) > 0 {
		os.Exit(1)
	}
}

// execute runs the phases in turn: connect, join (iopd), the probe room,
// chat (warm-up, measured window, drain), close.
func (r *run) execute() *result {
	cfg := r.cfg
	res := newResult(r)
	defer r.closeAll()
	loaded := r.members[:r.loaded]
	var facilitators, participants []*member
	for _, m := range loaded {
		if m.facilitator {
			facilitators = append(facilitators, m)
		} else {
			participants = append(participants, m)
		}
	}
	res.RSSBeforeKiB = serverRSSKiB(cfg.serverPid)
	connected := func(*member) int { return 1 }
	final := func(m *member) int { return m.finalStage() }

	// Arrival, part 1: every WebSocket open and greeted (the token checked;
	// a facilitator has its snapshot, a participant the agreement to accept).
	// Facilitators first, as a group's staff opens the room.
	var err error
	res.Connect, err = r.measure(r.loaded, func() error {
		r.connect(facilitators)
		if err := r.waitFor(facilitators, connected, cfg.joinTimeout); err != nil {
			return err
		}
		r.connect(participants)
		return r.waitFor(participants, connected, cfg.joinTimeout)
	})
	if err != nil {
		return res.fail("connect: " + err.Error())
	}
	res.RSSConnectedKiB = serverRSSKiB(cfg.serverPid)

	// Arrival, part 2 (iopd): agreement.accept, then each room's facilitator
	// admits its participants as they appear in waiting.room.
	if cfg.mode == "iopd" {
		join, err := r.measure(r.loaded, func() error {
			close(r.joinGo)
			return r.waitFor(participants, final, cfg.joinTimeout)
		})
		res.Join = &join
		if err != nil {
			return res.fail("join: " + err.Error())
		}
	} else {
		close(r.joinGo)
	}
	res.RSSJoinedKiB = serverRSSKiB(cfg.serverPid)

	// The probe room (not part of the arrival figures).
	var prober *member
	if cfg.probe {
		probe := r.members[r.loaded:]
		prober = probe[len(probe)-1]
		r.connect(probe[:len(probe)-1])
		if err := r.waitFor(probe[:len(probe)-1], final, cfg.joinTimeout); err != nil {
			return res.fail("probe room: " + err.Error())
		}
		r.connect([]*member{prober})
		if err := r.waitFor([]*member{prober}, final, cfg.joinTimeout); err != nil {
			return res.fail("probe room: " + err.Error())
		}
	}

	// Chat: every member on its own schedule (chat.go).
	chatStart := r.now() + int64(100*time.Millisecond)
	start := chatStart + int64(cfg.warmup)
	end := start + int64(cfg.duration)
	atomic.StoreInt64(&r.measureStart, start)
	atomic.StoreInt64(&r.measureEnd, end)
	timer, err := newPreciseTimer(r)
	if err != nil {
		return res.fail(err.Error())
	}
	defer timer.close()
	order := make([]*member, len(loaded))
	period := int64(cfg.period)
	sends := int((end-chatStart)/period) + 2
	for _, m := range loaded {
		slot := m.seat*cfg.rooms + m.room
		m.offset = int64(slot) * period / int64(len(loaded))
		m.ticks = make(chan int64, sends)
		order[slot] = m
	}
	var senders sync.WaitGroup
	for _, m := range loaded {
		senders.Add(1)
		go func(m *member) {
			defer senders.Done()
			m.chat()
		}(m)
	}
	senders.Add(1)
	go func() {
		defer senders.Done()
		r.schedule(order, chatStart, end, timer)
	}()
	var probeSent, probeDelayed int64
	var probeProblem string
	if prober != nil {
		probeTimer, err := newPreciseTimer(r)
		if err != nil {
			return res.fail(err.Error())
		}
		defer probeTimer.close()
		senders.Add(1)
		go func() {
			defer senders.Done()
			probeSent, probeDelayed, probeProblem = prober.probeLoop(start, end, probeTimer)
		}()
	}

	r.sleepUntil(start) // the CPU window: a millisecond either way is nothing over seconds
	cpu0, ok0 := serverCPU(cfg.serverPid)
	self0, gc0 := selfCPU(), gcPause()
	r.sleepUntil(end)
	cpu1, ok1 := serverCPU(cfg.serverPid)
	self1, gc1 := selfCPU(), gcPause()
	res.RSSEndKiB = serverRSSKiB(cfg.serverPid)
	if ok0 && ok1 {
		s := cpu1 - cpu0
		res.ServerCPUs = &s
	}
	res.RigCPUs = self1 - self0
	res.RigGCPauseMs = float64(gc1-gc0) / 1e6

	// Senders that fell behind still send what the window scheduled.
	if !waitTimeout(&senders, cfg.drain+10*time.Second) {
		res.Notes = append(res.Notes, "senders still running after the drain")
	}
	var expected int64
	for _, m := range loaded {
		expected += m.measuredSent * int64(cfg.members-1)
	}
	drainEnd := time.Now().Add(cfg.drain)
	for atomic.LoadInt64(&r.measuredRecv) < expected && time.Now().Before(drainEnd) {
		time.Sleep(5 * time.Millisecond)
	}
	if prober != nil {
		res.probeSent, res.probeDelayed, res.probeProblem = probeSent, probeDelayed, probeProblem
	}
	r.closeAll()
	res.collect(r)
	return res
}

func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
