package login

import "testing"

// TestLogoCacheBound: the cache holds at most its bytes, dropping the
// least recently used logo first, and never a logo larger than itself.
func TestLogoCacheBound(t *testing.T) {
	c := newLogoCache(300)
	logo := func(n int) Logo { return Logo{Data: make([]byte, n)} }
	c.put("a", logo(100))
	c.put("b", logo(100))
	c.put("c", logo(100))
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put("d", logo(100)) // over 300 bytes: b, the least recent, goes
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.get(key); ok != want {
			t.Errorf("get(%s) = %v; want %v", key, ok, want)
		}
	}
	c.put("huge", logo(301))
	if _, ok := c.get("huge"); ok || c.len() != 3 || c.size != 300 {
		t.Errorf("after a logo larger than the cache: len %d, size %d; want it left out", c.len(), c.size)
	}
	c.drop("a")
	if _, ok := c.get("a"); ok || c.len() != 2 || c.size != 200 {
		t.Errorf("after drop: len %d, size %d", c.len(), c.size)
	}
}
