package main

import (
	"math/bits"
	"sync/atomic"
)

// histogram counts durations in nanoseconds in log-linear buckets (the idea
// of HdrHistogram): values below 128 ns exactly, above that 64 buckets per
// power of two, so a reported value is at most 1/64 (1.6 %) above the true
// one. Memory is fixed (histBuckets counters) whatever the number of samples.
// Record is safe from many goroutines (atomic adds); the maximum is kept
// exactly.
type histogram struct {
	counts [histBuckets]uint64
	total  uint64
	max    int64
}

// 2^40 ns is about 18 minutes: anything longer lands in the last bucket.
const histBuckets = 64*(40-6) + 64

func bucketOf(v int64) int {
	if v < 128 {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - 7 // v>>shift is in [64, 128)
	i := 64*shift + int(uint64(v)>>uint(shift))
	if i >= histBuckets {
		return histBuckets - 1
	}
	return i
}

// upperOf is the largest value that lands in bucket i.
func upperOf(i int) int64 {
	if i < 128 {
		return int64(i)
	}
	shift := i/64 - 1
	sub := int64(i - 64*shift)
	return (sub+1)<<uint(shift) - 1
}

func (h *histogram) record(v int64) {
	atomic.AddUint64(&h.counts[bucketOf(v)], 1)
	atomic.AddUint64(&h.total, 1)
	for {
		m := atomic.LoadInt64(&h.max)
		if v <= m || atomic.CompareAndSwapInt64(&h.max, m, v) {
			return
		}
	}
}

func (h *histogram) count() uint64 { return atomic.LoadUint64(&h.total) }

// quantile is the upper bound of the bucket holding the q-th sample (q in
// [0,1]), never above the exact maximum; 0 without samples.
func (h *histogram) quantile(q float64) int64 {
	total := h.count()
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.5)
	if rank < 1 {
		rank = 1
	}
	if rank > total {
		rank = total
	}
	var seen uint64
	for i := range h.counts {
		seen += atomic.LoadUint64(&h.counts[i])
		if seen >= rank {
			u := upperOf(i)
			if m := atomic.LoadInt64(&h.max); u > m {
				u = m
			}
			return u
		}
	}
	return atomic.LoadInt64(&h.max)
}

// summary in microseconds, for the report.
type summary struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50_us"`
	P99   float64 `json:"p99_us"`
	P999  float64 `json:"p999_us"`
	Max   float64 `json:"max_us"`
}

func (h *histogram) summary() summary {
	us := func(ns int64) float64 { return float64(ns/10) / 100 }
	return summary{
		Count: h.count(),
		P50:   us(h.quantile(0.50)),
		P99:   us(h.quantile(0.99)),
		P999:  us(h.quantile(0.999)),
		Max:   us(atomic.LoadInt64(&h.max)),
	}
}
