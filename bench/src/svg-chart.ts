/**
 * The latency-versus-rate chart of a sweep as a standalone SVG: p50 and p99 against the
 * offered rate on a log latency axis, with the 50 ms objective as a line. Plain string
 * building: no chart library to install.
 */
import type { StepResult } from './steps.js';
import { TARGET_P99_MS } from './steps.js';

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 130, top: 40, bottom: 60 };

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const fixed = (value: number) => value.toFixed(1);

export function renderLatencyChart(steps: readonly StepResult[], title: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const latencies = steps.flatMap((step) => [step.p50_ms, step.p99_ms]).filter((ms) => ms > 0 && Number.isFinite(ms));
  // Whole decades around the data and the objective, so the axis reads 1, 10, 100 ms.
  const low = 10 ** Math.floor(Math.log10(Math.min(TARGET_P99_MS, ...latencies, 1)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(TARGET_P99_MS * 2, ...latencies)));
  const maxRate = Math.max(1, ...steps.map((step) => step.target_rps));
  const x = (rate: number) => MARGIN.left + (rate / maxRate) * plotWidth;
  const y = (ms: number) =>
    MARGIN.top + plotHeight - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / Math.log10(high / low)) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  for (let decade = low; decade <= high; decade *= 10) {
    const label = decade >= 1000 ? `${decade / 1000} s` : `${decade} ms`;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${fixed(y(decade))}" x2="${MARGIN.left + plotWidth}" y2="${fixed(y(decade))}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${fixed(y(decade) + 4)}" text-anchor="end">${label}</text>`,
    );
  }
  for (const step of steps) {
    parts.push(
      `<text x="${fixed(x(step.target_rps))}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${step.target_rps}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${MARGIN.top + plotHeight}" stroke="black"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 15}" text-anchor="middle">offered rate (requests/s)</text>`,
    `<text x="18" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + plotHeight / 2})">latency from intended send time (log)</text>`,
    `<line x1="${MARGIN.left}" y1="${fixed(y(TARGET_P99_MS))}" x2="${MARGIN.left + plotWidth}" y2="${fixed(y(TARGET_P99_MS))}" stroke="#c00" stroke-dasharray="6 4"/>`,
    `<text x="${MARGIN.left + plotWidth + 6}" y="${fixed(y(TARGET_P99_MS) + 4)}" fill="#c00">${TARGET_P99_MS} ms target</text>`,
  );
  const series: Array<{ name: string; color: string; value: (step: StepResult) => number }> = [
    { name: 'p50', color: '#1f77b4', value: (step) => step.p50_ms },
    { name: 'p99', color: '#ff7f0e', value: (step) => step.p99_ms },
  ];
  series.forEach((line, index) => {
    const points = steps
      .filter((step) => Number.isFinite(line.value(step)))
      .map((step) => `${fixed(x(step.target_rps))},${fixed(y(line.value(step)))}`);
    if (points.length > 0) {
      parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
      for (const point of points) {
        const [px, py] = point.split(',');
        parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${line.color}"/>`);
      }
    }
    const legendY = MARGIN.top + 10 + index * 18;
    parts.push(
      `<line x1="${MARGIN.left + plotWidth + 6}" y1="${legendY}" x2="${MARGIN.left + plotWidth + 26}" y2="${legendY}" stroke="${line.color}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + plotWidth + 30}" y="${legendY + 4}">${line.name}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
