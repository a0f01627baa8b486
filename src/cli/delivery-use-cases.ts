/** The one use case the detached delivery process runs; its container holds only what that needs. */
import { DeliverInBackground } from '../application/deliver-in-background.js';
import { useCase } from './wiring.js';

export const DELIVERY_USE_CASES = {
  deliverInBackground: useCase(DeliverInBackground),
};
