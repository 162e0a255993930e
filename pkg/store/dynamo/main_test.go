package dynamo

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// serialClient sends one request at a time. moto_server 5.2 does not
// isolate concurrent transactions (it checks conditions and rolls back
// by copying whole tables, unlocked, in threads), which DynamoDB does;
// tests that race goroutines send through it so that the server sees
// the requests in some serial order, as DynamoDB's isolation guarantees.
type serialClient struct {
	mu sync.Mutex
	c  aws.HTTPClient
}

func (s *serialClient) Do(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c.Do(r)
}

// client returns a DynamoDB client of the test's moto_server. serial
// makes it send one request at a time; calls, when set, counts them.
func client(t testing.TB, serial bool, calls *Calls) *dynamodb.Client {
	t.Helper()
	cfg := awstest.Config(awstest.Endpoint(t))
	if serial {
		cfg.HTTPClient = &serialClient{c: awshttp.NewBuildableClient()}
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if calls != nil {
			o.APIOptions = append(o.APIOptions, calls.Add)
		}
	})
}

// newTable creates a uniquely named table that is deleted after the test.
func newTable(t testing.TB, c *dynamodb.Client) string {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, t.Name())
	if len(name) > 200 {
		name = name[:200]
	}
	name += "-" + hex.EncodeToString(b[:])
	ctx := awstest.Ctx(t)
	if err := CreateTable(ctx, c, name); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name
}
