import { describe, expect, it } from 'vitest';
import { escapeXml, renderLatencyChart } from '../src/svg-chart.js';
import { step } from './fixtures.js';

/** Checks that every tag is closed in order and attributes are quoted: enough of XML for our output. */
function assertWellFormed(xml: string): string[] {
  const open: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of xml.matchAll(tag)) {
    const between = xml.slice(last, match.index);
    expect(between, `stray markup before ${match[0]}`).not.toMatch(/[<>]/);
    last = (match.index ?? 0) + match[0].length;
    const [, closing, name = '', , selfClosing] = match;
    names.push(name);
    if (closing) expect(open.pop(), `closing ${name}`).toBe(name);
    else if (!selfClosing) open.push(name);
  }
  expect(xml.slice(last).trim()).toBe('');
  expect(open).toEqual([]);
  return names;
}

describe('renderLatencyChart', () => {
  const steps = [step(250, 3, 12), step(1000, 8, 90), step(2000, 400, 3000)];

  it('is well-formed SVG with a p50 and a p99 line and the 50 ms target', () => {
    const svg = renderLatencyChart(steps, 'mixed <quick> & "all"');
    const names = assertWellFormed(svg);
    expect(names[0]).toBe('svg');
    expect(names.filter((name) => name === 'polyline')).toHaveLength(2);
    expect(svg).toContain('50 ms target');
    expect(svg).toContain('mixed &lt;quick&gt; &amp; &quot;all&quot;');
  });

  it('puts latency on a log axis: each decade takes the same height', () => {
    const svg = renderLatencyChart(steps, 't');
    const gridY = (label: string) => {
      const match = new RegExp(`<text x="\\d+" y="([\\d.]+)" text-anchor="end">${label}</text>`).exec(svg);
      return Number(match?.[1]);
    };
    const one = gridY('1 ms');
    const ten = gridY('10 ms');
    const hundred = gridY('100 ms');
    expect(one - ten).toBeCloseTo(ten - hundred, 0);
    expect(one - ten).toBeGreaterThan(20);
  });

  it('copes with no steps at all', () => {
    assertWellFormed(renderLatencyChart([], 'empty'));
  });

  it('escapes all five XML specials', () => {
    expect(escapeXml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&apos;x&apos;&gt;&quot;&amp;&quot;&lt;/a&gt;');
  });
});
