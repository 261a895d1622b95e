/** Assertions on RFC 9457 answers, shared by the suites. */
import { expect } from 'vitest';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/**
 * Checks the status, the media type, the body's `type`/`status`/`instance`, and that the
 * body's request id is the one in the header; returns the body for further checks.
 */
export async function expectProblem(
  response: Response,
  status: number,
  kind: string,
  options: { instance?: string; fields?: string[] } = {},
): Promise<ProblemBody> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as ProblemBody;
  expect(body).toMatchObject({ type: `urn:problem-type:wren:${kind}`, status });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  if (options.instance !== undefined) expect(body.instance).toBe(options.instance);
  if (options.fields !== undefined) {
    // A field may fail more than one rule; each rule is reported, the field named once per rule.
    const named = new Set(body.errors?.map((error) => error.field));
    expect([...named].sort()).toEqual([...options.fields].sort());
  }
  return body;
}
