export { Readiness, type ReadinessCheck, type CheckResult, type CheckProblem, type ReadinessReport } from './readiness.js';
export { databaseCheck } from './checks.js';
export { healthRoutes, type HealthRouteOptions } from './routes.js';
