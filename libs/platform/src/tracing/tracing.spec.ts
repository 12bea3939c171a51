import { Writable } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../logging/create-logger';
import { loadConfig } from '../config/load-config';
import { BaseEnv } from '../config/base-env';
import { activeTraceparent, contextOfTraceparent, traceparentOfSpan, withActiveSpan } from './trace-context';
import { createTracing, parseHeaders, TRACING_OFF } from './tracing';

function capture(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, destination };
}

const UPSTREAM = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracing', () => {
  const config = loadConfig(BaseEnv, {});

  it('is off without an OTLP endpoint: no spans recorded, no context kept', async () => {
    const tracing = await createTracing({ service: 'intake', config });
    expect(tracing).toBe(TRACING_OFF);
    const span = tracing.tracer.startSpan('POST /v1/incidents');
    expect(span.isRecording()).toBe(false);
    expect(withActiveSpan(span, () => activeTraceparent())).toBeUndefined();
  });

  it('puts traceId and spanId on the log lines written inside a span, and only there', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await createTracing({ service: 'triage', config, exporter });
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'triage', destination });
    const span = tracing.tracer.startSpan('process incident.reported.ga');
    // Across an await, as a handler's lines are.
    await withActiveSpan(span, async () => {
      await Promise.resolve();
      logger.info({ correlationId: 'c1' }, 'inside');
    });
    span.end();
    logger.info('outside');
    const { traceId, spanId } = span.spanContext();
    expect(lines[0]).toMatchObject({ msg: 'inside', correlationId: 'c1', traceId, spanId });
    expect(lines[1]).toMatchObject({ msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('traceId');
    await tracing.shutdown();
  });

  it('continues an upstream traceparent and hands its own on', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await createTracing({ service: 'notification', config, exporter });
    const span = tracing.tracer.startSpan('process incident.reported.ga', {}, contextOfTraceparent(UPSTREAM));
    const handedOn = withActiveSpan(span, () => activeTraceparent());
    span.end();
    expect(handedOn).toBe(traceparentOfSpan(span));
    expect(handedOn).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(finished?.resource.attributes['service.name']).toBe('notification');
    await tracing.shutdown();
  });

  it('starts a trace of its own from a missing or malformed traceparent', async () => {
    const tracing = await createTracing({ service: 'audit', config, exporter: new InMemorySpanExporter() });
    for (const upstream of [undefined, 'not-a-traceparent']) {
      const span = tracing.tracer.startSpan('process x', {}, contextOfTraceparent(upstream));
      expect(span.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(span.isRecording()).toBe(true);
      span.end();
    }
    await tracing.shutdown();
  });

  it('reads the exporter headers in the OTLP format, values URL-encoded', () => {
    expect(parseHeaders('api-key=abc,x-tenant=county%20it')).toEqual({ 'api-key': 'abc', 'x-tenant': 'county it' });
    expect(parseHeaders(undefined)).toEqual({});
  });

  it('validates its settings at boot', () => {
    expect(() => loadConfig(BaseEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig(BaseEnv, { OTEL_TRACES_SAMPLE_RATIO: '1.5' })).toThrow(/OTEL_TRACES_SAMPLE_RATIO/);
    expect(loadConfig(BaseEnv, { OTEL_TRACES_SAMPLE_RATIO: '0.25' }).OTEL_TRACES_SAMPLE_RATIO).toBe(0.25);
  });
});
