package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// result is one run's figures: printed as one JSON line on stdout and one
// line for a person on stderr.
type result struct {
	Rig       string  `json:"rig"`
	Mode      string  `json:"mode"`
	Label     string  `json:"label,omitempty"`
	Workload  string  `json:"workload,omitempty"`
	Date      string  `json:"date"`
	Rooms     int     `json:"rooms"`
	Members   int     `json:"members"`
	PeriodMs  float64 `json:"period_ms"`
	WarmupS   float64 `json:"warmup_s"`
	DurationS float64 `json:"duration_s"`
	TextBytes int     `json:"text_bytes"`
	Error     string  `json:"error,omitempty"`

	Connect               phase    `json:"connect"`
	Join                  *phase   `json:"join,omitempty"`
	ArrivalSeconds        float64  `json:"arrival_s"`
	ArrivalCPUusPerMember *float64 `json:"arrival_server_cpu_us_per_member,omitempty"`

	MessagesSent        int64    `json:"messages_sent"`
	Expected            int64    `json:"deliveries_expected"`
	Received            int64    `json:"deliveries_received"`
	Lost                int64    `json:"lost"`
	Duplicates          int64    `json:"duplicates"`
	ReceiversWithLoss   int      `json:"receivers_with_loss"`
	Deliveries          int64    `json:"window_deliveries"`
	DeliveriesPerSecond float64  `json:"deliveries_per_second"`
	Frames              int64    `json:"window_frames"`
	Acks                int64    `json:"window_acks"`
	OwnCopies           int64    `json:"window_own_copies"`
	OtherFrames         int64    `json:"window_other_frames"`
	FramesPerMessage    float64  `json:"frames_per_message"`
	ServerCPUs          *float64 `json:"server_cpu_s,omitempty"`
	CPUusPerDelivery    *float64 `json:"server_cpu_us_per_delivery,omitempty"`
	CPUusPerFrame       *float64 `json:"server_cpu_us_per_frame,omitempty"`
	Latency             summary  `json:"latency"`
	FromWrite           summary  `json:"latency_from_write"`
	SendLag             summary  `json:"send_lag"`
	RigCPUs             float64  `json:"rig_cpu_s"`
	RigGCPauseMs        float64  `json:"rig_gc_pause_ms"`

	RSSBeforeKiB    int64 `json:"server_rss_before_kib,omitempty"`
	RSSConnectedKiB int64 `json:"server_rss_connected_kib,omitempty"`
	RSSJoinedKiB    int64 `json:"server_rss_joined_kib,omitempty"`
	RSSEndKiB       int64 `json:"server_rss_end_kib,omitempty"`

	Errors  map[string]int64 `json:"errors,omitempty"`
	Dropped []string         `json:"dropped,omitempty"` // connections that ended before the rig closed them
	Probe   *probeResult     `json:"probe,omitempty"`
	Notes   []string         `json:"notes,omitempty"`

	probeSent, probeDelayed int64
	probeProblem            string
}

// probeResult: the crisis alert, participant's schedule → each facilitator's crisis.raised.
type probeResult struct {
	Room          string  `json:"room"`
	Facilitators  int     `json:"facilitators"`
	PeriodMs      float64 `json:"period_ms"`
	Alerts        int64   `json:"alerts"`
	RaisedExpect  int64   `json:"raised_expected"`
	Raised        int64   `json:"raised"`
	Refreshes     int64   `json:"refreshes"`
	DelayedAlerts int64   `json:"alerts_sent_late"`
	Latency       summary `json:"latency"`
	Problem       string  `json:"problem,omitempty"`
}

func newResult(r *run) *result {
	c := r.cfg
	return &result{Rig: "rig-go", Mode: c.mode, Label: c.label, Workload: c.workload,
		Date: time.Now().UTC().Format(time.RFC3339), Rooms: c.rooms, Members: c.members,
		PeriodMs: float64(c.period) / 1e6, WarmupS: c.warmup.Seconds(), DurationS: c.duration.Seconds(),
		TextBytes: c.textBytes}
}

func (res *result) fail(why string) *result {
	res.Error = why
	return res
}

