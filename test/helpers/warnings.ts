/** The Warning headers of a response (Node joins repeated headers with ", "). */

type WithHeaders = { headers: Record<string, string | string[] | undefined> };

/** Each Warning header line as sent: `299 - "<text>"`. */
export function warningLines(res: WithHeaders): string[] {
  const h = res.headers.warning;
  if (!h) return [];
  return (Array.isArray(h) ? h : [h]).flatMap((v) => v.split(/, (?=299 )/));
}

/** Each warning's text, its quoted string decoded. */
export function warningTexts(res: WithHeaders): string[] {
  return warningLines(res).map((v) => JSON.parse(v.slice('299 - '.length)) as string);
}
