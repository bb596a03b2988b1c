package main

import (
	"bytes"
	"strconv"
	"sync/atomic"
	"time"
)

// control handles every iopd frame that is not chat or an ack: the way in
// (welcome, agreement, waiting room, admission) and the crisis probe, as a
// member's client would (docs/PROTOCOL.md, "Room protocol v1").
func (m *member) control(frame []byte, received int64) {
	if bytes.HasPrefix(frame, errorPrefix) {
		code := stringAfter(frame, []byte(`"code":"`))
		if code == "" {
			code = "unreadable"
		}
		m.counts.errors[code]++
		return
	}
	switch eventType(frame) {
	case "agreement.required":
		if m.facilitator {
			return
		}
		version := agreementVersion(frame)
		m.advance(1)
		// The join phase starts when everyone is connected (measured apart).
		select {
		case <-m.r.joinGo:
		case <-m.r.abort:
			return
		}
		cmd := []byte(`{"v":1,"type":"agreement.accept","id":"a1","version":"` + version + `"}`)
		if err := m.send(cmd); err != nil {
			m.r.progress <- progress{m.index, -1, err}
		}
	case "room.snapshot":
		if m.facilitator {
			m.advance(1)
		} else {
			m.advance(2)
		}
	case "waiting.room":
		if !m.facilitator || m.seat != 0 {
			return // one facilitator per room admits (a second one would get not_waiting)
		}
		if m.admitted == nil {
			m.admitted = map[string]bool{}
		}
		for _, who := range allStrings(frame, []byte(`"member":"`)) {
			if m.admitted[who] {
				continue
			}
			m.admitted[who] = true
			cmd := []byte(`{"v":1,"type":"waiting.admit","id":"w` + strconv.Itoa(len(m.admitted)) + `","member":"` + who + `"}`)
			if err := m.send(cmd); err != nil {
				m.r.progress <- progress{m.index, -1, err}
			}
		}
	case "crisis.raised":
		if !m.probe || !m.facilitator {
			return
		}
		if bytes.Contains(frame, []byte(`"repeats":`)) {
			m.counts.refreshes++ // a refresh of an open alert: not a new one
			return
		}
		m.counts.raised++
		m.r.probeLatency.record(received - atomic.LoadInt64(&m.r.alertIntended))
		if m.seat == 0 { // the first facilitator acknowledges, so the next alert is a new one
			alert := numberAfter(frame, []byte(`"alert":`))
			cmd := []byte(`{"v":1,"type":"crisis.acknowledge","id":"k` + strconv.FormatInt(alert, 10) +
				`","alert":` + strconv.FormatInt(alert, 10) + `}`)
			if err := m.send(cmd); err != nil {
				m.counts.errors["probe_ack_failed"]++
			}
		}
	case "crisis.acknowledged":
		if m.alertClosed != nil {
			select {
			case m.alertClosed <- struct{}{}:
			default:
			}
		}
	case "":
		if messageType(frame) == "going_away" {
			m.counts.errors["going_away"]++
		}
	}
}

// advance reports reaching a stage once.
func (m *member) advance(stage int) {
	if m.stage >= stage {
		return
	}
	m.stage = stage
	m.r.progress <- progress{m.index, stage, nil}
}

// probeLoop: the probe room's participant raises crisis.alert on a fixed
// schedule through the measured window. One alert is open at a time
// (PROTOCOL.md: a repeat while open only refreshes it), so before each new
// alert the previous one must have been acknowledged; the latency still
// counts from the schedule's time.
func (m *member) probeLoop(start, end int64, timer *preciseTimer) (sent, delayed int64, problem string) {
	period := int64(m.r.cfg.probePeriod)
	for k := int64(0); ; k++ {
		intended := start + k*period
		if intended >= end {
			return
		}
		timer.sleepUntil(intended)
		if k > 0 {
			limit := time.NewTimer(time.Duration(end-m.r.now()) + m.r.cfg.drain)
			select {
			case <-m.alertClosed:
				limit.Stop()
			case <-limit.C:
				problem = "an alert was never acknowledged"
				return
			case <-m.r.abort:
				limit.Stop()
				return
			}
		}
		if m.r.now()-intended > int64(time.Millisecond) {
			delayed++
		}
		atomic.StoreInt64(&m.r.alertIntended, intended)
		if err := m.send([]byte(`{"v":1,"type":"crisis.alert","id":"p` + strconv.FormatInt(k, 10) + `"}`)); err != nil {
			problem = err.Error()
			return
		}
		sent++
	}
}
