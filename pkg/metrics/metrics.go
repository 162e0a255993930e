// Package metrics counts what the login flows did, as CloudWatch metrics
// in Embedded Metric Format (pkg/emf): it is the login.Observer every
// Lambda function gets from pkg/wire. The README's logging section lists
// the metrics; the stack's alarms read them.
//
// The tenant is a property of each line, never a dimension, so that the
// number of metrics, and their cost, stays flat however many tenants
// there are. Dimensions are the channel (or, for redemptions, how the
// login was redeemed) beside the dimensionless total.
package metrics

import (
	"context"
	"io"

	"github.com/portalpass/portalpass/pkg/emf"
	"github.com/portalpass/portalpass/pkg/logctx"
	"github.com/portalpass/portalpass/pkg/login"
)

// Namespace is the CloudWatch namespace of every metric.
const Namespace = "portalpass"

// Metric names. Alarms name them: append, never rename.
const (
	LoginRequested     = "LoginRequested"     // per contact a login request opens; dimension Channel
	MessageSent        = "MessageSent"        // a provider accepted a message; dimension Channel
	LoginRedeemed      = "LoginRedeemed"      // dimension Via (link, code, ...)
	LoginFailed        = "LoginFailed"        // a link that was used, expired or unknown
	CodeFailed         = "CodeFailed"         // a wrong code
	RateLimited        = "RateLimited"        // a request refused by a rate limit
	DeliveryFailed     = "DeliveryFailed"     // a send that failed after its retries; dimension Channel
	DeliverySuppressed = "DeliverySuppressed" // a message not sent: bounced or complained address, SMS ceiling; dimension Channel
)

// Dimension and property keys.
const (
	DimChannel = "Channel"
	DimVia     = "Via"

	PropTenant   = "tenant"
	PropFunction = "function"
	PropKind     = "kind"
)

// Observer turns what the flows did into metrics on an emf.Emitter.
type Observer struct {
	e        *emf.Emitter
	function string
}

// New returns an Observer writing to w; function names the Lambda
// function (AWS_LAMBDA_FUNCTION_NAME), a property of each line.
func New(w io.Writer, function string) *Observer {
	return &Observer{e: emf.New(w, Namespace), function: function}
}

// WithEmitter returns an Observer over e (tests set its clock).
func WithEmitter(e *emf.Emitter, function string) *Observer {
	return &Observer{e: e, function: function}
}

// key groups the counts of one line: a tenant and one dimension value.
type key struct {
	tenant   string
	dim, val string
}

// Recorded counts the events of one write, one line per tenant and
// dimension value.
func (o *Observer) Recorded(ctx context.Context, events []login.AuditEvent) {
	var order []key
	counts := map[key]map[string]float64{}
	for _, ev := range events {
		name, dim, val := metricOf(ev)
		if name == "" {
			continue
		}
		k := key{ev.TenantID, dim, val}
		if counts[k] == nil {
			counts[k] = map[string]float64{}
			order = append(order, k)
		}
		counts[k][name]++
	}
	for _, k := range order {
		o.emit(ctx, k, counts[k], nil)
	}
}

// metricOf names the metric an audit event counts for, with its
// dimension; "" for an event no metric counts.
func metricOf(ev login.AuditEvent) (name, dim, val string) {
	channel := func() string {
		c := ev.Channel
		if c == "" {
			c = ev.Detail["channel"]
		}
		if c == "" && ev.Detail["emailStatus"] != "" {
			c = string(login.ChannelEmail) // an address's bounce or complaint
		}
		if c == "" {
			c = "unknown"
		}
		return c
	}
	switch ev.Type {
	case login.EventLoginRequested:
		return LoginRequested, DimChannel, channel()
	case login.EventLoginRedeemed:
		via := ev.Detail["via"]
		if via == "" {
			via = "unknown"
		}
		return LoginRedeemed, DimVia, via
	case login.EventLoginFailed:
		return LoginFailed, "", ""
	case login.EventCodeFailed:
		return CodeFailed, "", ""
	case login.EventDeliveryFailed:
		return DeliveryFailed, DimChannel, channel()
	case login.EventDeliverySuppressed:
		return DeliverySuppressed, DimChannel, channel()
	}
	return "", "", ""
}

// Sent counts a message a provider accepted.
func (o *Observer) Sent(ctx context.Context, ch login.Channel, kind login.MessageKind, tenantID string) {
	o.emit(ctx, key{tenantID, DimChannel, string(ch)}, map[string]float64{MessageSent: 1}, map[string]string{PropKind: string(kind)})
}

// RateLimited counts a request refused by a rate limit, with the tenant
// the request named, when known.
func (o *Observer) RateLimited(ctx context.Context) {
	o.emit(ctx, key{}, map[string]float64{RateLimited: 1}, nil)
}

// emit writes one line. The tenant is the events' own, else the
// request's; the request's ids let a reader find its log lines.
func (o *Observer) emit(ctx context.Context, k key, counts map[string]float64, props map[string]string) {
	f := logctx.From(ctx)
	if k.tenant == "" {
		k.tenant = f.Tenant
	}
	p := map[string]string{}
	for name, v := range map[string]string{
		PropTenant: k.tenant, PropFunction: o.function,
		logctx.KeyLambdaRequestID: f.LambdaRequestID, logctx.KeyRequestID: f.RequestID, logctx.KeyRoute: f.Route,
	} {
		if v != "" {
			p[name] = v
		}
	}
	for name, v := range props {
		if v != "" {
			p[name] = v
		}
	}
	en := emf.Entry{Counts: counts, Properties: p}
	if k.dim != "" {
		en.DimensionSets = [][]string{{}, {k.dim}}
		en.Dimensions = map[string]string{k.dim: k.val}
	}
	// A metric that cannot be written is lost, not the request: the
	// names here are fixed, so this only fails when the output does.
	_ = o.e.Emit(en)
}
