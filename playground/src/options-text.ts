// Options typed in the page as `name: value, …` (values in JSON: numbers, true/false, strings in
// double quotes, [arrays], {objects}).
/** "lr: 0.01, momentum: 0.9" → { lr: 0.01, momentum: 0.9 } (values as JSON). */
export function parseOptionsText(text: string): Record<string, unknown> {
  const body = text.trim().replace(/([A-Za-z_][A-Za-z0-9_]*)\s*:/g, '"$1":');
  try {
    return JSON.parse(`{${body}}`);
  } catch {
    throw new SyntaxError(`cannot read "${text}"; write options as name: value, e.g. lr: 0.01, momentum: 0.9`);
  }
}
