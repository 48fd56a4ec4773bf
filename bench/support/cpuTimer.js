// Process CPU time in milliseconds (user + system), the clock these benchmarks judge
// speed by: on a shared machine wall time mostly measures the neighbours.

export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
