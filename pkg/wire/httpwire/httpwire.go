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
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
)

// HTTP returns the HTTP layer's configuration on Lambda: client IP and
// request id from API Gateway's request context, and the admin routes'
// tenant from the JWT authorizer's claims when cfg names the claim.
func HTTP(cfg config.Config, svc *login.Service, logger *slog.Logger) httpapi.Config {
	h := httpapi.Config{
		Service: svc, BaseURL: cfg.PublicBaseURL, Logger: logger,
		ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
	}
	if cfg.AdminTenantClaim != "" {
		h.AdminClaims = lambdahttp.JWTClaims(cfg.AdminTenantClaim)
	}
	return h
}
