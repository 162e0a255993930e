// Package httpwire builds the HTTP layer's configuration of a Lambda
// function behind API Gateway, from its configuration and the core that
// package wire built. It is apart from package wire so that a function
// serving no HTTP (the authorizer) links neither pkg/httpapi nor the API
// Gateway proxy.
package httpwire

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/portalpass/portalpass/pkg/adminjwt"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
)

// HTTP returns the HTTP layer's configuration on Lambda: client IP and
// request id from API Gateway's request context, and the admin routes'
// dashboard JWTs. With cfg.AdminJWTIssuer set, the handlers verify a
// bearer JWT themselves (AdminJWT), and an API key still works beside it;
// else, with only cfg.AdminTenantClaim set, they trust the claims of a
// JWT authorizer that the stack put in front of the admin routes.
//
// Every function parses identifiers with e164.Parser, the one that
// stores phone numbers, because a number is looked up by the string it
// is stored as: only e164's tables know where a national prefix may be
// dropped ("+44 (0)7911…" is +447911…, "+39 06…" keeps its zero), so a
// function parsing with the zero Parser would look "+44 (0)7911…" up as
// +4407911… and find no one. The tables are constant data, each pattern
// compiled on first use: a function that never parses a phone number
// pays only their size.
func HTTP(cfg config.Config, svc *login.Service, logger *slog.Logger) httpapi.Config {
	h := httpapi.Config{
		Service: svc, BaseURL: cfg.PublicBaseURL, Logger: logger,
		ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
		Identifiers: e164.Parser, DashboardOrigins: cfg.DashboardOrigins,
	}
	switch {
	case cfg.AdminJWTIssuer != "":
		h.AdminClaims = AdminJWT(adminjwt.New(adminjwt.Config{
			Issuer: cfg.AdminJWTIssuer, Audience: cfg.AdminJWTAudience,
			TenantClaim: cfg.AdminTenantClaim, JWKSURL: cfg.AdminJWKSURL,
		}), logger)
	case cfg.AdminTenantClaim != "":
		h.AdminClaims = lambdahttp.JWTClaims(cfg.AdminTenantClaim)
	}
	return h
}

// AdminJWT adapts v to httpapi.Config.AdminClaims: the tenant and subject
// of the request's verified bearer JWT. A request without one (an API
// key) is not its business; a JWT it rejects is logged with the reason
// (never the token) and left to the API key check, which turns it away
// with 401.
func AdminJWT(v *adminjwt.Verifier, logger *slog.Logger) func(*http.Request) (tenant, subject string, ok bool) {
	return func(r *http.Request) (string, string, bool) {
		c, err := v.Request(r)
		switch {
		case errors.Is(err, adminjwt.ErrNoToken):
			return "", "", false
		case errors.Is(err, adminjwt.ErrInvalid):
			logger.InfoContext(r.Context(), "admin jwt rejected", "request_id", lambdahttp.RequestID(r), "err", err)
			return "", "", false
		case err != nil:
			logger.ErrorContext(r.Context(), "admin jwt: issuer keys unavailable", "request_id", lambdahttp.RequestID(r), "err", err)
			return "", "", false
		}
		return c.Tenant, c.Subject, true
	}
}
