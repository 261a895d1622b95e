import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph, followsOf, graphName, loadGraph, parseEdgeList } from '../src/graph.js';

const graphs = resolve(import.meta.dirname, '..', 'data', 'social-graph');
const plain = { oneBased: false, sizeLine: false };
const matrixMarket = { oneBased: true, sizeLine: true };

describe('parseEdgeList', () => {
  it('reads 0-based "a b" lines, larger id first or second, into edges smaller id first', () => {
    const { edges, maxId } = parseEdgeList('1 0\n15 0\n2 15\n', plain);
    expect(edges).toEqual([
      [0, 1],
      [0, 15],
      [2, 15],
    ]);
    expect(maxId).toBe(15);
  });

  it('reads Matrix Market: the size line, then 1-based ids', () => {
    const parsed = parseEdgeList('%%MatrixMarket matrix coordinate\n% comment\n4 4 2\n2 1\n4 3\n', matrixMarket);
    expect(parsed.declaredNodes).toBe(4);
    expect(parsed.edges).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('counts an edge given in both directions, or twice, once', () => {
    expect(parseEdgeList('0 1\n1 0\n0 1\n', plain).edges).toEqual([[0, 1]]);
  });

  it('drops self-loops but still counts their node', () => {
    const parsed = parseEdgeList('0 1\n7 7\n', plain);
    expect(parsed.edges).toEqual([[0, 1]]);
    expect(buildGraph('g', parsed).userCount).toBe(8);
  });

  it('skips comments, blank lines and tabs; refuses junk', () => {
    expect(parseEdgeList('# SNAP header\n\n0\t1\r\n', plain).edges).toEqual([[0, 1]]);
    expect(() => parseEdgeList('0 x\n', plain)).toThrow(/not an edge/);
  });

  it('refuses an id beyond the declared node count', () => {
    expect(() => buildGraph('g', parseEdgeList('0 5\n', plain), 3)).toThrow(/only 3 nodes/);
  });
});

describe('the graphs of the workload', () => {
  it('socfb-Reed98: 962 users, 18,812 edges, 37,624 follows both ways, same as the old .mtx', async () => {
    const graph = await loadGraph('socfb-Reed98', graphs);
    expect(graph.userCount).toBe(962);
    expect(graph.edges).toHaveLength(18_812);
    const follows = followsOf(graph);
    expect(follows).toHaveLength(37_624);
    expect(follows).toContainEqual([1, 0]);
    expect(follows).toContainEqual([0, 1]);
    const { readFile } = await import('node:fs/promises');
    const mtx = parseEdgeList(await readFile(join(graphs, 'socfb-Reed98', 'socfb-Reed98.mtx'), 'utf8'), matrixMarket);
    expect(mtx.declaredNodes).toBe(962);
    expect(mtx.edges).toEqual(graph.edges);
  });

  it('ego-facebook: 4,039 users, 88,234 edges, 176,468 follows', async () => {
    const graph = await loadGraph('ego-facebook', graphs);
    expect(graph.userCount).toBe(4039);
    expect(followsOf(graph)).toHaveLength(176_468);
  });

  it('knows graphs by short names', () => {
    expect(graphName('reed98')).toBe('socfb-Reed98');
    expect(graphName('EGO-FACEBOOK')).toBe('ego-facebook');
    expect(() => graphName('twitter')).toThrow(/unknown graph/);
  });
});
