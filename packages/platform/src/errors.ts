/**
 * The one way services raise errors: gRPC status codes, never HTTP numbers. Field problems
 * travel as google.rpc.BadRequest details so that the gateway can name the failing fields.
 */
import { ServerError, Status } from 'nice-grpc-common';
import { BadRequest, ErrorInfo, RichServerError } from 'nice-grpc-error-details';

export { Status } from 'nice-grpc-common';

export interface FieldViolation {
  field: string;
  description: string;
}

export function invalidArgument(violations: FieldViolation[] | FieldViolation, message?: string): RichServerError {
  const list = Array.isArray(violations) ? violations : [violations];
  const summary = message ?? list.map((v) => `${v.field}: ${v.description}`).join('; ');
  return new RichServerError(Status.INVALID_ARGUMENT, summary, [BadRequest.fromPartial({ fieldViolations: list })]);
}

/** A business rule said no; `reason` is a stable UPPER_SNAKE identifier clients may match. */
function withReason(code: Status, message: string, reason?: string): ServerError {
  if (!reason) return new ServerError(code, message);
  return new RichServerError(code, message, [ErrorInfo.fromPartial({ reason, domain: 'wren' })]);
}

export const notFound = (message: string, reason?: string): ServerError =>
  withReason(Status.NOT_FOUND, message, reason);
export const alreadyExists = (message: string, reason?: string, field?: string): ServerError =>
  field
    ? new RichServerError(Status.ALREADY_EXISTS, message, [
        BadRequest.fromPartial({ fieldViolations: [{ field, description: message }] }),
        ErrorInfo.fromPartial({ reason: reason ?? 'ALREADY_EXISTS', domain: 'wren' }),
      ])
    : withReason(Status.ALREADY_EXISTS, message, reason);
export const permissionDenied = (message: string, reason?: string): ServerError =>
  withReason(Status.PERMISSION_DENIED, message, reason);
export const unauthenticated = (message: string, reason?: string): ServerError =>
  withReason(Status.UNAUTHENTICATED, message, reason);
export const failedPrecondition = (message: string, reason?: string): ServerError =>
  withReason(Status.FAILED_PRECONDITION, message, reason);
/** A concurrent request holds what this one needs; the client may retry. */
export const aborted = (message: string, reason?: string): ServerError => withReason(Status.ABORTED, message, reason);
export const resourceExhausted = (message: string, reason?: string): ServerError =>
  withReason(Status.RESOURCE_EXHAUSTED, message, reason);

/**
 * Collects field problems while a request is checked, then throws them all at once, so a
 * client fixes a form in one round trip.
 */
export class FieldErrors {
  private readonly violations: FieldViolation[] = [];

  add(field: string, description: string): this {
    this.violations.push({ field, description });
    return this;
  }

  get isEmpty(): boolean {
    return this.violations.length === 0;
  }

  throwIfAny(): void {
    if (this.violations.length > 0) throw invalidArgument(this.violations);
  }
}
