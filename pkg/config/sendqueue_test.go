package config

import (
	"strings"
	"testing"
)

// TestSendQueue: the send queue is optional; with a URL it needs its
// key; the receive count is bounded.
func TestSendQueue(t *testing.T) {
	const url = "https://sqs.eu-west-1.amazonaws.com/123456789012/portalpass-SendQueue-1ABC"
	t.Run("unset", func(t *testing.T) {
		setEnv(t, lambdaEnv())
		c, err := FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		if c.SendQueueURL != "" || c.SendQueueKeyID != "" || c.MaxReceives() != DefaultSendMaxReceives {
			t.Errorf("send queue = %q %q %d; want none and the default receive count", c.SendQueueURL, c.SendQueueKeyID, c.MaxReceives())
		}
	})
	t.Run("set", func(t *testing.T) {
		env := lambdaEnv()
		env["SEND_QUEUE_URL"] = url + "/"
		env["SEND_QUEUE_KEY_ID"] = " alias/portalpass-send-queue "
		env["SEND_MAX_RECEIVE_COUNT"] = "6"
		setEnv(t, env)
		c, err := FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		if c.SendQueueURL != url || c.SendQueueKeyID != "alias/portalpass-send-queue" || c.SendMaxReceives != 6 {
			t.Errorf("send queue = %q %q %d", c.SendQueueURL, c.SendQueueKeyID, c.SendMaxReceives)
		}
	})
	t.Run("key alone", func(t *testing.T) {
		// send-retry opens messages without sending any.
		env := lambdaEnv()
		env["SEND_QUEUE_KEY_ID"] = "1234abcd-12ab-34cd-56ef-1234567890ab"
		setEnv(t, env)
		if c, err := FromEnv(); err != nil || c.SendQueueKeyID == "" {
			t.Errorf("key alone: %q, %v", c.SendQueueKeyID, err)
		}
	})
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"url without key", map[string]string{"SEND_QUEUE_URL": url}, "SEND_QUEUE_KEY_ID is required"},
		{"url not a url", map[string]string{"SEND_QUEUE_URL": "portalpass-SendQueue", "SEND_QUEUE_KEY_ID": "k"}, "SEND_QUEUE_URL must be"},
		{"url with query", map[string]string{"SEND_QUEUE_URL": url + "?x=1", "SEND_QUEUE_KEY_ID": "k"}, "SEND_QUEUE_URL must be"},
		{"two keys", map[string]string{"SEND_QUEUE_URL": url, "SEND_QUEUE_KEY_ID": "a,b"}, "SEND_QUEUE_KEY_ID must be one"},
		{"bad key", map[string]string{"SEND_QUEUE_URL": url, "SEND_QUEUE_KEY_ID": "alias/a b"}, "SEND_QUEUE_KEY_ID must be one"},
		{"receives zero", map[string]string{"SEND_MAX_RECEIVE_COUNT": "0"}, "SEND_MAX_RECEIVE_COUNT must be"},
		{"receives too many", map[string]string{"SEND_MAX_RECEIVE_COUNT": "21"}, "SEND_MAX_RECEIVE_COUNT must be"},
		{"receives not a number", map[string]string{"SEND_MAX_RECEIVE_COUNT": "four"}, "SEND_MAX_RECEIVE_COUNT must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := lambdaEnv()
			for k, v := range tt.env {
				env[k] = v
			}
			setEnv(t, env)
			_, err := FromEnv()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want one containing %q", err, tt.want)
			}
		})
	}
}
