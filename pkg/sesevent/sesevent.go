package sesevent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/portalpass/portalpass/pkg/login"
)

// ErrIgnored reports a well-formed record of an event type the service
// does not follow (Send, Open, Click, Rendering Failure, Subscription):
// callers drop it.
var ErrIgnored = errors.New("sesevent: event type not followed")

// The message tags the SES sender sets (pkg/send/ses).
const (
	tagTenant  = "tenant"
	tagContact = "contact"
)

// record is the part of an SES event record the service reads. The
// message's headers and content are never read.
type record struct {
	EventType string `json:"eventType"`
	// NotificationType is the field's name in an identity's feedback
	// notifications, which carry the same objects.
	NotificationType string `json:"notificationType"`
	Mail             struct {
		Destination []string            `json:"destination"`
		Tags        map[string][]string `json:"tags"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string      `json:"bounceType"`
		BounceSubType     string      `json:"bounceSubType"`
		BouncedRecipients []recipient `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string      `json:"complaintFeedbackType"`
		ComplaintSubType      *string     `json:"complaintSubType"`
		ComplainedRecipients  []recipient `json:"complainedRecipients"`
	} `json:"complaint"`
	Delivery *struct {
		Recipients []string `json:"recipients"`
	} `json:"delivery"`
	Reject *struct {
		Reason string `json:"reason"`
	} `json:"reject"`
	DeliveryDelay *struct {
		DelayType         string      `json:"delayType"`
		DelayedRecipients []recipient `json:"delayedRecipients"`
	} `json:"deliveryDelay"`
}

// recipient is one address of a bounce, complaint or delay. Its
// diagnosticCode is left unread: a remote server's free text may quote
// the message or the address.
type recipient struct {
	EmailAddress string `json:"emailAddress"`
	Action       string `json:"action"`
	Status       string `json:"status"`
}

// maxDetail bounds a detail value taken from a record.
const maxDetail = 64

// Parse reads one SES event record (the JSON of an SNS message's body).
// It returns ErrIgnored for an event type not followed, and an
// invalid_request *login.Error for anything that is not a record.
func Parse(data []byte) (login.DeliveryEvent, error) {
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return login.DeliveryEvent{}, login.Errorf(login.CodeInvalidRequest, "not an SES event record: %s", jsonProblem(err))
	}
	typ := r.EventType
	if typ == "" {
		typ = r.NotificationType
	}
	e := login.DeliveryEvent{
		TenantID:  tag(r.Mail.Tags, tagTenant, login.ValidTenantID),
		ContactID: tag(r.Mail.Tags, tagContact, login.ValidContactID),
		Detail:    map[string]string{},
	}
	switch typ {
	case "Bounce":
		if r.Bounce == nil {
			return missing("bounce")
		}
		e.Type = login.EventDeliveryBounced
		e.Detail["bounceType"] = clip(r.Bounce.BounceType)
		e.Detail["bounceSubType"] = clip(r.Bounce.BounceSubType)
		e.Recipients, e.Detail["status"] = recipients(r.Bounce.BouncedRecipients)
		if r.Bounce.BounceType == "Permanent" {
			e.Suppress = login.EmailBounced
		}
	case "Complaint":
		if r.Complaint == nil {
			return missing("complaint")
		}
		e.Type, e.Suppress = login.EventDeliveryComplained, login.EmailComplained
		e.Detail["complaintFeedbackType"] = clip(r.Complaint.ComplaintFeedbackType)
		if r.Complaint.ComplaintSubType != nil {
			e.Detail["complaintSubType"] = clip(*r.Complaint.ComplaintSubType)
		}
		e.Recipients, _ = recipients(r.Complaint.ComplainedRecipients)
	case "Delivery":
		e.Type = login.EventDeliveryDelivered
		if r.Delivery != nil {
			e.Recipients = r.Delivery.Recipients
		}
	case "Reject":
		e.Type = login.EventDeliveryRejected
		if r.Reject != nil {
			e.Detail["reason"] = clip(r.Reject.Reason)
		}
	case "DeliveryDelay":
		if r.DeliveryDelay == nil {
			return missing("deliveryDelay")
		}
		e.Type = login.EventDeliveryDelayed
		e.Detail["delayType"] = clip(r.DeliveryDelay.DelayType)
		e.Recipients, e.Detail["status"] = recipients(r.DeliveryDelay.DelayedRecipients)
	case "":
		return login.DeliveryEvent{}, login.Errorf(login.CodeInvalidRequest, "an SES event record needs an eventType")
	default:
		return login.DeliveryEvent{}, ErrIgnored
	}
	if len(e.Recipients) == 0 {
		// A reject names none; the message went to its destination.
		e.Recipients = r.Mail.Destination
	}
	if len(e.Recipients) == 0 {
		return login.DeliveryEvent{}, login.Errorf(login.CodeInvalidRequest, "an SES event record needs mail.destination")
	}
	for k, v := range e.Detail {
		if v == "" {
			delete(e.Detail, k)
		}
	}
	return e, nil
}

func missing(field string) (login.DeliveryEvent, error) {
	return login.DeliveryEvent{}, login.Errorf(login.CodeInvalidRequest, "an SES event record of this type needs %q", field)
}

// tag returns the first value of a message tag when valid says it is a
// well-formed id, else "".
func tag(tags map[string][]string, name string, valid func(string) bool) string {
	if v := tags[name]; len(v) > 0 && valid(v[0]) {
		return v[0]
	}
	return ""
}

// recipients returns the addresses and the first diagnostic status (an
// enhanced status code such as 5.1.1).
func recipients(rs []recipient) (addrs []string, status string) {
	for _, r := range rs {
		addrs = append(addrs, r.EmailAddress)
		if status == "" {
			status = clip(r.Status)
		}
	}
	return addrs, status
}

// clip bounds a value from the record and keeps only printable ASCII.
func clip(s string) string {
	out := make([]byte, 0, min(len(s), maxDetail))
	for i := 0; i < len(s) && len(out) < maxDetail; i++ {
		if c := s[i]; c >= ' ' && c <= '~' {
			out = append(out, c)
		}
	}
	return string(out)
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type", te.Field)
	}
	return "invalid JSON"
}

// Recorder takes the core's delivery events (login.Service).
type Recorder interface {
	RecordDelivery(ctx context.Context, e login.DeliveryEvent) error
}

// Handle parses one SES event record and hands it to r: what the
// delivery-events function does with each SNS message and the dev
// server's POST /dev/delivery-events with its body. A record of a type
// not followed is dropped (nil); a malformed one is an invalid_request
// *login.Error.
func Handle(ctx context.Context, r Recorder, data []byte) error {
	e, err := Parse(data)
	if errors.Is(err, ErrIgnored) {
		return nil
	}
	if err != nil {
		return err
	}
	return r.RecordDelivery(ctx, e)
}
