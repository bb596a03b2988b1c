package main

import (
	"sync/atomic"
	"time"
)

// chat sends this member's messages on its schedule, first, first+period,
// ..., until the end of the measured window. The text carries the
// scheduled (intended) time, not the time of the write: a sender that falls
// behind sends its late messages at once and their lateness counts in the
// latency (no coordinated omission). How late the rig itself was is kept
// apart (sendLag: write returned − scheduled), and so is the latency from
// the write (fromWrite, what a rig that stamps the send time measures), to
// tell the rig's own stalls from the server's.
func (m *member) chat(first, end int64) {
	r := m.r
	period := int64(r.cfg.period)
	start := atomic.LoadInt64(&r.measureStart)
	for k := int64(0); ; k++ {
		intended := first + k*period
		if intended >= end {
			return
		}
		if d := intended - r.now(); d > 0 {
			time.Sleep(time.Duration(d))
		}
		select {
		case <-r.abort:
			return
		default:
		}
		m.wbuf = appendChatSend(m.wbuf[:0], m.index, k, intended, r.now(), r.cfg.textBytes)
		if err := m.send(m.wbuf); err != nil {
			m.sendErr = err
			return
		}
		m.sent++
		if intended >= start {
			m.measuredSent++
			r.sendLag.record(r.now() - intended)
		}
	}
}
