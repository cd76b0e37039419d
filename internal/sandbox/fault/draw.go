package fault

// Draw reports whether a request is hit at rate (0 to 1). It draws from rng
// only when rate is positive, so a sandbox without throttling leaves its
// seeded sequence untouched and a seeded run repeats exactly.
func Draw(rate float64, rng interface{ Float64() float64 }) bool {
	return rate > 0 && rng.Float64() < rate
}
