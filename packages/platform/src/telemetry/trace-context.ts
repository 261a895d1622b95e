/**
 * Trace context carried across asynchronous hops that are not calls (outbox events, push
 * deliveries): the W3C `traceparent` string of the active span is stored with the row,
 * and the work that picks the row up later continues that trace.
 */
import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { tracingEnabled, wrenTracer } from './tracing.js';

/** `traceparent` of the active span, or '' when nothing is traced. */
export function activeTraceparent(): string {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? '';
}

/** The context a stored `traceparent` continues ('' → the root context: a new trace). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Ids for log lines and error bodies; undefined when the active span is not sampled. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  return traceIdsOf(trace.getActiveSpan());
}

export function traceIdsOf(span: Span | undefined): { traceId: string; spanId: string } | undefined {
  const spanContext = span?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

export interface ContinuedSpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** Extra links, e.g. to the delivery call that carried the work. */
  links?: Link[];
}

/**
 * Runs `work` in a span that continues the traces stored with the rows it handles (outbox
 * events, push deliveries): as their child when they share one origin, linked to each
 * origin when they have several (a span has one parent). Without tracing, just runs `work`.
 */
export async function inSpanContinuing<T>(
  name: string,
  traceparents: readonly string[],
  options: ContinuedSpanOptions,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return work();
  const origins = [...new Set(traceparents.filter((traceparent) => traceparent))];
  const parent = origins.length === 1 ? contextFromTraceparent(origins[0]) : context.active();
  const links: Link[] = [...(options.links ?? [])];
  if (origins.length > 1) {
    for (const origin of origins) {
      const spanContext = trace.getSpanContext(contextFromTraceparent(origin));
      if (spanContext) links.push({ context: spanContext });
    }
  }
  const span = wrenTracer().startSpan(
    name,
    { kind: options.kind, links, attributes: options.attributes ?? {} },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
