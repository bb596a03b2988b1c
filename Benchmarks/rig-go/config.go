package main

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"
)

// config is the run, from the command line.
type config struct {
	subprotocol string
	mode        string // "iopd" (protocol v1) or "peer" (relay protocol)
	workload    string
	url         string // ws://127.0.0.1:PORT
	rooms       int
	members     int
	period      time.Duration
	warmup      time.Duration
	duration    time.Duration
	drain       time.Duration
	textBytes   int
	serverPid   int
	secretFile  string
	roomPrefix  string
	firstRoom   int
	window      int
	joinTimeout time.Duration
	maxTime     time.Duration
	gcPercent   int
	label       string

	probe             bool
	probePeriod       time.Duration
	probeFacilitators int
}

// workloads are Scripts/bench's chat workloads (rooms, members, period).
var workloads = map[string]struct {
	rooms, members int
	period         time.Duration
}{
	"smoke":  {10, 10, time.Second},
	"normal": {100, 10, time.Second},
	"stress": {100, 10, 100 * time.Millisecond},
	"10k":    {1000, 10, 2 * time.Second},
}

func parseConfig(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("rig", flag.ContinueOnError)
	fs.StringVar(&c.mode, "mode", "iopd", "iopd (protocol v1: tokens, agreement, admission, chat.send) or peer (the relay protocol of Benchmarks/peers)")
	fs.StringVar(&c.workload, "workload", "", "preset for -rooms -members -period: smoke (10×10, 1 s), normal (100×10, 1 s), stress (100×10, 100 ms), 10k (1000×10, 2 s); explicit flags win")
	fs.StringVar(&c.url, "url", "ws://127.0.0.1:8080", "server base URL (loopback only)")
	fs.StringVar(&c.subprotocol, "subprotocol", "", "iopd: a WebSocket subprotocol to offer (iop.v2: the sender's own copy is its acknowledgement); none: protocol v1 as it was")
	fs.IntVar(&c.rooms, "rooms", 100, "rooms")
	fs.IntVar(&c.members, "members", 10, "members per room (iopd: one facilitator, the rest participants)")
	fs.DurationVar(&c.period, "period", time.Second, "each member sends one chat message every period")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "chat before the measured window (nothing measured)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured window")
	fs.DurationVar(&c.drain, "drain", 5*time.Second, "after the window, how long to wait for messages still on their way before counting the rest as lost")
	fs.IntVar(&c.textBytes, "text-bytes", 120, "bytes of chat text per message (the schedule's send time is inside)")
	fs.IntVar(&c.serverPid, "server-pid", 0, "server process id: its CPU (utime+stime) and memory are read from /proc")
	fs.StringVar(&c.secretFile, "secret-file", "data/signing-secret", "iopd's signing secret (raw bytes) unless IOPD_AUTH_SECRET is set")
	fs.StringVar(&c.roomPrefix, "room-prefix", "bench-", "room ids are <prefix>0001, <prefix>0002, ...")
	fs.IntVar(&c.firstRoom, "first-room", 1, "number of the first room")
	fs.IntVar(&c.window, "connect-window", 500, "most handshakes in flight at once")
	fs.DurationVar(&c.joinTimeout, "join-timeout", 120*time.Second, "time allowed for connecting, and again for joining, everyone")
	fs.DurationVar(&c.maxTime, "max-time", 300*time.Second, "give up after this long: exit 1")
	fs.IntVar(&c.gcPercent, "gogc", 400, "the rig's GOGC (fewer collections, fewer stalls of its own)")
	fs.StringVar(&c.label, "label", "", "a name for this run in the output (e.g. the server's)")
	fs.BoolVar(&c.probe, "probe", false, "iopd only: crisis-alert probe in one extra room (<prefix><first-room+rooms>) during the window")
	fs.DurationVar(&c.probePeriod, "probe-period", 500*time.Millisecond, "the probe's participant raises one alert every probe-period")
	fs.IntVar(&c.probeFacilitators, "probe-facilitators", 2, "facilitators in the probe room (each one's crisis.raised is timed)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.workload != "" {
		w, ok := workloads[c.workload]
		if !ok {
			return nil, fmt.Errorf("unknown -workload %q (smoke, normal, stress, 10k)", c.workload)
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["rooms"] {
			c.rooms = w.rooms
		}
		if !set["members"] {
			c.members = w.members
		}
		if !set["period"] {
			c.period = w.period
		}
	}
	return c, c.validate()
}

func (c *config) validate() error {
	u, err := url.Parse(c.url)
	if err != nil || (u.Scheme != "ws") || u.Host == "" {
		return fmt.Errorf("-url must be ws://HOST:PORT")
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url must be a loopback address, got %s", u.Hostname())
	}
	c.url = "ws://" + u.Host
	switch {
	case c.mode != "iopd" && c.mode != "peer":
		return fmt.Errorf("-mode must be iopd or peer")
	case c.rooms < 1 || c.rooms > 5000:
		return fmt.Errorf("-rooms must be 1...5000")
	case c.members < 2 || c.members > 100:
		return fmt.Errorf("-members must be 2...100")
	case c.rooms*c.members > 30000:
		return fmt.Errorf("at most 30,000 members")
	case c.period < time.Millisecond || c.period > 10*time.Minute:
		return fmt.Errorf("-period must be 1ms...10m")
	case c.warmup < 0 || c.warmup > 10*time.Minute, c.duration < 100*time.Millisecond || c.duration > time.Hour:
		return fmt.Errorf("-warmup must be 0...10m and -duration 100ms...1h")
	case c.drain < 0 || c.drain > time.Minute:
		return fmt.Errorf("-drain must be 0...1m")
	case c.textBytes < 40 || c.textBytes > 1900:
		return fmt.Errorf("-text-bytes must be 40...1900")
	case c.window < 1 || c.window > 30000:
		return fmt.Errorf("-connect-window must be 1...30000")
	case c.joinTimeout < time.Second || c.maxTime < time.Second || c.maxTime > 2*time.Hour:
		return fmt.Errorf("-join-timeout must be ≥ 1s and -max-time 1s...2h")
	case c.probe && c.mode != "iopd":
		return fmt.Errorf("-probe needs -mode iopd (the relay protocol has no crisis alert)")
	case c.probePeriod < 10*time.Millisecond || c.probeFacilitators < 1 || c.probeFacilitators > 10:
		return fmt.Errorf("-probe-period must be ≥ 10ms and -probe-facilitators 1...10")
	case c.firstRoom < 1 || c.firstRoom+c.rooms > 10000:
		return fmt.Errorf("-first-room must be ≥ 1, rooms numbered below 10000")
	}
	if c.serverPid > 0 {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", c.serverPid)); err != nil {
			return fmt.Errorf("no process %d", c.serverPid)
		}
	}
	return nil
}

// roomID is <prefix>NNNN (four digits at least, as Scripts/bench's rooms file).
func (c *config) roomID(index int) string {
	return fmt.Sprintf("%s%04d", c.roomPrefix, c.firstRoom+index)
}
