package main

import (
	"sync/atomic"
)

// schedule is the send schedule of every chat member: member m sends at
// chatStart + offset(m) + k·period until the end of the measured window,
// the offsets spread evenly over the period (seat-major, so each room's
// members are spread too). One goroutine walks the schedule in time order on
// a preciseTimer and hands each due send to its member's sender goroutine.
func (r *run) schedule(order []*member, chatStart, end int64, timer *preciseTimer) {
	defer func() {
		for _, m := range order {
			close(m.ticks)
		}
	}()
	period := int64(r.cfg.period)
	for k := int64(0); ; k++ {
		for _, m := range order {
			intended := chatStart + m.offset + k*period
			if intended >= end {
				return // the order is by offset: every later send is later still
			}
			timer.sleepUntil(intended)
			select {
			case <-r.abort:
				return
			default:
			}
			m.ticks <- intended // buffered for every send of the run: never blocks
		}
	}
}

// chat sends this member's messages as the schedule hands them over. The
// text carries the scheduled (intended) time, not the time of the write: a
// sender that falls behind sends its late messages at once and their
// lateness counts in the latency (no coordinated omission). How late the rig
// itself was is kept apart (sendLag: write returned − scheduled), and so is
// the latency from the write (fromWrite, what a rig that stamps the send
// time measures), to tell the rig's own stalls from the server's.
func (m *member) chat() {
	r := m.r
	start := atomic.LoadInt64(&r.measureStart)
	var seq int64
	for intended := range m.ticks {
		if m.sendErr != nil {
			continue // keep draining: the schedule never waits for a sender
		}
		m.wbuf = appendChatSend(m.wbuf[:0], m.index, seq, intended, r.now(), r.cfg.textBytes)
		seq++
		if err := m.send(m.wbuf); err != nil {
			m.sendErr = err
			continue
		}
		m.sent++
		if intended >= start {
			m.measuredSent++
			r.sendLag.record(r.now() - intended)
		}
	}
}
