/** Asserting on a gRPC call that must fail, with the rich details Wren's services send. */
import { ClientError, type Status } from 'nice-grpc';
import { RichClientError } from 'nice-grpc-error-details';
import { expect } from 'vitest';

export interface ExpectedError {
  /** Field names of the google.rpc.BadRequest violations, in any order. */
  fields?: string[];
  /** The google.rpc.ErrorInfo reason. */
  reason?: string;
  /** The status message, exactly or by pattern. */
  message?: string | RegExp;
}

/** Awaits a call that must fail with `code`, and checks its details; returns the error. */
export async function expectGrpcError(
  call: Promise<unknown>,
  code: Status,
  expected: ExpectedError = {},
): Promise<ClientError> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call should have failed').toBeInstanceOf(ClientError);
  const error = caught as ClientError;
  expect({ code: error.code, details: error.details }).toMatchObject({ code });
  const extra = error instanceof RichClientError ? error.extra : [];
  if (expected.fields) {
    const fields = extra.flatMap((detail) =>
      detail.$type === 'google.rpc.BadRequest' ? detail.fieldViolations.map((v) => v.field) : [],
    );
    expect(fields.sort()).toEqual([...expected.fields].sort());
  }
  if (expected.reason) {
    const reasons = extra.flatMap((detail) => (detail.$type === 'google.rpc.ErrorInfo' ? [detail.reason] : []));
    expect(reasons).toEqual([expected.reason]);
  }
  if (typeof expected.message === 'string') expect(error.details).toBe(expected.message);
  else if (expected.message) expect(error.details).toMatch(expected.message);
  return error;
}
