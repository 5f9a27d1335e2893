// Placeholder until the schedules land (issue 3).
export function schedule(_name: string, _options?: Record<string, unknown>): any {
  throw new Error('schedule() is not available yet');
}
