/**
 * The metric names a PromQL expression selects. A tokenizer, not a parser — enough for the
 * expressions in our rules and dashboards: an identifier is a metric name unless it is a
 * keyword, a function (followed by `(`), a label name (inside `{}` or the parentheses of
 * `by`/`without`/`on`/`ignoring`/`group_left`/`group_right`), part of a string, a duration,
 * or a Grafana variable (`$service`, `${service}`, `$__rate_interval`). Not seen: names
 * selected by `{__name__="…"}`.
 */

const KEYWORDS = new Set([
  // aggregation operators
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
  // set and comparison modifiers, literals
  'and',
  'or',
  'unless',
  'atan2',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** Keywords whose parentheses hold label names, not expressions. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const IDENTIFIER_START = /[a-zA-Z_:]/;
const IDENTIFIER_PART = /[a-zA-Z0-9_:]/;
const NUMBER_OR_DURATION = /^(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[a-zA-Z0-9]*)/;

function endOfString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' && quote !== '`' ? 2 : 1;
  return i + 1;
}

/** The index just past the bracket that closes the one at `start`; strings inside are skipped. */
function endOfGroup(text: string, start: number): number {
  const open = text[start];
  const close = open === '{' ? '}' : open === '[' ? ']' : ')';
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(text, i);
      continue;
    }
    if (c === open) depth += 1;
    else if (c === close && --depth === 0) return i + 1;
    i += 1;
  }
  throw new Error(`unbalanced ${open} at ${start} in: ${text}`);
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  return i;
}

function endOfGrafanaVariable(text: string, start: number): number {
  if (text[start + 1] === '{') return endOfGroup(text, start + 1);
  let i = start + 1;
  while (i < text.length && IDENTIFIER_PART.test(text[i] ?? '')) i += 1;
  return i;
}

export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] ?? '';
    if (c === '#') {
      const newline = expr.indexOf('\n', i);
      i = newline === -1 ? expr.length : newline;
    } else if (c === '"' || c === "'" || c === '`') {
      i = endOfString(expr, i);
    } else if (c === '{' || c === '[') {
      // label matchers; range, subquery or Grafana interval
      i = endOfGroup(expr, i);
    } else if (c === '$') {
      i = endOfGrafanaVariable(expr, i);
    } else if (/[0-9.]/.test(c) && NUMBER_OR_DURATION.test(expr.slice(i))) {
      i += NUMBER_OR_DURATION.exec(expr.slice(i))?.[0].length ?? 1;
    } else if (IDENTIFIER_START.test(c)) {
      let end = i + 1;
      while (end < expr.length && IDENTIFIER_PART.test(expr[end] ?? '')) end += 1;
      const word = expr.slice(i, end);
      const after = nextNonSpace(expr, end);
      const opensParenthesis = expr[after] === '(';
      if (LABEL_LIST_KEYWORDS.has(word.toLowerCase())) {
        i = opensParenthesis ? endOfGroup(expr, after) : end;
        continue;
      }
      if (!KEYWORDS.has(word.toLowerCase()) && !opensParenthesis) names.add(word);
      i = end;
    } else {
      i += 1;
    }
  }
  return [...names];
}

/**
 * The metric names in a Grafana variable query: `label_values(metric, label)` selects
 * `metric` (the label is not a metric); `query_result(expr)` and plain PromQL are PromQL.
 */
export function metricNamesInVariableQuery(query: string): string[] {
  const labelValues = /^\s*label_values\(\s*(.*?)\s*,\s*[a-zA-Z_]\w*\s*\)\s*$/s.exec(query);
  if (labelValues) return metricNamesIn(labelValues[1] ?? '');
  if (/^\s*label_values\(\s*[a-zA-Z_]\w*\s*\)\s*$/.test(query)) return [];
  const queryResult = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  return metricNamesIn(queryResult ? (queryResult[1] ?? '') : query);
}

export interface Query {
  /** Where the query is, for the failure message (a rule or a panel). */
  where: string;
  expr: string;
  kind?: 'promql' | 'grafana-variable';
}

export interface UnknownMetric {
  where: string;
  name: string;
}

/** Every metric name used by `queries` that `known` does not hold. */
export function unknownMetricNames(queries: readonly Query[], known: ReadonlySet<string>): UnknownMetric[] {
  return queries.flatMap(({ where, expr, kind }) =>
    (kind === 'grafana-variable' ? metricNamesInVariableQuery(expr) : metricNamesIn(expr))
      .filter((name) => !known.has(name))
      .map((name) => ({ where, name })),
  );
}