// collect sums what every reader and sender counted (they have all stopped).
func (res *result) collect(r *run) {
	c := r.cfg
	res.Errors = map[string]int64{}
	for _, m := range r.members {
		for code, n := range m.counts.errors {
			res.Errors[code] += n
		}
		if m.dropped != "" {
			res.Dropped = append(res.Dropped, m.path()+": "+m.dropped)
		}
		if m.sendErr != nil {
			res.Dropped = append(res.Dropped, m.path()+": send: "+m.sendErr.Error())
		}
	}
	if len(res.Dropped) > 20 {
		res.Dropped = append(res.Dropped[:20], fmt.Sprintf("... %d in all", len(res.Dropped)))
	}
	// Per room: what each member sent in the window is expected by every other.
	for room := 0; room < c.rooms; room++ {
		seats := r.members[room*c.members : (room+1)*c.members]
		var sent int64
		for _, m := range seats {
			sent += m.measuredSent
		}
		for _, m := range seats {
			expected := sent - m.measuredSent
			got := m.counts.measuredRecv
			res.Expected += expected
			res.Received += got
			if got < expected {
				res.Lost += expected - got
				res.ReceiversWithLoss++
			}
		}
	}
	for _, m := range r.members[:r.loaded] {
		k := m.counts
		res.MessagesSent += m.measuredSent
		res.Duplicates += k.duplicates
		res.Deliveries += k.deliveries
		res.Frames += k.frames
		res.Acks += k.acks
		res.OwnCopies += k.own
		res.OtherFrames += k.other
	}
	res.DeliveriesPerSecond = float64(res.Deliveries) / c.duration.Seconds()
	// Per chat message delivered: each one reaches members − 1 others, so this
	// holds whether or not the server kept up within the window.
	if res.Deliveries > 0 {
		res.FramesPerMessage = float64(res.Frames) * float64(c.members-1) / float64(res.Deliveries)
	}
	if res.ServerCPUs != nil {
		if res.Deliveries > 0 {
			v := *res.ServerCPUs * 1e6 / float64(res.Deliveries)
			res.CPUusPerDelivery = &v
		}
		if res.Frames > 0 {
			v := *res.ServerCPUs * 1e6 / float64(res.Frames)
			res.CPUusPerFrame = &v
		}
	}
	res.Latency = r.latency.summary()
	res.FromWrite = r.fromWrite.summary()
	res.SendLag = r.sendLag.summary()
	res.ArrivalSeconds = res.Connect.Seconds
	if res.Connect.CPUusPerMember != nil {
		v := *res.Connect.CPUusPerMember
		if res.Join != nil && res.Join.CPUusPerMember != nil {
			v += *res.Join.CPUusPerMember
		}
		res.ArrivalCPUusPerMember = &v
	}
	if res.Join != nil {
		res.ArrivalSeconds += res.Join.Seconds
	}
	if c.probe {
		p := &probeResult{Room: r.roomID(c.rooms), Facilitators: c.probeFacilitators,
			PeriodMs: float64(c.probePeriod) / 1e6, Alerts: res.probeSent,
			RaisedExpect: res.probeSent * int64(c.probeFacilitators), DelayedAlerts: res.probeDelayed,
			Latency: r.probeLatency.summary(), Problem: res.probeProblem}
		for _, m := range r.members[r.loaded:] {
			p.Raised += m.counts.raised
			p.Refreshes += m.counts.refreshes
		}
		res.Probe = p
	}
}

func (res *result) print() {
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	fmt.Fprintln(os.Stderr, res.human())
}

func (res *result) human() string {
	var b strings.Builder
	name := res.Label
	if name == "" {
		name = res.Mode
	}
	fmt.Fprintf(&b, "rig %s %d×%d every %g ms:", name, res.Rooms, res.Members, res.PeriodMs)
	if res.Error != "" {
		fmt.Fprintf(&b, " FAILED: %s", res.Error)
		return b.String()
	}
	ms := func(us float64) string { return fmt.Sprintf("%.3g ms", us/1000) }
	fmt.Fprintf(&b, " %.0f deliveries/s, lost %d of %d; latency p50 %s p99 %s p99.9 %s max %s",
		res.DeliveriesPerSecond, res.Lost, res.Expected, ms(res.Latency.P50), ms(res.Latency.P99),
		ms(res.Latency.P999), ms(res.Latency.Max))
	if res.CPUusPerDelivery != nil {
		fmt.Fprintf(&b, "; server CPU %.1f µs/delivery, %.1f µs/frame (%.2f frames/message)",
			*res.CPUusPerDelivery, *res.CPUusPerFrame, res.FramesPerMessage)
	}
	fmt.Fprintf(&b, "; arrival %.2f s", res.ArrivalSeconds)
	if res.ArrivalCPUusPerMember != nil {
		fmt.Fprintf(&b, ", %.0f µs CPU/member", *res.ArrivalCPUusPerMember)
	}
	fmt.Fprintf(&b, "; from the write p99 %s; rig send lag p99 %s, GC %.1f ms", ms(res.FromWrite.P99),
		ms(res.SendLag.P99), res.RigGCPauseMs)
	if p := res.Probe; p != nil {
		fmt.Fprintf(&b, "; crisis probe %d/%d raised, p50 %s p99 %s max %s", p.Raised, p.RaisedExpect,
			ms(p.Latency.P50), ms(p.Latency.P99), ms(p.Latency.Max))
	}
	if len(res.Dropped) > 0 {
		fmt.Fprintf(&b, "; connections dropped: %d (first: %s)", len(res.Dropped), res.Dropped[0])
	}
	if len(res.Errors) > 0 {
		codes := make([]string, 0, len(res.Errors))
		for code, n := range res.Errors {
			codes = append(codes, fmt.Sprintf("%s×%d", code, n))
		}
		sort.Strings(codes)
		fmt.Fprintf(&b, "; errors %s", strings.Join(codes, " "))
	}
	return b.String()
}
