package main

import "testing"

func TestBucketsCoverAndBound(t *testing.T) {
	for _, v := range []int64{0, 1, 127, 128, 129, 1000, 65535, 1 << 20, 123456789, 1 << 39} {
		i := bucketOf(v)
		if upperOf(i) < v {
			t.Fatalf("value %d in bucket %d whose upper bound is %d", v, i, upperOf(i))
		}
		if i > 0 && upperOf(i-1) >= v {
			t.Fatalf("value %d in bucket %d but bucket %d already reaches %d", v, i, i-1, upperOf(i-1))
		}
		if v >= 128 && float64(upperOf(i)-v) > float64(v)/64 {
			t.Fatalf("value %d reported as %d: more than 1/64 above", v, upperOf(i))
		}
	}
}

func TestQuantiles(t *testing.T) {
	var h histogram
	for v := int64(1); v <= 1000; v++ {
		h.record(v * 1000)
	}
	if q := h.quantile(0.5); q < 500000 || q > 500000+500000/64 {
		t.Fatalf("p50 %d", q)
	}
	if q := h.quantile(0.99); q < 990000 || q > 990000+990000/64 {
		t.Fatalf("p99 %d", q)
	}
	if h.quantile(1) != 1000000 || h.count() != 1000 {
		t.Fatalf("max %d count %d", h.quantile(1), h.count())
	}
}
