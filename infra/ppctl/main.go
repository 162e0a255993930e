// Command ppctl is the operator tooling for a deployed portalpass stack's
// table (or moto): tenants, API keys, settings, one-time recovery links
// when a tenant's own staff cannot issue one, and the table's layout
// version and its migrations (layout.go).
//
//	go run ./infra/ppctl -table portalpass-Table-XYZ tenant create acme "Acme Ltd" https://portal.acme.com
//	go run ./infra/ppctl -table T key create acme "dashboard"
//
// It uses the usual AWS environment (profile, region, credentials);
// -endpoint points it at a local stand-in such as moto_server.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if err := Run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ppctl:", err)
		os.Exit(1)
	}
}
