// The seeded PRNG lives with the test helpers (tests/support/prng.ts): tests and benchmarks draw the same inputs.
export { mulberry32, uniform, type Rng } from '../../tests/support/prng.js';
