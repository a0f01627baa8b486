/** The plain values use cases need besides ports, provided by the composition root. */
import { valueToken } from '../domain/ports/value-token.js';
import type { RuntimeInfo } from '../domain/runtime-info.js';
import type { Environment } from '../domain/tracking-decision.js';

/** The process environment, read once at start (tracking variables). */
export const TrackingEnvironment = valueToken<Environment>('TrackingEnvironment');
/** The CLI, Node.js and OS facts that go on every event. */
export const Runtime = valueToken<RuntimeInfo>('Runtime');
/** The absolute path of `.arcade/`, for `usage status`. */
export const StateDirectory = valueToken<string>('StateDirectory');
/** The configured Arcade Cloud URL (ARCADE_CLOUD_URL or the default): the Coordinator of a login that names none. */
export const CloudUrl = valueToken<string>('CloudUrl');
