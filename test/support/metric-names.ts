/** Metric names in the Prometheus text format: each `# TYPE` line, with a histogram's series suffixes. */
export function exposedMetricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_count', '_sum']) names.add(name + suffix);
  }
  return names;
}

/** Names of the services' own metrics (vrs_, process_, nodejs_) that a PromQL expression reads. */
export function metricNamesInQuery(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:vrs|process|nodejs)_[a-z0-9_]+\b/g) ?? [])];
}
