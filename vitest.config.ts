import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The SDK's Node 20 end-of-support notice is for users, not test output.
    // Every test talks to `labops sim`, whose replies' `Date` is its simulated clock: the SDK's own
    // setting keeps it from taking that clock for skew and resending refused calls.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true' },
  },
});
