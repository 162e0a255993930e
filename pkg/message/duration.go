package message

import (
	"strconv"
	"time"
)

// Duration says d in words for a person: "10 minutes", "1 hour",
// "24 hours", "7 days". It picks the largest unit that measures d
// exactly (days from two days up, so a day reads "24 hours"), after
// dropping any part of a minute from a d of a minute or more: it never
// promises more time than there is. Anything below a second is
// "0 seconds".
func Duration(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Second:
		return "0 seconds"
	case d < time.Minute:
		return count(int64(d/time.Second), "second")
	}
	d = d.Truncate(time.Minute)
	switch {
	case d%day == 0 && d >= 2*day:
		return count(int64(d/day), "day")
	case d%time.Hour == 0:
		return count(int64(d/time.Hour), "hour")
	default:
		return count(int64(d/time.Minute), "minute")
	}
}

func count(n int64, unit string) string {
	s := strconv.FormatInt(n, 10) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}
