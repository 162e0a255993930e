package inbox_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/send/inbox"
)

const link = "https://portal.acme.example/l?t=acme.c1.SECRET&r=%2Fhome"

func email(to string) login.Message {
	return login.Message{Channel: login.ChannelEmail, To: to, Kind: login.KindLogin, TenantName: "Acme", Link: link, Code: "123456", TTL: 10 * time.Minute}
}

func sms(to string) login.Message {
	return login.Message{Channel: login.ChannelSMS, To: to, Kind: login.KindLogin, TenantName: "Acme", Code: "654321", TTL: 10 * time.Minute}
}

func TestSend(t *testing.T) {
	subject, text, html := message.Email(email("ana@example.com"))
	tests := []struct {
		name string
		m    login.Message
		want inbox.Entry // At is checked apart
	}{
		{"email", email("ana@example.com"), inbox.Entry{ID: 1, Channel: "email", To: "ana@example.com", Subject: subject, Text: text, HTML: html}},
		{"sms", sms("+14155550100"), inbox.Entry{ID: 1, Channel: "sms", To: "+14155550100", Text: message.SMS(sms("+14155550100"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := inbox.New()
			before := time.Now()
			if err := b.Send(context.Background(), tt.m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := b.Messages()
			if len(got) != 1 {
				t.Fatalf("Messages() holds %d; want 1", len(got))
			}
			if at := got[0].At; at.Before(before.Add(-time.Second)) || at.Location() != time.UTC {
				t.Errorf("At = %v; want a UTC time from now", at)
			}
			got[0].At = time.Time{}
			if !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("Messages()[0] = %+v; want %+v", got[0], tt.want)
			}
		})
	}
}

func TestSendRefused(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		m    login.Message
	}{
		{"unknown channel", context.Background(), login.Message{Channel: "fax", To: "x", Code: "123456"}},
		{"no channel", context.Background(), login.Message{To: "x", Code: "123456"}},
		{"cancelled", cancelled, email("ana@example.com")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := inbox.New()
			err := b.Send(tt.ctx, tt.m)
			if err == nil || !strings.HasPrefix(err.Error(), "inbox: send: ") {
				t.Errorf("Send() = %v; want an inbox: send: error", err)
			}
			if strings.Contains(err.Error(), "123456") {
				t.Errorf("error %q holds the code", err)
			}
			if n := len(b.Messages()); n != 0 {
				t.Errorf("inbox holds %d messages; want 0", n)
			}
		})
	}
}

func TestMessagesNewestFirstAndCapped(t *testing.T) {
	b := inbox.New()
	const n = inbox.Max + 7
	for i := range n {
		if err := b.Send(context.Background(), sms(fmt.Sprintf("+1415555%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
	got := b.Messages()
	if len(got) != inbox.Max {
		t.Fatalf("Messages() holds %d; want %d", len(got), inbox.Max)
	}
	for i, e := range got {
		if want := fmt.Sprintf("+1415555%04d", n-1-i); e.To != want {
			t.Fatalf("Messages()[%d].To = %q; want %q", i, e.To, want)
		}
	}
	// The caller owns the slice it gets.
	got[0].To = "changed"
	if b.Messages()[0].To == "changed" {
		t.Error("Messages() shares its storage with the caller")
	}
}

func TestConcurrent(t *testing.T) {
	b := inbox.New()
	h := b.Handler()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 150 {
				m := email(fmt.Sprintf("u%d-%d@example.com", g, i))
				if i%2 == 1 {
					m = sms(fmt.Sprintf("+1415555%d%03d", g, i))
				}
				if err := b.Send(context.Background(), m); err != nil {
					t.Error(err)
				}
				if i%75 == 0 {
					_ = b.Messages()
					get(h, "GET", inbox.PathJSON)
				}
			}
		})
	}
	wg.Wait()
	if got := len(b.Messages()); got != inbox.Max {
		t.Errorf("Messages() holds %d; want %d", got, inbox.Max)
	}
}

func BenchmarkHandlerJSONFull(b *testing.B) {
	box := inbox.New()
	for range inbox.Max {
		_ = box.Send(context.Background(), email("ana@example.com"))
	}
	h := box.Handler()
	b.ReportAllocs()
	for b.Loop() {
		get(h, "GET", inbox.PathJSON)
	}
}

func BenchmarkSend(b *testing.B) {
	box := inbox.New()
	m := email("ana@example.com")
	b.ReportAllocs()
	for b.Loop() {
		_ = box.Send(context.Background(), m)
	}
}
