/**
 * The social graphs of the reference workload, kept unmodified in bench/data/social-graph
 * (provenance and citations in its README.md). Each undirected edge becomes two follows,
 * the way DeathStarBench's init_social_graph.py uses them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A user is a 0-based node id; an edge is stored once, smaller id first. */
export interface SocialGraph {
  name: string;
  userCount: number;
  edges: Array<readonly [number, number]>;
}

export interface EdgeListFormat {
  /** Ids in the file start at 1 (Matrix Market) rather than 0. */
  oneBased: boolean;
  /** The first data line is `rows cols nnz`, not an edge (Matrix Market). */
  sizeLine: boolean;
}

interface GraphFiles {
  dir: string;
  edges: string;
  /** A file holding only the node count, when the graph ships one. */
  nodes?: string;
  format: EdgeListFormat;
}

export const GRAPHS: Record<string, GraphFiles> = {
  'socfb-Reed98': {
    dir: 'socfb-Reed98',
    edges: 'socfb-Reed98.edges',
    nodes: 'socfb-Reed98.nodes',
    format: { oneBased: false, sizeLine: false },
  },
  'ego-facebook': {
    dir: 'ego-facebook',
    edges: 'facebook_combined.txt',
    format: { oneBased: false, sizeLine: false },
  },
};

/** The canonical name of a graph given on the command line (`reed98`, `ego-facebook`, …). */
export function graphName(input: string): string {
  const wanted = input.toLowerCase();
  const found = Object.keys(GRAPHS).find(
    (name) => name.toLowerCase() === wanted || name.toLowerCase().endsWith(`-${wanted}`),
  );
  if (!found) throw new Error(`unknown graph "${input}"; known: ${Object.keys(GRAPHS).join(', ')}`);
  return found;
}

/**
 * Parses an edge list: one `a b` per line, separated by spaces or tabs; `%` and `#` lines
 * are comments. Both directions of an edge and repeated lines count once; self-loops are
 * dropped (following yourself is not a thing). Returns edges smaller id first, sorted.
 */
export function parseEdgeList(
  text: string,
  format: EdgeListFormat,
): { edges: Array<readonly [number, number]>; declaredNodes?: number; maxId: number } {
  const seen = new Set<number>();
  const edges: Array<readonly [number, number]> = [];
  let declaredNodes: number | undefined;
  let sizeLinePending = format.sizeLine;
  let maxId = -1;
  const offset = format.oneBased ? 1 : 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%') || line.startsWith('#')) continue;
    const fields = line.split(/\s+/).map(Number);
    if (sizeLinePending) {
      sizeLinePending = false;
      declaredNodes = fields[0];
      continue;
    }
    const [rawA, rawB] = fields;
    if (rawA === undefined || rawB === undefined || !Number.isInteger(rawA) || !Number.isInteger(rawB)) {
      throw new Error(`not an edge: "${line}"`);
    }
    const a = rawA - offset;
    const b = rawB - offset;
    if (a < 0 || b < 0) throw new Error(`negative node id in "${line}"`);
    maxId = Math.max(maxId, a, b);
    if (a === b) continue;
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    // Node ids stay far below 2^26 in these graphs, so one number keys the pair.
    const key = low * 67_108_864 + high;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([low, high]);
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return declaredNodes === undefined ? { edges, maxId } : { edges, declaredNodes, maxId };
}

/** The node count: the declared one when the graph has it, else the largest id + 1. */
export function buildGraph(
  name: string,
  parsed: { edges: Array<readonly [number, number]>; declaredNodes?: number; maxId: number },
  nodesFileCount?: number,
): SocialGraph {
  const userCount = nodesFileCount ?? parsed.declaredNodes ?? parsed.maxId + 1;
  if (parsed.maxId >= userCount) throw new Error(`${name}: node id ${parsed.maxId} but only ${userCount} nodes`);
  return { name, userCount, edges: parsed.edges };
}

/** Every edge as a follow in both directions: [follower, followee]. */
export function followsOf(graph: SocialGraph): Array<readonly [number, number]> {
  return graph.edges.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]);
}

/** Each user's number of edges (followers = followees here), for the graph's summary. */
export function degrees(graph: SocialGraph): number[] {
  const degree = new Array<number>(graph.userCount).fill(0);
  for (const [a, b] of graph.edges) {
    degree[a] = (degree[a] ?? 0) + 1;
    degree[b] = (degree[b] ?? 0) + 1;
  }
  return degree;
}

export async function loadGraph(name: string, dataRoot: string): Promise<SocialGraph> {
  const files = GRAPHS[name];
  if (!files) throw new Error(`unknown graph ${name}`);
  const dir = join(dataRoot, files.dir);
  const parsed = parseEdgeList(await readFile(join(dir, files.edges), 'utf8'), files.format);
  const nodes = files.nodes ? Number((await readFile(join(dir, files.nodes), 'utf8')).trim()) : undefined;
  return buildGraph(name, parsed, nodes);
}
