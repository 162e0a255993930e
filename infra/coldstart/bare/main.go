// Command bare is the cold-start baseline that infra/coldstart compares
// every function with: an aws-lambda-go function with no AWS SDK that
// decodes an API Gateway HTTP API (payload 2.0) event and answers it with a
// fixed response.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       `{"ok":true}`,
	}, nil
}

func main() {
	lambda.Start(handle)
}
