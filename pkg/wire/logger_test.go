package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/wire"
)

// TestLoggerErrorDetail: an error line names the login code and the
// cause a *login.Error wraps; any other error is internal.
func TestLoggerErrorDetail(t *testing.T) {
	for _, tc := range []struct {
		err         error
		code, cause string
	}{
		{fmt.Errorf("send: %w", &login.Error{Code: login.CodeDeliveryFailed, Msg: "m", Err: errors.New("ses: throttled")}), "delivery_failed", "ses: throttled"},
		{login.ErrLinkExpired, "link_expired", ""},
		{errors.New("boom"), "internal", ""},
	} {
		var buf bytes.Buffer
		wire.NewLogger(&buf, slog.LevelInfo).Error("failed", "err", tc.err)
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		cause, _ := m["cause"].(string)
		if m["err"] != tc.err.Error() || m["error_code"] != tc.code || cause != tc.cause {
			t.Errorf("%v: line %s", tc.err, buf.String())
		}
	}
}
