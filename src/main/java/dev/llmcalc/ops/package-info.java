/**
 * Running the service in production: request ids and one log line per request, metrics (estimates by
 * calculator, planner searches, build info), request size and JSON limits, response headers, CORS, and the
 * container's health probe. Generic over every endpoint under {@code /api/v1}; never part of the core.
 */
package dev.llmcalc.ops;
