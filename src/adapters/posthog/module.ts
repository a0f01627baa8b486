import { ContainerModule } from 'inversify';
import { AnalyticsSink } from '../../domain/ports/analytics-sink.js';
import { PosthogSink } from './posthog-sink.js';

export function posthogModule(host: string, projectKey: string | null): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(AnalyticsSink).toConstantValue(new PosthogSink(host, projectKey));
  });
}
