// Placeholder until the datasets land (issue 4).
export const datasets: Record<string, (...args: any[]) => any> = {};
