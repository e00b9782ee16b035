export { RateLimiter } from './limiter.js';
export { backoffMs, estimate, verdict, windowStart, type Backoff, type Limit, type Verdict } from './domain/window.js';
export { GuessThrottle, type GuessPolicy } from './guesses.js';
