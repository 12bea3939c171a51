import { context, ProxyTracerProvider, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { BaseEnv } from '../config/base-env';

/** The tracing settings of a service's config. */
export type TracingConfig = Pick<BaseEnv, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'OTEL_TRACES_SAMPLE_RATIO'>;

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** Service name: the spans' `service.name`. */
  service: string;
  config: TracingConfig;
  /**
   * Where finished spans go instead of OTLP, each as it ends (tests read an
   * `InMemorySpanExporter`). Given, tracing is on whatever the config says.
   */
  exporter?: SpanExporter;
}

/** A service's tracing: the tracer its HTTP hooks, consumers, relay and senders start spans with. */
export interface Tracing {
  /** Off: the no-op tracer (spans cost an object, record nothing, carry no context). */
  readonly tracer: Tracer;
  /** Spans are recorded and exported. */
  readonly enabled: boolean;
  /** Exports what is buffered and stops (at shutdown). */
  shutdown(): Promise<void>;
}

/** Instrumentation scope of Watchfloor's own spans. */
export const TRACER_NAME = 'watchfloor';

/** Tracing off: nothing recorded, no trace context kept, no cost beyond a no-op call. */
export const TRACING_OFF: Tracing = {
  tracer: new ProxyTracerProvider().getTracer(TRACER_NAME),
  enabled: false,
  shutdown: () => Promise.resolve(),
};

/**
 * The service's tracing, from its config. Off by default (no `OTEL_EXPORTER_OTLP_ENDPOINT`):
 * then no context manager is installed either, because on Node 20 AsyncLocalStorage makes
 * every `await` in the process several times dearer, and the correlation id already ties an
 * incident's log lines together. On: spans go to the collector in batches, new traces are
 * sampled at `OTEL_TRACES_SAMPLE_RATIO` and continued ones as their parent says, and the
 * process keeps the active span across `await`s (one context manager for all services in it).
 */
export async function createTracing(options: TracingOptions): Promise<Tracing> {
  const processor = options.exporter ? new SimpleSpanProcessor(options.exporter) : await otlpProcessor(options.config);
  if (!processor) return TRACING_OFF;
  installContextManager();
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': options.service, 'service.namespace': 'watchfloor' })),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.config.OTEL_TRACES_SAMPLE_RATIO) }),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer(TRACER_NAME), enabled: true, shutdown: () => provider.shutdown() };
}

async function otlpProcessor(config: TracingConfig): Promise<SpanProcessor | undefined> {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined) return undefined;
  // Loaded only when used: the exporter and its encoders are most of the SDK's start-up cost.
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces`, headers: parseHeaders(config.OTEL_EXPORTER_OTLP_HEADERS) });
  return new BatchSpanProcessor(exporter);
}

/** `a=1,b=x%20y` -> `{ a: '1', b: 'x y' }` (the OTLP exporter headers format: values URL-encoded). */
export function parseHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of value?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

let contextManagerInstalled = false;

// One per process; never removed (another service of the same process may still trace).
function installContextManager(): void {
  if (contextManagerInstalled) return;
  contextManagerInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
