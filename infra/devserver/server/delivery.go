package server

import (
	"io"
	"net/http"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sesevent"
)

// maxDeliveryEvent bounds a posted SES event record; real ones, with
// their headers, are a few kilobytes.
const maxDeliveryEvent = 256 << 10

// devDeliveryEvents takes one SES event record, exactly as SES publishes
// it, and processes it as the delivery-events function does: 204 (dev
// server only). A record of a type the service does not follow is
// accepted and dropped, as there.
func devDeliveryEvents(w http.ResponseWriter, r *http.Request, svc *login.Service) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDeliveryEvent))
	if err != nil {
		devError(w, &login.Error{Code: login.CodeBodyTooLarge, Msg: "An SES event record is at most 256 KiB."})
		return
	}
	if err := sesevent.Handle(r.Context(), svc, body); err != nil {
		devError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
