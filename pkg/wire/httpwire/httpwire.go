// Package httpwire builds the HTTP layer's configuration of a Lambda
// function behind API Gateway, from its configuration and the core that
// package wire built. It is apart from package wire so that a function
// serving no HTTP (the authorizer) links neither pkg/httpapi nor the API
// Gateway proxy.
package httpwire

import (
	"log/slog"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
)

// HTTP returns the HTTP layer's configuration on Lambda: client IP and
// request id from API Gateway's request context, the admin routes'
// tenant from the JWT authorizer's claims when cfg names the claim, and
// e164.Parser for identifiers.
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
		Identifiers: e164.Parser,
	}
	if cfg.AdminTenantClaim != "" {
		h.AdminClaims = lambdahttp.JWTClaims(cfg.AdminTenantClaim)
	}
	return h
}
