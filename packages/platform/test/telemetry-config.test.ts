import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { activeTraceparent, ConfigError, contextFromTraceparent, startTracing, tracingEnabled } from '../src/index.js';
import { samplerFromEnv } from '../src/telemetry/sampler.js';

describe('OTEL_TRACES_SAMPLER', () => {
  it('defaults to parent-based always-on, as the OpenTelemetry spec says', () => {
    expect(samplerFromEnv({})).toBeInstanceOf(ParentBasedSampler);
    expect(samplerFromEnv({}).toString()).toContain('AlwaysOnSampler');
  });

  it('takes each standard name, with the ratio from OTEL_TRACES_SAMPLER_ARG', () => {
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_on' })).toBeInstanceOf(AlwaysOnSampler);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' })).toBeInstanceOf(AlwaysOffSampler);
    const ratio = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' });
    expect(ratio).toBeInstanceOf(TraceIdRatioBasedSampler);
    expect(ratio.toString()).toContain('0.25');
    const parentRatio = samplerFromEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(parentRatio.toString()).toContain('0.1');
  });

  it('refuses an unknown sampler or a ratio outside 0..1, naming the variable', () => {
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigError);
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
  });
});

describe('tracing switch', () => {
  it('stays off without an OTLP endpoint, and with OTEL_SDK_DISABLED=true', async () => {
    await startTracing('test', {}).shutdown();
    await startTracing('test', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_SDK_DISABLED: 'true',
    }).shutdown();
    expect(tracingEnabled()).toBe(false);
    // Untraced work stores no trace context, and an empty one continues nothing.
    expect(activeTraceparent()).toBe('');
    expect(contextFromTraceparent('')).toBeDefined();
  });

  it('refuses a batch delay that is not a number', () => {
    expect(() =>
      startTracing('test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_BSP_SCHEDULE_DELAY: 'soon' }),
    ).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
    expect(tracingEnabled()).toBe(false);
  });
});
