package awstest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Email is one email moto's SES recorded (the HTML part only, when a
// message had both).
type Email struct {
	Body         string `json:"body"`
	Source       string `json:"source"`
	Subject      string `json:"subject"`
	Destinations struct {
		ToAddresses []string `json:"ToAddresses"`
	} `json:"destinations"`
}

// SMS is one text message moto's SNS recorded.
type SMS struct {
	Message     string `json:"message"`
	PhoneNumber string `json:"phone_number"`
}

type motoData struct {
	SES struct {
		Message []Email `json:"Message"`
	} `json:"ses"`
	SNS struct {
		SMS []SMS `json:"SMS"`
	} `json:"sns"`
}

func sent(tb testing.TB, endpoint string) motoData {
	tb.Helper()
	resp, err := http.Get(endpoint + "/moto-api/data.json")
	if err != nil {
		tb.Fatalf("awstest: moto data: %v", err)
	}
	defer resp.Body.Close()
	var d motoData
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		tb.Fatalf("awstest: decode moto data: %v", err)
	}
	return d
}

// SentEmails returns the emails moto's SES sent to an address, oldest first.
func SentEmails(tb testing.TB, endpoint, to string) []Email {
	var out []Email
	for _, m := range sent(tb, endpoint).SES.Message {
		for _, a := range m.Destinations.ToAddresses {
			if a == to {
				out = append(out, m)
			}
		}
	}
	return out
}

// SentSMS returns the SMS moto's SNS sent to a number, oldest first.
func SentSMS(tb testing.TB, endpoint, phone string) []SMS {
	var out []SMS
	for _, m := range sent(tb, endpoint).SNS.SMS {
		if m.PhoneNumber == phone {
			out = append(out, m)
		}
	}
	return out
}
