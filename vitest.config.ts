import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/SummaryLineReporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // ONNX sessions are heavy; two workers match the two cores CI has.
    pool: "forks",
    maxWorkers: 2,
  },
});
