/** Process CPU milliseconds: complexity guards measure this, not wall time, so a busy machine does not fail them. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
