import { describe, expect, it } from 'vitest';
import { labelFor, parseOptions } from '../src/options.js';
import { Prng } from '../src/prng.js';
import { parseStat, parseStatus } from '../src/proc-stats.js';
import { buildRequest, MIXES, pickKind, type WorkloadData } from '../src/workload.js';

const data: WorkloadData = {
  userCount: 5,
  tokens: ['t0', 't1', 't2', 't3', 't4'],
  homeCursors: [[], ['h1a', 'h1b'], [], [], []],
  userCursors: [[], ['u1a'], [], [], []],
  walked: [1],
};

describe('the request mix', () => {
  it('draws 60% home, 30% user, 10% compose', () => {
    const prng = new Prng(1);
    const counts = { home: 0, user: 0, compose: 0 };
    for (let i = 0; i < 20_000; i += 1) counts[pickKind(prng, MIXES.mixed)] += 1;
    expect(counts.home / 20_000).toBeCloseTo(0.6, 1);
    expect(counts.user / 20_000).toBeCloseTo(0.3, 1);
    expect(counts.compose / 20_000).toBeCloseTo(0.1, 1);
    expect(pickKind(prng, MIXES.compose)).toBe('compose');
  });

  it("reads pages of 10 as a user with their token; deeper pages use a walked user's cursors", () => {
    const prng = new Prng(2);
    const paths = new Set<string>();
    for (let i = 0; i < 400; i += 1) {
      const request = buildRequest(prng, 'home', data, 'k');
      expect(request.method).toBe('GET');
      expect(request.headers?.authorization).toMatch(/^Bearer t[0-4]$/);
      paths.add(request.path);
    }
    expect(paths).toEqual(
      new Set([
        '/v1/timelines/home?limit=10',
        '/v1/timelines/home?limit=10&cursor=h1a',
        '/v1/timelines/home?limit=10&cursor=h1b',
      ]),
    );
    const user = buildRequest(new Prng(3), 'user', data, 'k');
    expect(user.path).toMatch(/^\/v1\/users\/username_[0-4]\/posts\?limit=10(&cursor=u1a)?$/);
  });

  it('composes a post with a unique idempotency key, the same for the same stream', () => {
    const request = buildRequest(new Prng(4, 'x'), 'compose', data, 'mixed/0/250-17');
    expect(request).toMatchObject({ method: 'POST', path: '/v1/posts' });
    expect(request.headers?.['idempotency-key']).toBe('mixed/0/250-17');
    expect(JSON.parse(request.body ?? '{}').text).toMatch(/@username_\d/);
    expect(buildRequest(new Prng(4, 'x'), 'compose', data, 'k').body).toBe(request.body);
  });
});

describe('options', () => {
  it('--quick: three short steps and fewer posts; labels name graph, workload and quick', () => {
    const options = parseOptions(['--quick']);
    if (options === 'help') throw new Error('help');
    expect(options).toMatchObject({ rates: [250, 1000, 2000], durationSeconds: 10, warmupSeconds: 3 });
    expect(options.postsPerUser).toEqual({ min: 0, max: 4 });
    expect(labelFor(options, 'mixed')).toBe('socfb-Reed98-mixed-quick');
  });

  it('full defaults, all workloads, and refusals', () => {
    const options = parseOptions(['--workload', 'all', '--graph', 'ego-facebook', '--label', 'x']);
    if (options === 'help') throw new Error('help');
    expect(options.rates).toEqual([250, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(options.workloads).toEqual(['mixed', 'home', 'user', 'compose']);
    expect(labelFor(options, 'home')).toBe('x-home');
    expect(() => parseOptions(['--workload', 'read'])).toThrow(/--workload/);
    expect(() => parseOptions(['--rates', '100,x'])).toThrow(/--rates/);
    expect(() => parseOptions(['--bogus'])).toThrow();
    expect(parseOptions(['--help'])).toBe('help');
  });
});

describe('/proc parsing', () => {
  it('reads CPU ticks after a command name holding spaces and parentheses', () => {
    const fields = Array.from({ length: 40 }, (_, i) => String(i));
    fields[1] = '77';
    fields[11] = '100';
    fields[12] = '50';
    fields[13] = '30';
    fields[14] = '20';
    const stat = parseStat(`123 (node (main) x) ${fields.join(' ')}`);
    expect(stat.ppid).toBe(77);
    expect(stat.cpuSeconds).toBeCloseTo(200 / 100, 5);
  });

  it('reads VmRSS and VmHWM', () => {
    expect(parseStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n')).toEqual({
      rssKb: 102_400,
      hwmKb: 204_800,
    });
  });
});
