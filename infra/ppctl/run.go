package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

const usage = `usage: ppctl [flags] <command>

commands:
  tenant create <id> <name> <portalUrl>   create a tenant with default settings
  tenant list                             list tenants
  key create <tenant> [name]              create an API key (shown once)
  key list <tenant>                       list a tenant's keys
  key revoke <tenant> <keyId>             revoke a key
  settings get <tenant>                   show a tenant's settings
  settings set <tenant> <json>            change settings, e.g. '{"codeLength": 8}'
  recovery <tenant> <contactId> [-send]   issue a one-time recovery link (24 h by
                                          default); -send also emails it
  layout                                  show the table's layout version and the
                                          code's; fails when they differ
  layout migrate                          run the migrations from the table's
                                          layout up to the code's
  layout init                             record the code's layout version on a
                                          table that records none (the stack's
                                          table, once, after the first deploy)

flags:
`

// Run runs one ppctl command, writing its answer to out.
func Run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("ppctl", flag.ContinueOnError)
	table := fs.String("table", "", "the stack's DynamoDB table (output TableName)")
	endpoint := fs.String("endpoint", "", "DynamoDB and SES endpoint, e.g. http://127.0.0.1:5000 for moto")
	region := fs.String("region", "", "AWS region (default: from the environment)")
	baseURL := fs.String("base-url", "", "the API's public base URL (output ApiUrl), for recovery links")
	from := fs.String("email-from", "login@example.com", "sender address, for recovery -send")
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(out, usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *table == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("need -table and a command")
	}
	cfg, err := awsConfig(ctx, *endpoint, *region)
	if err != nil {
		return err
	}
	db := dynamodb.NewFromConfig(cfg)
	store := dynamo.New(db, *table)
	deps := login.Deps{Store: store, BaseURL: strings.TrimRight(*baseURL, "/")}
	deps.Email = ses.New(sesv2.NewFromConfig(cfg), *from)
	svc := login.New(deps)
	c := command{ctx: ctx, svc: svc, out: out, baseURL: deps.BaseURL, db: db, table: *table, store: store}
	return c.run(fs.Args())
}

func awsConfig(ctx context.Context, endpoint, region string) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	if endpoint != "" {
		opts = append(opts, awsconfig.WithBaseEndpoint(endpoint))
		if region == "" {
			opts = append(opts, awsconfig.WithRegion("us-east-1"))
		}
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	return awsconfig.LoadDefaultConfig(ctx, opts...)
}

type command struct {
	ctx     context.Context
	svc     *login.Service
	out     io.Writer
	baseURL string
	db      *dynamodb.Client
	table   string
	store   *dynamo.Store
}

func (c command) run(a []string) error {
	want := func(n int) error {
		if len(a) < n {
			return fmt.Errorf("%q needs %d arguments; see -h", strings.Join(a, " "), n-1)
		}
		return nil
	}
	switch {
	case len(a) >= 2 && a[0] == "tenant" && a[1] == "create":
		if err := want(5); err != nil {
			return err
		}
		t, err := c.svc.CreateTenant(c.ctx, a[2], a[3], login.DefaultSettings(a[4]))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "created tenant %s (%s)\n", t.ID, t.Name)
	case len(a) >= 2 && a[0] == "tenant" && a[1] == "list":
		ts, err := c.svc.ListTenants(c.ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tPORTAL\tCREATED")
		for _, t := range ts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Settings.PortalURL, t.CreatedAt.Format(time.RFC3339))
		}
		return w.Flush()
	case len(a) >= 2 && a[0] == "key" && a[1] == "create":
		if err := want(3); err != nil {
			return err
		}
		if _, err := c.svc.Tenant(c.ctx, a[2]); err != nil {
			return fmt.Errorf("tenant %s: %w", a[2], err)
		}
		name := "ppctl"
		if len(a) > 3 {
			name = a[3]
		}
		key, k, err := c.svc.NewAPIKey(c.ctx, a[2], name)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "key id %s for tenant %s (shown once, stored hashed):\n%s\n", k.ID, k.TenantID, key)
	case len(a) >= 2 && a[0] == "key" && a[1] == "list":
		if err := want(3); err != nil {
			return err
		}
		ks, err := c.svc.ListAPIKeys(c.ctx, a[2])
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tCREATED\tLAST USED\tREVOKED")
		for _, k := range ks {
			last := "never"
			if !k.LastUsedAt.IsZero() {
				last = k.LastUsedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%v\n", k.ID, k.Name, k.CreatedAt.Format(time.RFC3339), last, k.Revoked)
		}
		return w.Flush()
	case len(a) >= 2 && a[0] == "key" && a[1] == "revoke":
		if err := want(4); err != nil {
			return err
		}
		if err := c.svc.RevokeAPIKey(c.ctx, a[2], a[3]); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "revoked key %s of tenant %s\n", a[3], a[2])
	case len(a) >= 2 && a[0] == "settings" && a[1] == "get":
		if err := want(3); err != nil {
			return err
		}
		t, err := c.svc.Tenant(c.ctx, a[2])
		if err != nil {
			return err
		}
		return printJSON(c.out, login.SettingsView(t))
	case len(a) >= 2 && a[0] == "settings" && a[1] == "set":
		if err := want(4); err != nil {
			return err
		}
		var b login.SettingsPatch
		dec := json.NewDecoder(strings.NewReader(a[3]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		t, err := c.svc.UpdateSettings(c.ctx, login.Operator(a[2]), func(t *login.Tenant) error { b.Apply(t); return nil }, login.Meta{})
		if err != nil {
			return err
		}
		return printJSON(c.out, login.SettingsView(t))
	case a[0] == "recovery":
		if err := want(3); err != nil {
			return err
		}
		if c.baseURL == "" {
			return errors.New("recovery needs -base-url (the stack's ApiUrl)")
		}
		in := login.LinkInput{ContactID: a[2], Send: "none", Purpose: login.PurposeRecovery}
		if len(a) > 3 && a[3] == "-send" {
			in.Send = "email"
		}
		res, err := c.svc.GenerateLink(c.ctx, login.Operator(a[1]), in, login.Meta{})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "recovery link for %s, valid until %s (one use):\n%s\n", a[2], res.ExpiresAt.Format(time.RFC3339), res.URL)
		if res.Delivery != nil {
			fmt.Fprintf(c.out, "sent by %s\n", res.Delivery.Channel)
		}
	case len(a) == 1 && a[0] == "layout":
		return c.layout()
	case len(a) == 2 && a[0] == "layout" && a[1] == "migrate":
		return c.migrate()
	case len(a) == 2 && a[0] == "layout" && a[1] == "init":
		return c.layoutInit()
	default:
		return fmt.Errorf("unknown command %q; see -h", strings.Join(a, " "))
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(v)
}
