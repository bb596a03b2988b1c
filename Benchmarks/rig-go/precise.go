package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// preciseTimer sleeps until an instant on the run's clock with the kernel's
// high-resolution timers: a timerfd (CLOCK_MONOTONIC, absolute) read through
// Go's netpoller. time.Sleep is not enough here: Go 1.19 waits in
// epoll_wait, whose timeout is in whole milliseconds, so when the rig is
// idle a sleeping goroutine wakes up to a millisecond late — as large as the
// latencies being measured at light load.
type preciseTimer struct {
	r    *run
	fd   uintptr
	file *os.File // the same fd, registered with the netpoller; never call Fd() (it would block the fd)
	base int64    // CLOCK_MONOTONIC at the run clock's zero
}

type timespec struct{ sec, nsec int64 }

type itimerspec struct{ interval, value timespec }

func monotonicNow() (int64, error) {
	var ts timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 1 /* CLOCK_MONOTONIC */, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0, e
	}
	return ts.sec*1e9 + ts.nsec, nil
}

func newPreciseTimer(r *run) (*preciseTimer, error) {
	fd, _, e := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, 1, /* CLOCK_MONOTONIC */
		syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		return nil, fmt.Errorf("timerfd_create: %v", e)
	}
	// Go's monotonic clock (time.Since) is CLOCK_MONOTONIC: find where the
	// run's zero lies on it, between two readings of the run's clock.
	before := r.now()
	mono, err := monotonicNow()
	after := r.now()
	if err != nil {
		syscall.Close(int(fd))
		return nil, fmt.Errorf("clock_gettime: %v", err)
	}
	return &preciseTimer{r: r, fd: fd, file: os.NewFile(fd, "timerfd"), base: mono - (before+after)/2}, nil
}

// sleepUntil returns at t (the run's clock) or just after it.
func (p *preciseTimer) sleepUntil(t int64) {
	if t-p.r.now() <= 0 {
		return
	}
	abs := p.base + t
	spec := itimerspec{value: timespec{sec: abs / 1e9, nsec: abs % 1e9}}
	if _, _, e := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, p.fd, 1, /* TFD_TIMER_ABSTIME */
		uintptr(unsafe.Pointer(&spec)), 0, 0, 0); e != 0 {
		time.Sleep(time.Duration(t - p.r.now()))
		return
	}
	var expirations [8]byte
	if _, err := p.file.Read(expirations[:]); err != nil {
		time.Sleep(time.Duration(t - p.r.now()))
	}
}

func (p *preciseTimer) close() { p.file.Close() }
