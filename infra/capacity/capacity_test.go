package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// TestGoals runs a burst of one tenant's logins on moto and fails when
// the layout misses a goal of issue 9 (write and read units per flow,
// calls, writes per partition key, the contact item's size): the
// capacity report, as a test.
func TestGoals(t *testing.T) {
	const n = 32 // enough logins that each contact's own keys stay under 0.5 writes per login
	res, err := Run(awstest.Ctx(t), Options{N: n, Endpoint: awstest.Endpoint(t)})
	if err != nil {
		t.Fatal(err)
	}
	rep := Summarise(res)
	for _, miss := range rep.Misses() {
		t.Error(miss)
	}
	for _, k := range rep.Known() {
		t.Log("known:", k)
	}
	if t.Failed() {
		var out bytes.Buffer
		rep.Print(&out, command(n, true))
		t.Log(out.String())
	}
}

// TestMeasure runs a small burst on moto and checks that every flow was
// metered.
func TestMeasure(t *testing.T) {
	ep := awstest.Endpoint(t)
	res, err := Run(awstest.Ctx(t), Options{N: flowCycle, Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	rep := Summarise(res)
	flows := map[string]FlowStats{}
	for _, f := range rep.Flows {
		flows[f.Name] = f
	}
	for _, name := range flowOrder[:len(flowOrder)-1] {
		f, ok := flows[name]
		if !ok || f.WU.Max < 1 || len(f.Steps) != 2 {
			t.Errorf("%s: %+v; want two steps with write units", name, f)
		}
	}
	if f := flows[flowSession]; f.Runs != flowCycle || f.RU.Max < 1 || len(f.Steps) != 1 || f.Steps[0].Calls.Max < 1 {
		t.Errorf("session check: %+v; want %d runs with reads", f, flowCycle)
	}
	if len(rep.Keys["table"]) == 0 {
		t.Error("no partition key of the table written")
	}
	contact := false
	for k := range rep.Items {
		contact = contact || strings.Contains(k, "CONTACT")
	}
	if !contact {
		t.Errorf("items seen %v; want a contact item", rep.Items)
	}
	var out bytes.Buffer
	rep.Print(&out, command(flowCycle, false))
	for _, want := range []string{"Reproduce: go run ./infra/capacity -n 8", "email login", "phone login by code", "Writes per partition key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
