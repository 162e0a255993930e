package template

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const templatePath = "../../template.yaml"

// stack is the loaded template.
type stack struct {
	t   *testing.T
	doc map[string]any
}

func loadStack(t *testing.T) *stack {
	t.Helper()
	return &stack{t: t, doc: load(t, templatePath)}
}

func (s *stack) resource(name string) map[string]any {
	s.t.Helper()
	r, ok := get(s.doc, "Resources", name).(map[string]any)
	if !ok {
		s.t.Fatalf("no resource %s", name)
	}
	return r
}

func (s *stack) param(name string) map[string]any {
	s.t.Helper()
	p, ok := get(s.doc, "Parameters", name).(map[string]any)
	if !ok {
		s.t.Fatalf("no parameter %s", name)
	}
	return p
}

// functions returns the logical ids of the stack's functions, sorted.
func (s *stack) functions() []string {
	var out []string
	for name, r := range get(s.doc, "Resources").(map[string]any) {
		if str(r, "Type") == "AWS::Serverless::Function" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// functionDir is the directory under functions/ of a function: its
// FunctionName is ${AWS::StackName}-<dir>.
func (s *stack) functionDir(name string) string {
	s.t.Helper()
	fn := str(s.resource(name), "Properties", "FunctionName", "Fn::Sub")
	dir, ok := strings.CutPrefix(fn, "${AWS::StackName}-")
	if !ok {
		s.t.Fatalf("%s: FunctionName %q is not ${AWS::StackName}-<dir>", name, fn)
	}
	return dir
}

// base is a function's logical id without "Function", the prefix of its
// alarms and log group.
func base(fn string) string { return strings.TrimSuffix(fn, "Function") }

// The functions and what they are: the store roles each main wires
// (wire.Service's roles in functions/<dir>/main.go), and the DynamoDB
// actions its role may take. The actions follow from the store methods
// those roles' flows call (pkg/store/dynamo); a function whose roles
// change fails here until its policy is looked at again.
var wantFunctions = map[string]struct {
	roles    string
	dynamodb []string
}{
	"RequestLoginFunction": {"wire.Tenants|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit",
		[]string{"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"}},
	"RedeemFunction": {"wire.Tenants|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit|wire.Actions",
		[]string{"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"}},
	"SessionFunction": {"wire.Tenants|wire.Keys|wire.Contacts|wire.Sessions|wire.Audit|wire.Handoffs",
		[]string{"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"}},
	"InviteFunction": {"wire.Tenants|wire.Keys|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit",
		[]string{"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"}},
	"GenerateLinkFunction": {"wire.Tenants|wire.Keys|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit|wire.Actions",
		[]string{"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"}},
	// Reads, and UpdateItem of API key items only (TouchAPIKey).
	"AuditFunction": {"wire.Tenants|wire.Keys|wire.Audit",
		[]string{"BatchGetItem", "GetItem", "Query", "UpdateItem"}},
	"AuthorizerFunction": {"wire.Tenants|wire.Sessions",
		[]string{"BatchGetItem", "GetItem"}},
	"PortalExampleFunction": {"", nil},
	"DeliveryEventsFunction": {"wire.Attempts|wire.Audit|wire.Delivery",
		[]string{"DeleteItem", "GetItem", "PutItem", "Query"}},
	// Audit only: the delivery.failed of a message it gives up on.
	"SendRetryFunction": {"wire.Audit", []string{"PutItem"}},
}

// validDynamoDBActions are the IAM actions of DynamoDB's item API that a
// policy here may name. TransactWriteItems and TransactGetItems are not
// IAM actions: a transaction is authorized by its items' actions.
var validDynamoDBActions = []string{
	"BatchGetItem", "BatchWriteItem", "ConditionCheckItem", "DeleteItem", "GetItem",
	"PutItem", "Query", "Scan", "UpdateItem",
}

var rolesRE = regexp.MustCompile(`wire\.Service\(cfg, ([A-Za-z.|]+),`)

// TestFunctionsMatchCode: every directory under functions/ is a function
// of the template and the other way round, the Makefile has each one's
// build-<LogicalId> target, and each main's store roles are the ones the
// policies below were written for.
func TestFunctionsMatchCode(t *testing.T) {
	s := loadStack(t)
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob("../../functions/*/main.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, fn := range s.functions() {
		dir := s.functionDir(fn)
		seen[dir] = true
		if !strings.Contains(string(mk), "\t"+fn+"="+dir+" ") && !strings.Contains(string(mk), "\t"+fn+"="+dir+"\n") {
			t.Errorf("Makefile SAM_FUNCTIONS has no %s=%s (sam build runs make build-%s)", fn, dir, fn)
		}
		if str(s.resource(fn), "Metadata", "BuildMethod") != "makefile" {
			t.Errorf("%s: Metadata.BuildMethod is not makefile", fn)
		}
		want, ok := wantFunctions[fn]
		if !ok {
			t.Errorf("%s: a function this test does not know: add its roles and policy to wantFunctions", fn)
			continue
		}
		src, err := os.ReadFile("../../functions/" + dir + "/main.go")
		if err != nil {
			t.Errorf("%s: %v", fn, err)
			continue
		}
		got := ""
		if m := rolesRE.FindSubmatch(src); m != nil {
			got = string(m[1])
		}
		if got != want.roles {
			t.Errorf("%s wires store roles %q; the template's policy was written for %q: review its DynamoDB actions", fn, got, want.roles)
		}
	}
	for _, d := range dirs {
		if dir := filepath.Base(filepath.Dir(d)); !seen[dir] {
			t.Errorf("functions/%s is not a function of the template", dir)
		}
	}
}

// statements returns the inline policy statements of a function's role.
func (s *stack) statements(fn string) []map[string]any {
	var out []map[string]any
	for _, p := range list(s.resource(fn), "Properties", "Policies") {
		for _, st := range list(p, "Statement") {
			out = append(out, st.(map[string]any))
		}
	}
	return out
}

// TestLeastPrivilege: each function's role may take only its own
// DynamoDB actions on the table (no shared table policy), the audit
// function writes nothing but its API key's "last used", and every action
// named is a real one.
func TestLeastPrivilege(t *testing.T) {
	s := loadStack(t)
	for _, name := range []string{"TableAccessPolicy", "TableReadPolicy"} {
		if get(s.doc, "Resources", name) != nil {
			t.Errorf("%s is back: each function lists its own DynamoDB actions", name)
		}
	}
	for _, fn := range s.functions() {
		var got []string
		for _, st := range s.statements(fn) {
			for _, a := range stringsOf(st["Action"]) {
				op, ok := strings.CutPrefix(a, "dynamodb:")
				if !ok {
					continue
				}
				if str(st, "Effect") != "Allow" {
					t.Errorf("%s: %s is not an Allow", fn, a)
				}
				if !slices.Contains(validDynamoDBActions, op) {
					t.Errorf("%s: %s is not a DynamoDB IAM action", fn, a)
				}
				if !slices.Contains(got, op) {
					got = append(got, op)
				}
				resources := list(st, "Resource")
				if resources == nil {
					resources = []any{get(st, "Resource")}
				}
				for _, r := range resources {
					if !same(r, getAtt("Table", "Arn")) && !same(r, map[string]any{"Fn::Sub": "${Table.Arn}/index/*"}) {
						t.Errorf("%s: %s on %v; want the table and its indexes only", fn, a, r)
					}
				}
				if op != "Query" && op != "GetItem" && op != "BatchGetItem" {
					for _, r := range resources {
						if same(r, map[string]any{"Fn::Sub": "${Table.Arn}/index/*"}) {
							t.Errorf("%s: %s on the indexes, which take only reads", fn, a)
						}
					}
				}
			}
		}
		sort.Strings(got)
		if want := wantFunctions[fn].dynamodb; !slices.Equal(got, want) {
			t.Errorf("%s: DynamoDB actions %v; want %v", fn, got, want)
		}
	}

	// The audit function: UpdateItem only on API key items, and no write
	// action besides.
	for _, st := range s.statements("AuditFunction") {
		for _, a := range stringsOf(st["Action"]) {
			switch a {
			case "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem":
				t.Errorf("AuditFunction may %s", a)
			case "dynamodb:UpdateItem":
				keys := stringsOf(get(st, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys"))
				if !slices.Equal(keys, []string{"APIKEY#*"}) {
					t.Errorf("AuditFunction's UpdateItem is limited to leading keys %v; want API key items only (APIKEY#*)", keys)
				}
			}
		}
	}
	for _, fn := range []string{"AuthorizerFunction", "PortalExampleFunction"} {
		for _, st := range s.statements(fn) {
			for _, a := range stringsOf(st["Action"]) {
				if a != "dynamodb:GetItem" && a != "dynamodb:BatchGetItem" {
					t.Errorf("%s may %s; want reads only", fn, a)
				}
			}
		}
	}
	raw, err := os.ReadFile(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"dynamodb:*", "dynamodb:Scan", "dynamodb:Transact", "dynamodb:DeleteTable", "dynamodb:UpdateTable"} {
		if strings.Contains(string(raw), a) {
			t.Errorf("the template names %s", a)
		}
	}

	// Sending: email only as the sender identity with the configuration
	// set, SMS only to phone numbers (never a topic).
	send := get(s.resource("SendPolicy"), "Properties", "PolicyDocument", "Statement").([]any)
	var email, sms, deny bool
	for _, st := range send {
		switch a := str(st, "Action"); {
		case a == "ses:SendEmail" && str(st, "Effect") == "Allow":
			email = true
			rs := list(st, "Resource")
			if len(rs) != 2 || !strings.Contains(str(rs[0], "Fn::Sub", 0), ":identity/${Identity}") ||
				!strings.Contains(str(rs[1], "Fn::Sub"), ":configuration-set/${DeliveryConfigurationSet}") {
				t.Errorf("ses:SendEmail on %v; want the sender identity and the configuration set only", rs)
			}
		case a == "sns:Publish" && str(st, "Effect") == "Allow":
			sms = true
		case a == "sns:Publish" && str(st, "Effect") == "Deny":
			deny = strings.Contains(str(st, "Resource", "Fn::Sub"), ":sns:*:*:*")
		}
	}
	if !email || !sms || !deny {
		t.Errorf("SendPolicy: email %v, SMS %v, deny on every topic %v; want all three", email, sms, deny)
	}
	for _, fn := range s.functions() {
		uses := slices.ContainsFunc(list(s.resource(fn), "Properties", "Policies"), func(p any) bool { return same(p, ref("SendPolicy")) })
		want := fn == "RequestLoginFunction" || fn == "InviteFunction" || fn == "GenerateLinkFunction" || fn == "SendRetryFunction"
		if uses != want {
			t.Errorf("%s uses SendPolicy: %v; want %v", fn, uses, want)
		}
	}
}

// TestCanaryDeploys: every function publishes the alias "live" and
// shifts traffic to a new version 10% first, rolled back by its own error
// alarm, which watches that alias's new version.
func TestCanaryDeploys(t *testing.T) {
	s := loadStack(t)
	if got := str(s.doc, "Globals", "Function", "AutoPublishAlias"); got != "live" {
		t.Errorf("Globals AutoPublishAlias = %q; want live", got)
	}
	for _, fn := range s.functions() {
		p := get(s.resource(fn), "Properties")
		if a := get(p, "AutoPublishAlias"); a != nil {
			t.Errorf("%s overrides AutoPublishAlias with %v", fn, a)
		}
		if got := str(p, "DeploymentPreference", "Type"); got != "Canary10Percent5Minutes" {
			t.Errorf("%s: DeploymentPreference.Type = %q; want Canary10Percent5Minutes", fn, got)
		}
		alarm := base(fn) + "ErrorsAlarm"
		if got := list(p, "DeploymentPreference", "Alarms"); len(got) != 1 || !same(got[0], ref(alarm)) {
			t.Errorf("%s: DeploymentPreference.Alarms = %v; want [%s]", fn, got, alarm)
		}
		if c := str(s.resource(fn), "Condition"); c != "" && get(p, "DeploymentPreference", "PassthroughCondition") != true {
			t.Errorf("%s has Condition %s but its DeploymentPreference does not pass it through", fn, c)
		}
	}
}

// dims returns an alarm's dimensions by name.
func dims(alarm any) map[string]any {
	out := map[string]any{}
	for _, d := range list(alarm, "Properties", "Dimensions") {
		out[str(d, "Name")] = get(d, "Value")
	}
	return out
}

// TestAlarms: each alarm the runbook names exists, watches what it says,
// and notifies the AlarmTopic.
func TestAlarms(t *testing.T) {
	s := loadStack(t)
	if str(s.resource("AlarmTopic"), "Type") != "AWS::SNS::Topic" {
		t.Error("AlarmTopic is not an SNS topic")
	}
	sub := s.resource("AlarmEmailSubscription")
	if str(sub, "Condition") != "HasAlarmEmail" || !same(get(sub, "Properties", "Endpoint"), ref("AlarmEmail")) ||
		str(sub, "Properties", "Protocol") != "email" {
		t.Errorf("AlarmEmailSubscription = %v; want an email subscription of AlarmEmail when set", sub)
	}
	for name, r := range get(s.doc, "Resources").(map[string]any) {
		if str(r, "Type") != "AWS::CloudWatch::Alarm" {
			continue
		}
		if a := list(r, "Properties", "AlarmActions"); len(a) != 1 || !same(a[0], ref("AlarmTopic")) {
			t.Errorf("%s: AlarmActions %v; want [AlarmTopic]", name, a)
		}
		if str(r, "Properties", "TreatMissingData") != "notBreaching" {
			t.Errorf("%s: TreatMissingData is not notBreaching (no traffic is no alarm)", name)
		}
	}

	for _, fn := range s.functions() {
		cond := str(s.resource(fn), "Condition")
		e := s.resource(base(fn) + "ErrorsAlarm")
		d := dims(e)
		if str(e, "Properties", "Namespace") != "AWS/Lambda" || str(e, "Properties", "MetricName") != "Errors" ||
			!same(d["FunctionName"], ref(fn)) || !same(d["Resource"], map[string]any{"Fn::Sub": "${" + fn + "}:live"}) ||
			!same(d["ExecutedVersion"], getAtt(fn, "Version.Version")) {
			t.Errorf("%sErrorsAlarm: %v %v; want AWS/Lambda Errors of %s's live alias's new version", base(fn), get(e, "Properties", "MetricName"), d, fn)
		}
		th := s.resource(base(fn) + "ThrottlesAlarm")
		if str(th, "Properties", "MetricName") != "Throttles" || !same(dims(th)["FunctionName"], ref(fn)) {
			t.Errorf("%sThrottlesAlarm: want AWS/Lambda Throttles of %s", base(fn), fn)
		}
		if str(e, "Condition") != cond || str(th, "Condition") != cond {
			t.Errorf("%s's alarms have conditions %q, %q; want the function's %q", fn, str(e, "Condition"), str(th, "Condition"), cond)
		}
	}

	metrics := func(alarm string) (names []string) {
		for _, m := range list(s.resource(alarm), "Properties", "Metrics") {
			if n := str(m, "MetricStat", "Metric", "MetricName"); n != "" {
				names = append(names, str(m, "MetricStat", "Metric", "Namespace")+" "+n)
			}
		}
		return names
	}
	if got := metrics("Api5xxRateAlarm"); !slices.Equal(got, []string{"AWS/ApiGateway 5xx", "AWS/ApiGateway Count"}) {
		t.Errorf("Api5xxRateAlarm metrics %v; want 5xx over Count", got)
	}
	lat := s.resource("ApiLatencyP99Alarm")
	if str(lat, "Properties", "MetricName") != "Latency" || str(lat, "Properties", "ExtendedStatistic") != "p99" ||
		!same(dims(lat)["ApiId"], ref("HttpApi")) {
		t.Errorf("ApiLatencyP99Alarm: want the HTTP API's p99 Latency")
	}
	for alarm, metric := range map[string]string{
		"TableThrottledRequestsAlarm": "ThrottledRequests",
		"TableSystemErrorsAlarm":      "SystemErrors",
	} {
		got := metrics(alarm)
		if len(got) < 5 {
			t.Errorf("%s: metrics %v; want %s of each operation the functions call", alarm, got, metric)
		}
		for _, m := range list(s.resource(alarm), "Properties", "Metrics") {
			if n := str(m, "MetricStat", "Metric", "MetricName"); n != "" && n != metric {
				t.Errorf("%s watches %s", alarm, n)
			}
		}
	}
	// The send queue's dead letters: any message there is a customer
	// whose link never went out.
	dlq := get(s.resource("SendDeadLetterQueueAlarm"), "Properties")
	if str(dlq, "Namespace") != "AWS/SQS" || str(dlq, "MetricName") != "ApproximateNumberOfMessagesVisible" ||
		!same(dims(s.resource("SendDeadLetterQueueAlarm"))["QueueName"], map[string]any{"Fn::GetAtt": []any{"SendDeadLetterQueue", "QueueName"}}) ||
		!same(get(dlq, "Threshold"), 0) || str(dlq, "ComparisonOperator") != "GreaterThanThreshold" {
		t.Errorf("SendDeadLetterQueueAlarm = %v; want any visible message in SendDeadLetterQueue", dlq)
	}
	if !same(get(s.resource("SendQueue"), "Properties", "RedrivePolicy", "deadLetterTargetArn"), map[string]any{"Fn::GetAtt": []any{"SendDeadLetterQueue", "Arn"}}) {
		t.Errorf("SendQueue does not redrive to SendDeadLetterQueue")
	}
	for _, tt := range []struct {
		alarm, namespace, metric string
		threshold                any
		op                       string
	}{
		{"DeliveryFailedAlarm", "portalpass", "DeliveryFailed", nil, ""},
		{"SesBounceRateAlarm", "AWS/SES", "Reputation.BounceRate", 0.02, "GreaterThanThreshold"},
		{"SesComplaintRateAlarm", "AWS/SES", "Reputation.ComplaintRate", 0.0008, "GreaterThanThreshold"},
		{"SmsSpendAlarm", "AWS/SNS", "SMSMonthToDateSpentUSD", ref("SmsSpendAlarmUsd"), "GreaterThanThreshold"},
	} {
		p := get(s.resource(tt.alarm), "Properties")
		if str(p, "Namespace") != tt.namespace || str(p, "MetricName") != tt.metric {
			t.Errorf("%s watches %s %s; want %s %s", tt.alarm, str(p, "Namespace"), str(p, "MetricName"), tt.namespace, tt.metric)
		}
		if tt.threshold != nil && (!same(get(p, "Threshold"), tt.threshold) || str(p, "ComparisonOperator") != tt.op) {
			t.Errorf("%s: %v %v; want %s %v", tt.alarm, get(p, "ComparisonOperator"), get(p, "Threshold"), tt.op, tt.threshold)
		}
		if d := list(p, "Dimensions"); len(d) != 0 {
			t.Errorf("%s has dimensions %v; want none", tt.alarm, d)
		}
	}
}

// TestThrottlingAndConcurrency: stage limits at or above the documented
// targets (10,000 rps, burst 5,000) and not settable lower; reserved
// concurrency optional and off by default.
func TestThrottlingAndConcurrency(t *testing.T) {
	s := loadStack(t)
	rs := get(s.resource("HttpApi"), "Properties", "DefaultRouteSettings")
	if !same(get(rs, "ThrottlingRateLimit"), ref("ThrottleRateLimit")) || !same(get(rs, "ThrottlingBurstLimit"), ref("ThrottleBurstLimit")) {
		t.Errorf("HttpApi DefaultRouteSettings = %v; want the Throttle parameters", rs)
	}
	for name, target := range map[string]int{"ThrottleRateLimit": 10000, "ThrottleBurstLimit": 5000} {
		p := s.param(name)
		if d, _ := p["Default"].(int); d < target {
			t.Errorf("%s default %v; want at least %d", name, p["Default"], target)
		}
		if m, _ := p["MinValue"].(int); m < target {
			t.Errorf("%s MinValue %v; want at least %d, so that a low limit cannot deny every client", name, p["MinValue"], target)
		}
	}
	if p := s.param("ReservedConcurrency"); p["Default"] != 0 {
		t.Errorf("ReservedConcurrency default %v; want 0 (off)", p["Default"])
	}
	rc := list(s.doc, "Globals", "Function", "ReservedConcurrentExecutions", "Fn::If")
	if len(rc) != 3 || rc[0] != "HasReservedConcurrency" || !same(rc[1], ref("ReservedConcurrency")) || !same(rc[2], ref("AWS::NoValue")) {
		t.Errorf("ReservedConcurrentExecutions = %v; want ReservedConcurrency only when set", rc)
	}
	if c := list(s.doc, "Conditions", "HasReservedConcurrency", "Fn::Not"); c == nil {
		t.Error("no HasReservedConcurrency condition")
	}
}

// TestRoutes: every route invokes a function's alias "live" by name (no
// reference to a function: that would be a circular dependency), with an
// invoke permission on the alias; preflights go to the session function
// without an authorizer; no API-level CORS.
func TestRoutes(t *testing.T) {
	s := loadStack(t)
	api := get(s.resource("HttpApi"), "Properties")
	if c := get(api, "CorsConfiguration"); c != nil {
		t.Errorf("HttpApi has CorsConfiguration %v: API Gateway would answer every preflight itself", c)
	}
	uriRE := regexp.MustCompile(`:function:\$\{AWS::StackName\}-([a-z-]+):live/invocations$`)
	dirs := map[string]string{}
	for _, fn := range s.functions() {
		dirs[s.functionDir(fn)] = fn
	}
	invoked := map[string]bool{}
	check := func(where, uri string) {
		m := uriRE.FindStringSubmatch(uri)
		if m == nil {
			t.Errorf("%s: integration %q does not invoke a function's alias live", where, uri)
			return
		}
		fn, ok := dirs[m[1]]
		if !ok {
			t.Errorf("%s: integration names %s, no function of the template", where, m[1])
			return
		}
		invoked[fn] = true
	}
	paths := get(api, "DefinitionBody", "paths").(map[string]any)
	for path, item := range paths {
		if ifs := list(item, "Fn::If"); ifs != nil {
			if path != "/portal-example/me" || ifs[0] != "DeployPortalExample" {
				t.Errorf("%s is conditional on %v", path, ifs[0])
			}
			item = ifs[1]
		}
		for method, op := range item.(map[string]any) {
			check(method+" "+path, str(op, "x-amazon-apigateway-integration", "uri", "Fn::Sub"))
		}
	}
	if _, ok := paths["/portal-example/me"].(map[string]any)["Fn::If"]; !ok {
		t.Error("/portal-example/me is not conditional on DeployPortalExample")
	}
	pre := get(paths, "/{proxy+}", "options")
	if pre == nil || get(pre, "security") != nil ||
		!strings.HasSuffix(str(pre, "x-amazon-apigateway-integration", "uri", "Fn::Sub"), "-session:live/invocations") {
		t.Errorf("OPTIONS /{proxy+} = %v; want every preflight to the session function's alias, unauthenticated", pre)
	}
	if len(paths["/{proxy+}"].(map[string]any)) != 1 {
		t.Errorf("/{proxy+} has methods besides OPTIONS: %v", paths["/{proxy+}"])
	}
	auth := get(api, "DefinitionBody", "components", "securitySchemes", "SessionAuthorizer", "x-amazon-apigateway-authorizer")
	check("the session authorizer", str(auth, "authorizerUri", "Fn::Sub"))

	for fn := range invoked {
		perm := s.resource(fn + "Permission")
		p := get(perm, "Properties")
		if !same(get(p, "FunctionName"), ref(fn+".Alias")) || str(p, "Principal") != "apigateway.amazonaws.com" {
			t.Errorf("%sPermission = %v; want API Gateway's permission on %s's alias", fn, p, fn)
		}
		if str(perm, "Condition") != str(s.resource(fn), "Condition") {
			t.Errorf("%sPermission has condition %q; want its function's", fn, str(perm, "Condition"))
		}
	}
	if !invoked["AuthorizerFunction"] || len(invoked) != len(s.functions())-2 || invoked["SendRetryFunction"] || invoked["DeliveryEventsFunction"] {
		t.Errorf("routes invoke %v; want every function but delivery-events and send-retry", invoked)
	}
	if get(s.resource("DeliveryEventsFunction"), "Properties", "Events", "DeliveryTopic", "Type") != "SNS" {
		t.Error("DeliveryEventsFunction is not fed by the delivery topic")
	}
}

// TestLogging: JSON function logs at the LogLevel, and a JSON access log
// with retention that never holds a path or query string.
func TestLogging(t *testing.T) {
	s := loadStack(t)
	lc := get(s.doc, "Globals", "Function", "LoggingConfig")
	if str(lc, "LogFormat") != "JSON" || str(lc, "SystemLogLevel") != "WARN" ||
		!same(get(lc, "ApplicationLogLevel"), map[string]any{"Fn::FindInMap": []any{"LambdaLogLevels", ref("LogLevel"), "Level"}}) {
		t.Errorf("Globals LoggingConfig = %v; want JSON, WARN and the LogLevel parameter's level", lc)
	}
	// Lambda's own filter keeps DEBUG when asked, else INFO: it counts the
	// level-less EMF metric lines as INFO, so a WARN or ERROR filter would
	// drop every metric (the functions filter their lines by LOG_LEVEL).
	for _, lvl := range list(s.param("LogLevel"), "AllowedValues") {
		got := str(s.doc, "Mappings", "LambdaLogLevels", lvl.(string), "Level")
		want := "INFO"
		if lvl == "debug" {
			want = "DEBUG"
		}
		if got != want {
			t.Errorf("LogLevel %s maps to %q; want %s", lvl, got, want)
		}
	}
	for _, fn := range s.functions() {
		lg := s.resource(base(fn) + "LogGroup")
		if !same(get(s.resource(fn), "Properties", "LoggingConfig", "LogGroup"), ref(base(fn)+"LogGroup")) || get(lg, "Properties", "RetentionInDays") == nil {
			t.Errorf("%s: want its own log group with a retention", fn)
		}
	}
	al := get(s.resource("HttpApi"), "Properties", "AccessLogSettings")
	if !same(get(al, "DestinationArn"), getAtt("ApiAccessLogGroup", "Arn")) || get(s.resource("ApiAccessLogGroup"), "Properties", "RetentionInDays") == nil {
		t.Errorf("access log %v; want ApiAccessLogGroup with a retention", al)
	}
	format := str(al, "Format")
	for _, v := range []string{"$context.requestId", "$context.routeKey", "$context.status", "$context.responseLatency", "$context.integrationErrorMessage", "$context.authorizer.error"} {
		if !strings.Contains(format, v) {
			t.Errorf("access log format lacks %s", v)
		}
	}
	for _, v := range []string{"$context.path", "$context.resourcePath", "querystring", "$input", "$request"} {
		if strings.Contains(format, v) {
			t.Errorf("access log format has %s: a login token may travel in the path or query", v)
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(format), "{") || strings.Contains(format, "\n") {
		t.Errorf("access log format %q is not one JSON line", format)
	}
}

// TestParameters: a deploy without a sender fails at once, an issuer
// needs an audience, the custom domain needs its certificate and becomes
// the base URL, and the outputs an operator needs are there.
func TestParameters(t *testing.T) {
	s := loadStack(t)
	sender := s.param("SenderEmail")
	if _, ok := sender["Default"]; ok {
		t.Errorf("SenderEmail has a default %v: a placeholder sender fails every send behind a 202", sender["Default"])
	}
	re, err := regexp.Compile(str(sender, "AllowedPattern"))
	if err != nil || !re.MatchString("login@example.com") || re.MatchString("") || re.MatchString("login") {
		t.Errorf("SenderEmail AllowedPattern %q: want one address, not empty", str(sender, "AllowedPattern"))
	}
	rule := func(name, cond, assert string) {
		r := get(s.doc, "Rules", name)
		if !strings.Contains(toString(get(r, "RuleCondition")), cond) || !strings.Contains(toString(get(r, "Assertions")), assert) {
			t.Errorf("Rules.%s = %v; want %s to need %s", name, r, cond, assert)
		}
	}
	rule("AdminJwtNeedsAudience", "AdminJwtIssuer", "AdminJwtAudience")
	rule("CustomDomainNeedsCertificate", "CustomDomainName", "CustomDomainCertificateArn")
	for _, name := range []string{"CustomDomainName", "CustomDomainCertificateArn", "AlarmEmail", "AdminJwtIssuer", "AdminJwtAudience"} {
		if d := s.param(name)["Default"]; d != "" {
			t.Errorf("%s default %v; want empty (optional)", name, d)
		}
	}
	if d := s.param("DeployPortalExample")["Default"]; d != "false" {
		t.Errorf("DeployPortalExample default %v; want false", d)
	}
	for _, name := range []string{"PortalExampleFunction", "PortalExampleLogGroup", "PortalExampleFunctionPermission"} {
		if c := str(s.resource(name), "Condition"); c != "DeployPortalExample" {
			t.Errorf("%s condition %q; want DeployPortalExample", name, c)
		}
	}
	for _, name := range []string{"ApiDomain", "ApiDomainMapping"} {
		if str(s.resource(name), "Condition") != "HasCustomDomain" {
			t.Errorf("%s is not conditional on HasCustomDomain", name)
		}
	}
	if str(s.resource("ApiDomain"), "Type") != "AWS::ApiGatewayV2::DomainName" ||
		!same(get(s.resource("ApiDomain"), "Properties", "DomainNameConfigurations", 0, "CertificateArn"), ref("CustomDomainCertificateArn")) {
		t.Error("ApiDomain: want an API Gateway domain name with the certificate")
	}
	if !same(get(s.resource("ApiDomainMapping"), "Properties", "ApiId"), ref("HttpApi")) {
		t.Error("ApiDomainMapping does not map the HttpApi")
	}
	baseURL := toString(get(s.doc, "Globals", "Function", "Environment", "Variables", "PUBLIC_BASE_URL"))
	if !strings.Contains(baseURL, "https://${CustomDomainName}") || !strings.Contains(baseURL, "HasCustomDomain") {
		t.Errorf("PUBLIC_BASE_URL = %s; want https://CustomDomainName when a domain is set", baseURL)
	}
	// The functions refuse to start on a malformed origin: the stack
	// refuses it first (the pattern applies to each entry of the list).
	origins, err := regexp.Compile(str(s.param("DashboardOrigins"), "AllowedPattern"))
	if err != nil {
		t.Fatalf("DashboardOrigins AllowedPattern: %v", err)
	}
	for v, want := range map[string]bool{"": true, "https://dash.example.com": true, " https://dash.example.com:8443": true,
		"https://dash.example.com/": false, "https://dash.example.com/app": false, "http://dash.example.com": false} {
		if origins.MatchString(v) != want {
			t.Errorf("DashboardOrigins AllowedPattern matches %q: %v; want %v", v, !want, want)
		}
	}
	if v := toString(get(s.doc, "Globals", "Function", "Environment", "Variables", "DASHBOARD_ORIGINS")); !strings.Contains(v, "DashboardOrigins") {
		t.Errorf("DASHBOARD_ORIGINS = %s; want the DashboardOrigins parameter", v)
	}
	for _, out := range []string{"ApiUrl", "JwksUrl", "JwtSigningKeyArn", "AlarmTopicArn", "TableName"} {
		if get(s.doc, "Outputs", out, "Value") == nil {
			t.Errorf("no output %s", out)
		}
	}
	if !strings.Contains(toString(get(s.doc, "Outputs", "JwksUrl", "Value")), "/.well-known/jwks.json") {
		t.Error("JwksUrl is not the JWKS")
	}
	if !same(get(s.doc, "Outputs", "AlarmTopicArn", "Value"), ref("AlarmTopic")) ||
		!same(get(s.doc, "Outputs", "JwtSigningKeyArn", "Value"), getAtt("JwtSigningKey", "Arn")) {
		t.Error("AlarmTopicArn or JwtSigningKeyArn output the wrong value")
	}
}

// TestDataSafety: the table cannot be deleted by accident and the JWT
// key has an alias.
func TestDataSafety(t *testing.T) {
	s := loadStack(t)
	tbl := s.resource("Table")
	if get(tbl, "Properties", "DeletionProtectionEnabled") != true || str(tbl, "DeletionPolicy") != "Retain" {
		t.Error("Table: want DeletionProtectionEnabled and DeletionPolicy Retain")
	}
	alias := s.resource("JwtSigningKeyAlias")
	if str(alias, "Type") != "AWS::KMS::Alias" || !same(get(alias, "Properties", "TargetKeyId"), ref("JwtSigningKey")) ||
		!strings.HasPrefix(str(alias, "Properties", "AliasName", "Fn::Sub"), "alias/") {
		t.Errorf("JwtSigningKeyAlias = %v; want an alias of JwtSigningKey", alias)
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	}
	return strings.TrimSpace(strings.ReplaceAll(sprint(v), "\n", " "))
}

func sprint(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteString("{")
			for _, k := range keys {
				b.WriteString(k + ": ")
				walk(x[k])
				b.WriteString(" ")
			}
			b.WriteString("}")
		case []any:
			b.WriteString("[")
			for _, e := range x {
				walk(e)
				b.WriteString(" ")
			}
			b.WriteString("]")
		default:
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(toStringScalar(x), "\n", " "), "  ", " ")))
		}
	}
	walk(v)
	return b.String()
}

func toStringScalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return "?"
}
