package inbox

import (
	"reflect"
	"testing"
)

func TestLinkify(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []segment
	}{
		{"none", "no links here", []segment{{Text: "no links here"}}},
		{"empty", "", nil},
		{"alone", "https://a.example/x", []segment{{URL: "https://a.example/x"}}},
		{"in a sentence", "Or tap https://a.example/l?t=1&r=2 (expires in 10 minutes)",
			[]segment{{Text: "Or tap "}, {URL: "https://a.example/l?t=1&r=2"}, {Text: " (expires in 10 minutes)"}}},
		{"trailing full stop", "Go to http://localhost:8080/l.", []segment{{Text: "Go to "}, {URL: "http://localhost:8080/l"}, {Text: "."}}},
		{"closing bracket", "(see https://a.example/x)", []segment{{Text: "(see "}, {URL: "https://a.example/x"}, {Text: ")"}}},
		{"balanced bracket kept", "https://a.example/w_(x)", []segment{{URL: "https://a.example/w_(x)"}}},
		{"lines", "a\nhttps://a.example/1\n\nhttps://b.example/2\n",
			[]segment{{Text: "a\n"}, {URL: "https://a.example/1"}, {Text: "\n\n"}, {URL: "https://b.example/2"}, {Text: "\n"}}},
		{"no host", "https://.", []segment{{Text: "https://."}}},
		{"other schemes stay text", "javascript:alert(1) ftp://x", []segment{{Text: "javascript:alert(1) ftp://x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkify(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("linkify(%q) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzLinkify(f *testing.F) {
	f.Add("Or tap https://a.example/l?t=1 (expires)")
	f.Add("https://(.)")
	f.Fuzz(func(t *testing.T, s string) {
		var joined string
		for _, seg := range linkify(s) {
			joined += seg.Text + seg.URL
		}
		if joined != s {
			t.Errorf("linkify(%q) does not cover its input: %q", s, joined)
		}
	})
}
