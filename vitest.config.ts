import { defineConfig } from "vitest/config";

// Tests that judge CPU share or latency run last and one at a time, so no other test
// file competes for the two cores while they measure: the CPU fire drills (the burner
// must get its share to cross 50 %) and the telemetry-fault latency comparison.
const SOLO = [
  "test/cli/faults.test.ts",
  "test/cli/telemetryFaults.test.ts",
  "test/deploy/prometheus.integration.test.ts",
];

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/SummaryLineReporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // ONNX sessions are heavy; two workers match the two cores CI has.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["test/**/*.test.{ts,js}"],
          exclude: SOLO,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "solo",
          include: SOLO,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
