package message

import "time"

// Duration says d in English words; see DurationIn.
func Duration(d time.Duration) string { return DurationIn("en", d) }

// DurationIn says d in words for a person, in lang: "10 minutes",
// "1 hour", "24 hours", "7 days". It picks the largest unit that
// measures d exactly (days from two days up, so a day reads "24 hours"),
// after dropping any part of a minute from a d of a minute or more: it
// never promises more time than there is. Anything below a second is
// "0 seconds".
func DurationIn(lang string, d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Second:
		return units(lang, 0, UnitSecond, UnitSeconds)
	case d < time.Minute:
		return units(lang, int64(d/time.Second), UnitSecond, UnitSeconds)
	}
	d = d.Truncate(time.Minute)
	switch {
	case d%day == 0 && d >= 2*day:
		return units(lang, int64(d/day), UnitDay, UnitDays)
	case d%time.Hour == 0:
		return units(lang, int64(d/time.Hour), UnitHour, UnitHours)
	default:
		return units(lang, int64(d/time.Minute), UnitMinute, UnitMinutes)
	}
}
