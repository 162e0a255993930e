// Package awstest gives tests a real moto_server speaking DynamoDB, SES
// and SNS over HTTP, and AWS clients pointed at it. Tests that need it are
// skipped under -short.
//
// The first test that asks starts one moto_server on a free loopback port
// for its test binary (its package), and Main stops it by its PID: each
// package sees only its own tables and messages, so reading what was sent
// (moto's data.json) stays quick. When MOTO_ENDPOINT is set, every package
// uses that server instead (.ci/run does not set it).
package awstest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/portalpass/portalpass/pkg/awstest/motoserver"
)

var (
	startOnce   sync.Once
	stopStarted func() // stops the moto_server this test binary started
	endpoint    string
	startErr    error
)

// Main runs a package's tests and then stops the moto_server that the
// package's tests started, if any. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if stopStarted != nil {
		stopStarted()
	}
	os.Exit(code)
}

// Endpoint returns the URL of a running moto_server, starting one if
// needed. It skips the test under -short.
func Endpoint(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("moto_server tests are skipped under -short")
	}
	startOnce.Do(func() {
		if e := os.Getenv("MOTO_ENDPOINT"); e != "" {
			endpoint = e
			return
		}
		endpoint, startErr = start()
	})
	if startErr != nil {
		tb.Fatalf("awstest: %v", startErr)
	}
	return endpoint
}

func start() (string, error) {
	url, stop, err := motoserver.Start(context.Background())
	if err != nil {
		return "", err
	}
	stopStarted = stop
	return url, nil
}

// Config returns an aws.Config for the moto_server at endpoint: a fixed
// region and static dummy credentials.
func Config(endpoint string) aws.Config {
	return aws.Config{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	}
}

// Ctx returns a context that ends with the test, with a generous timeout.
func Ctx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	tb.Cleanup(cancel)
	return ctx
}
