import { FOREGROUND_FLUSH_LIMIT_MS } from '../domain/delivery-policy.js';
import { DecideTracking } from './decide-tracking.js';
import { DeliverEvents, type DeliveryReport } from './deliver-events.js';

/** How `usage flush` ended, for the command to render. */
export type FlushOutcome =
  /** Another delivery held the claim past the budget. */
  | { readonly kind: 'busy' }
  /** ARCADE_USAGE_DEBUG: nothing was sent. */
  | { readonly kind: 'debug'; readonly report: DeliveryReport }
  /** Tracking is off (`explanation` says by what): nothing was sent. */
  | { readonly kind: 'tracking-off'; readonly explanation: string; readonly report: DeliveryReport }
  /** Some events could not be sent; the report's last result says why. */
  | { readonly kind: 'incomplete'; readonly report: DeliveryReport }
  | { readonly kind: 'delivered'; readonly report: DeliveryReport };

/** `usage flush`: delivers what is pending now, in the foreground, waiting for a running delivery first. */
export class FlushEvents {
  static readonly inject = [DecideTracking, DeliverEvents] as const;

  constructor(
    private readonly decideTracking: DecideTracking,
    private readonly deliverEvents: DeliverEvents,
  ) {}

  async execute(): Promise<FlushOutcome> {
    const decision = await this.decideTracking.execute();
    const report = await this.deliverEvents.execute({ kind: 'foreground', budgetMs: FOREGROUND_FLUSH_LIMIT_MS });
    if (report.busy) return { kind: 'busy' };
    if (report.debug) return { kind: 'debug', report };
    if (!decision.enabled) return { kind: 'tracking-off', explanation: decision.explanation, report };
    return { kind: report.kept > 0 ? 'incomplete' : 'delivered', report };
  }
}
