package wire

import (
	"testing"
	"time"
)

func TestServiceBucketHoldsEachDurationUnderItsBound(t *testing.T) {
	for _, d := range []time.Duration{0, 50 * time.Microsecond, 100 * time.Microsecond, 5 * time.Millisecond, 5100 * time.Microsecond, 59 * time.Second} {
		i := ServiceBucket(d)
		if i >= len(ServiceBoundsNS) || int64(d) > ServiceBoundsNS[i] || (i > 0 && int64(d) <= ServiceBoundsNS[i-1]) {
			t.Errorf("%v: bucket %d, not the first whose bound holds it", d, i)
		}
	}
	// Beyond the highest bound: the last bucket.
	if i := ServiceBucket(time.Hour); i != len(ServiceBoundsNS) {
		t.Errorf("1h: bucket %d, want the overflow %d", i, len(ServiceBoundsNS))
	}
	// A step is 5%: a quantile read as a bucket's bound is within 5%.
	for i := 1; i < len(ServiceBoundsNS); i++ {
		if r := float64(ServiceBoundsNS[i]) / float64(ServiceBoundsNS[i-1]); r > 1.051 {
			t.Fatalf("bounds %d and %d differ by %.3fx", i-1, i, r)
		}
	}
}
