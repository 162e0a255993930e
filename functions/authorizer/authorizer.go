package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/portalpass/portalpass/pkg/logctx"
	"github.com/portalpass/portalpass/pkg/login"
)

// The session cookie's names over https (pkg/httpapi): host-only, and
// under a shared cookie domain. A __Host- cookie cannot be set by a
// sibling subdomain, so it wins when both are sent.
const (
	hostCookie   = "__Host-pp_session"
	secureCookie = "__Secure-pp_session"
)

// maxToken bounds what is worth looking up: a session token is well
// under it.
const maxToken = 512

// sessionChecker is the one flow of the core the authorizer calls.
type sessionChecker interface {
	Session(ctx context.Context, token string) (login.SessionView, error)
}

// authorizer decides API Gateway's authorizer requests.
type authorizer struct {
	svc sessionChecker
	log *slog.Logger
	// tenants are the tenants whose sessions it allows (AUTHORIZER_TENANTS):
	// a stack's routes belong to some tenants' portals, and a live session
	// of any other tenant must not open them. None: it denies every request.
	tenants []string
}

var deny = events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: false}

// Authorize authorizes a request carrying a live session of one of its
// tenants, with tenantId, contactId and via in its context, and denies
// every other. It never
// returns an error (API Gateway would answer 500, not 403) and recovers
// from a panic as a denial. It decodes the event itself, so that an
// event of another shape (an authorizer set to payload 1.0) is a denial
// too, not a decoding error.
func (a *authorizer) Authorize(ctx context.Context, raw json.RawMessage) (resp events.APIGatewayV2CustomAuthorizerSimpleResponse, _ error) {
	reqID := ""
	defer func() {
		if p := recover(); p != nil {
			a.log.ErrorContext(ctx, "authorize: panic", "request_id", reqID, "panic", fmt.Sprint(p))
			resp = deny
		}
	}()
	var ev events.APIGatewayV2CustomAuthorizerV2Request
	if err := json.Unmarshal(raw, &ev); err != nil || ev.Version != "2.0" {
		a.log.ErrorContext(ctx, "authorize", "allowed", false, "reason", "not an HTTP API payload 2.0 authorizer event")
		return deny, nil
	}
	reqID = ev.RequestContext.RequestID
	// Every line of this request carries its ids and route (the Lambda
	// request id comes with ctx), and its tenant once the session is read.
	ctx = logctx.With(ctx, logctx.Fields{RequestID: reqID, Route: ev.RouteKey})
	if len(a.tenants) == 0 {
		// No tenant to allow: nothing to look up either.
		a.log.InfoContext(ctx, "authorize", "request_id", reqID, "allowed", false, "reason", "no tenants configured (AUTHORIZER_TENANTS)")
		return deny, nil
	}
	token, why := sessionToken(ev)
	if why != "" {
		a.log.InfoContext(ctx, "authorize", "request_id", reqID, "allowed", false, "reason", why)
		return deny, nil
	}
	v, err := a.svc.Session(ctx, token)
	if err != nil {
		if login.ErrorCode(err) == login.CodeNoSession {
			a.log.InfoContext(ctx, "authorize", "request_id", reqID, "allowed", false, "reason", "no live session")
		} else {
			a.log.ErrorContext(ctx, "authorize", "request_id", reqID, "allowed", false, "reason", "error", "err", err)
		}
		return deny, nil
	}
	logctx.WithTenant(ctx, v.Tenant.ID)
	// Checked after the session, on the tenant the table says it belongs
	// to, not the one its token names.
	if !slices.Contains(a.tenants, v.Tenant.ID) {
		a.log.InfoContext(ctx, "authorize", "request_id", reqID, "allowed", false, "reason", "tenant not allowed", "tenant", v.Tenant.ID)
		return deny, nil
	}
	a.log.InfoContext(ctx, "authorize", "request_id", reqID, "allowed", true, "tenant", v.Tenant.ID)
	return events.APIGatewayV2CustomAuthorizerSimpleResponse{
		IsAuthorized: true,
		Context: map[string]any{
			"tenantId":  v.Tenant.ID,
			"contactId": v.Contact.ID,
			"via":       v.Session.Via,
		},
	}, nil
}

// sessionToken returns the session token of a request, or why there is
// none to trust. An Authorization header must be a Bearer token (no
// falling back to a cookie beside another scheme); else the session
// cookie, __Host- before __Secure-, must have one value.
func sessionToken(ev events.APIGatewayV2CustomAuthorizerV2Request) (token, why string) {
	for k, v := range ev.Headers {
		if !strings.EqualFold(k, "authorization") {
			continue
		}
		scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
		tok = strings.TrimSpace(tok)
		if !ok || !strings.EqualFold(scheme, "bearer") || tok == "" {
			return "", "authorization is not a bearer token"
		}
		return checked(tok)
	}
	// Payload 2.0 moves cookies out of the headers into Cookies; read
	// a Cookie header too, should one arrive.
	lines := ev.Cookies
	for k, v := range ev.Headers {
		if strings.EqualFold(k, "cookie") {
			lines = append(lines[:len(lines):len(lines)], v)
		}
	}
	values := map[string][]string{}
	for _, line := range lines {
		for _, pair := range strings.Split(line, ";") {
			name, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok || (name != hostCookie && name != secureCookie) {
				continue
			}
			if val = strings.Trim(strings.TrimSpace(val), `"`); val != "" && !slices.Contains(values[name], val) {
				values[name] = append(values[name], val)
			}
		}
	}
	for _, name := range []string{hostCookie, secureCookie} {
		switch len(values[name]) {
		case 0:
			continue
		case 1:
			return checked(values[name][0])
		default:
			return "", "several session cookies"
		}
	}
	return "", "no session token"
}

func checked(tok string) (string, string) {
	if len(tok) > maxToken || strings.ContainsAny(tok, " \t,;") {
		return "", "malformed session token"
	}
	return tok, ""
}
